import { Route } from '@angular/router';
import { roleGuard } from '../../core/role.guard';

/**
 * 応対力's integration settings (webhooks, external lookup hook, kintone), for tenant admins.
 * Meant as a child of the /popup route (the popup page adds the tab).
 */
export const POPUP_INTEGRATION_ROUTES: Route[] = [
  {
    path: 'integrations',
    canActivate: [roleGuard(['tenantAdmin'])],
    loadComponent: () => import('./integrations.page').then((m) => m.IntegrationsPage),
  },
];
