import { inject } from '@angular/core';
import { CanActivateFn, Route, Router } from '@angular/router';
import { Role } from '../core/api.types';
import { AuthService } from '../core/auth.service';
import { roleGuard } from '../core/role.guard';
import { RECORDING_PRODUCTS } from '../shell/nav';

/** Who may search and play calls (the calls API's @Roles); operators see only their own unless the policy allows more. */
export const RECORDING_ROLES: Role[] = ['tenantAdmin', 'supervisor', 'operator', 'auditor'];

/** The recording screens belong to the products that record or transcribe calls (RECORDING_PRODUCTS). */
export const recordingProductGuard: CanActivateFn = () => {
  const products = inject(AuthService).me()?.tenant.products ?? [];
  return RECORDING_PRODUCTS.some((p) => products.includes(p)) ? true : inject(Router).createUrlTree(['/']);
};

export const RECORDINGS_ROUTES: Route[] = [
  {
    path: 'recordings',
    canActivate: [roleGuard(RECORDING_ROLES), recordingProductGuard],
    loadComponent: () => import('./search/search.page').then((m) => m.RecordingsSearchPage),
  },
  {
    path: 'recordings/calls/:id',
    canActivate: [roleGuard(RECORDING_ROLES), recordingProductGuard],
    loadComponent: () => import('./call-detail/call-detail.page').then((m) => m.CallDetailPage),
  },
];
