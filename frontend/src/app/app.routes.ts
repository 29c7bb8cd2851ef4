import { inject } from '@angular/core';
import { CanActivateFn, Route } from '@angular/router';
import { authGuard } from './core/auth.guard';
import { anyProductGuard, multiTenantGuard, productGuard, roleGuard } from './core/role.guard';
import { setupGuard, setupPendingGuard } from './core/setup.guard';
import { SetupStatusService } from './core/setup-status.service';
import { FLEXDPLAYER_ROUTES } from './flexdplayer/flexdplayer.routes';
import { POPUP_ROUTES } from './popup/popup.routes';
import { RECORDING_ROLES, RECORDINGS_ROUTES, recordingProductGuard } from './recordings/recordings.routes';
import { VENDOR_ROUTES } from './vendor/vendor.routes';
import { VNOTE_ROUTES } from './vnote/vnote.routes';
import { CAPTURE_SITE_PRODUCTS, PRODUCT_NAV } from './shell/nav';

/** /login is reachable during setup only to resume the wizard (?resume=setup). */
const loginGuard: CanActivateFn = (route, state) =>
  route.queryParamMap.get('resume') === 'setup' && inject(SetupStatusService).complete() !== true
    ? true
    : setupGuard(route, state);

const productRoutes: Route[] = PRODUCT_NAV.map((p) => ({
  path: p.path,
  canActivate: [productGuard(p.product)],
  data: { product: p.product },
  loadComponent: () => import('./products/product-landing.page').then((m) => m.ProductLandingPage),
}));

export const appRoutes: Route[] = [
  { path: 'setup', pathMatch: 'full', redirectTo: 'setup/admin' },
  {
    path: 'setup/:step',
    canActivate: [setupPendingGuard],
    loadComponent: () => import('./setup/setup.page').then((m) => m.SetupPage),
  },
  {
    path: 'login',
    canActivate: [loginGuard],
    loadComponent: () => import('./auth/login.page').then((m) => m.LoginPage),
  },
  {
    path: '',
    canActivate: [setupGuard, authGuard],
    loadComponent: () => import('./shell/shell.component').then((m) => m.ShellComponent),
    children: [
      { path: '', pathMatch: 'full', loadComponent: () => import('./home/home.page').then((m) => m.HomePage) },
      ...FLEXDPLAYER_ROUTES,
      ...VNOTE_ROUTES,
      ...POPUP_ROUTES,
      ...productRoutes,
      ...RECORDINGS_ROUTES,
      ...VENDOR_ROUTES,
      {
        path: 'dashboard',
        canActivate: [roleGuard(RECORDING_ROLES), recordingProductGuard],
        loadComponent: () => import('./dashboard/dashboard.page').then((m) => m.DashboardPage),
      },
      { path: 'profile', loadComponent: () => import('./profile/profile.page').then((m) => m.ProfilePage) },
      {
        path: 'admin/users',
        canActivate: [roleGuard(['tenantAdmin'])],
        loadComponent: () => import('./admin/users/users.page').then((m) => m.UsersPage),
      },
      {
        path: 'admin/api-keys',
        canActivate: [roleGuard(['tenantAdmin'])],
        loadComponent: () => import('./admin/api-keys/api-keys.page').then((m) => m.ApiKeysPage),
      },
      {
        path: 'admin/audit',
        canActivate: [roleGuard(['tenantAdmin', 'auditor'])],
        loadComponent: () => import('./admin/audit/audit.page').then((m) => m.AuditPage),
      },
      {
        path: 'admin/settings',
        canActivate: [roleGuard(['tenantAdmin'])],
        loadComponent: () => import('./admin/settings/settings.page').then((m) => m.SettingsPage),
      },
      {
        path: 'admin/storage',
        canActivate: [roleGuard(['tenantAdmin', 'auditor'])],
        loadComponent: () => import('./admin/storage/storage.page').then((m) => m.StoragePage),
      },
      {
        path: 'admin/flexlog-sites',
        canActivate: [roleGuard(['tenantAdmin', 'auditor']), anyProductGuard(CAPTURE_SITE_PRODUCTS)],
        loadComponent: () => import('./admin/flexlog-sites/flexlog-sites.page').then((m) => m.FlexlogSitesPage),
      },
      {
        path: 'admin/support',
        canActivate: [roleGuard(['tenantAdmin', 'auditor'])],
        loadComponent: () => import('./admin/support/support.page').then((m) => m.SupportPage),
      },
      {
        path: 'admin/tenants',
        canActivate: [roleGuard(['vendorAdmin']), multiTenantGuard],
        loadComponent: () => import('./admin/tenants/tenants.page').then((m) => m.TenantsPage),
      },
    ],
  },
  { path: '**', redirectTo: '' },
];
