import { inject } from '@angular/core';
import { CanActivateFn, Route, Router } from '@angular/router';
import { Role } from '../core/api.types';
import { AuthService } from '../core/auth.service';
import { roleGuard } from '../core/role.guard';

/** Who may search and play calls (the calls API's @Roles); operators see only their own unless the policy allows more. */
export const RECORDING_ROLES: Role[] = ['tenantAdmin', 'supervisor', 'operator', 'auditor'];

/** The recording screens belong to the recording products: FlexLog (desk phones) and FlexDPlayer (mobiles). */
export const recordingProductGuard: CanActivateFn = () => {
  const products = inject(AuthService).me()?.tenant.products ?? [];
  return products.includes('flexlog') || products.includes('flexdplayer') ? true : inject(Router).createUrlTree(['/']);
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
