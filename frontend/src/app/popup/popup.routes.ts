import { inject } from '@angular/core';
import { CanMatchFn, Route } from '@angular/router';
import { map } from 'rxjs';
import { Role } from '../core/api.types';
import { AuthService } from '../core/auth.service';
import { roleGuard } from '../core/role.guard';
import { POPUP_INTEGRATION_ROUTES } from './integrations/integrations.routes';

/** Whom calls pop up for and who reads the directory: the backend's ANSWERERS / DIRECTORY_READERS. */
export const POPUP_ANSWERERS: Role[] = ['tenantAdmin', 'supervisor', 'operator'];
/** Who keeps the directory (create, edit, import, export): the backend's DIRECTORY_WRITERS. */
export const DIRECTORY_WRITERS: Role[] = ['tenantAdmin', 'supervisor'];

/**
 * canMatch (as FlexDPlayer does): without the product or for other roles (auditors) the router goes
 * on to the product's landing route at the same path. Runs before the shell's authGuard, so the
 * signed-in user is fetched here first on a fresh page load.
 */
const popupMatch: CanMatchFn = () => {
  const auth = inject(AuthService);
  return auth
    .ensureLoaded()
    .pipe(map((me) => !!me && me.tenant.products.includes('ootairyoku') && auth.hasAnyRole(POPUP_ANSWERERS)));
};

/** The 応対力 screens under /popup. The tab list is in popup.page.ts. */
export const POPUP_CHILD_ROUTES: Route[] = [
  { path: '', pathMatch: 'full', redirectTo: 'customers' },
  {
    path: 'customers',
    loadComponent: () => import('./directory/customers.page').then((m) => m.CustomersPage),
  },
  {
    path: 'import',
    canActivate: [roleGuard(DIRECTORY_WRITERS)],
    loadComponent: () => import('./import/import-wizard.page').then((m) => m.ImportWizardPage),
  },
  {
    path: 'routing',
    canActivate: [roleGuard(['tenantAdmin'])],
    loadComponent: () => import('./routing/popup-routing.page').then((m) => m.PopupRoutingPage),
  },
  // Webhooks, the external lookup hook and kintone (tenant admins; guarded in its own routes).
  ...POPUP_INTEGRATION_ROUTES,
];

export const POPUP_ROUTES: Route[] = [
  {
    path: 'popup',
    canMatch: [popupMatch],
    loadComponent: () => import('./popup.page').then((m) => m.PopupPage),
    children: POPUP_CHILD_ROUTES,
  },
];
