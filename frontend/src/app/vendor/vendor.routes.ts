import { Route } from '@angular/router';
import { Role } from '../core/api.types';
import { multiTenantGuard, roleGuard } from '../core/role.guard';

/** Vendor staff: support reads the books, admins also change them (the API enforces the same split). */
export const VENDOR_ROLES: Role[] = ['vendorAdmin', 'vendorSupport'];

const vendorGuards = (roles: Role[] = VENDOR_ROLES) => [roleGuard(roles), multiTenantGuard];

/** The vendor console (hosted multi-tenant instance only). */
export const VENDOR_ROUTES: Route[] = [
  {
    path: 'vendor/dashboard',
    canActivate: vendorGuards(),
    loadComponent: () => import('./dashboard/vendor-dashboard.page').then((m) => m.VendorDashboardPage),
  },
  {
    path: 'vendor/plans',
    canActivate: vendorGuards(),
    loadComponent: () => import('./plans/plans.page').then((m) => m.VendorPlansPage),
  },
  {
    path: 'vendor/contracts',
    canActivate: vendorGuards(),
    loadComponent: () => import('./contracts/contracts.page').then((m) => m.VendorContractsPage),
  },
  {
    path: 'vendor/contracts/:id',
    canActivate: vendorGuards(),
    loadComponent: () => import('./contracts/contract.page').then((m) => m.VendorContractPage),
  },
  {
    path: 'vendor/invoices',
    canActivate: vendorGuards(),
    loadComponent: () => import('./invoices/invoices.page').then((m) => m.VendorInvoicesPage),
  },
  {
    path: 'vendor/receivables',
    canActivate: vendorGuards(),
    loadComponent: () => import('./invoices/receivables.page').then((m) => m.VendorReceivablesPage),
  },
  {
    path: 'vendor/quote',
    canActivate: vendorGuards(),
    loadComponent: () => import('./quote/quote.page').then((m) => m.VendorQuotePage),
  },
  {
    // Contract end and equipment returns are vendor-admin endpoints.
    path: 'vendor/contract-end',
    canActivate: vendorGuards(['vendorAdmin']),
    loadComponent: () => import('./contract-end/contract-end.page').then((m) => m.VendorContractEndPage),
  },
];
