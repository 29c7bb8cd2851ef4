import { inject } from '@angular/core';
import { CanMatchFn, Route } from '@angular/router';
import { map } from 'rxjs';
import { Role } from '../core/api.types';
import { AuthService } from '../core/auth.service';

/** Who manages (tenantAdmin) or reads (auditor) the FlexDPlayer settings: the backend's FLEXD_READERS. */
export const FLEXDPLAYER_ROLES: Role[] = ['tenantAdmin', 'auditor'];

/**
 * canMatch rather than canActivate: for other roles (or without the product) the router goes on to
 * the product's landing route at the same path instead of bouncing the user home. Matching runs
 * before the shell's authGuard, so on a fresh page load the signed-in user is fetched here first.
 */
const flexdplayerSettingsMatch: CanMatchFn = () => {
  const auth = inject(AuthService);
  return auth
    .ensureLoaded()
    .pipe(map((me) => !!me && me.tenant.products.includes('flexdplayer') && auth.hasAnyRole(FLEXDPLAYER_ROLES)));
};

export const FLEXDPLAYER_ROUTES: Route[] = [
  {
    path: 'flexdplayer',
    canMatch: [flexdplayerSettingsMatch],
    loadComponent: () => import('./flexdplayer.page').then((m) => m.FlexdplayerPage),
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'connectors' },
      {
        path: 'connectors',
        loadComponent: () => import('./connectors/connectors.page').then((m) => m.ConnectorsPage),
      },
      { path: 'profiles', loadComponent: () => import('./profiles/profiles.page').then((m) => m.ProfilesPage) },
      { path: 'lines', loadComponent: () => import('./lines/lines.page').then((m) => m.LinesPage) },
      { path: 'files', loadComponent: () => import('./files/files.page').then((m) => m.FilesPage) },
    ],
  },
];
