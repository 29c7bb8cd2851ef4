import { inject } from '@angular/core';
import { CanMatchFn, Route } from '@angular/router';
import { map } from 'rxjs';
import { Role } from '../core/api.types';
import { AuthService } from '../core/auth.service';
import { roleGuard } from '../core/role.guard';
import { RECORDING_ROLES } from '../recordings/recordings.routes';

/** One tab per screen; `roles` mirror the API's @Roles so nobody is shown a page that answers 403. */
export interface VnoteTab {
  path: string;
  roles: Role[];
}

export const VNOTE_TABS: VnoteTab[] = [
  { path: 'search', roles: RECORDING_ROLES },
  { path: 'jobs', roles: ['tenantAdmin', 'supervisor'] },
  { path: 'dictionaries', roles: RECORDING_ROLES },
  { path: 'settings', roles: ['tenantAdmin', 'supervisor'] },
];

const tabRoles = (path: string) => VNOTE_TABS.find((t) => t.path === path)?.roles ?? [];

/**
 * canMatch (as FlexDPlayer does): without the product the router goes on to the product's
 * landing route at the same path. Matching runs before the shell's authGuard, so the signed-in
 * user is fetched here first on a fresh page load.
 */
const vnoteMatch: CanMatchFn = () => {
  const auth = inject(AuthService);
  return auth
    .ensureLoaded()
    .pipe(map((me) => !!me && me.tenant.products.includes('flexvnote') && auth.hasAnyRole(RECORDING_ROLES)));
};

export const VNOTE_ROUTES: Route[] = [
  {
    path: 'vnote',
    canMatch: [vnoteMatch],
    loadComponent: () => import('./vnote.page').then((m) => m.VnotePage),
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'search' },
      {
        path: 'search',
        loadComponent: () => import('./search/transcript-search.page').then((m) => m.TranscriptSearchPage),
      },
      {
        path: 'jobs',
        canActivate: [roleGuard(tabRoles('jobs'))],
        loadComponent: () => import('./jobs/jobs.page').then((m) => m.VnoteJobsPage),
      },
      {
        path: 'dictionaries',
        canActivate: [roleGuard(tabRoles('dictionaries'))],
        loadComponent: () => import('./dictionaries/dictionaries.page').then((m) => m.DictionariesPage),
      },
      {
        path: 'settings',
        canActivate: [roleGuard(tabRoles('settings'))],
        loadComponent: () => import('./settings/vnote-settings.page').then((m) => m.VnoteSettingsPage),
      },
    ],
  },
];
