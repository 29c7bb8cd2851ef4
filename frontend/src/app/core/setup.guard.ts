import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';
import { map } from 'rxjs';
import { SetupStatusService } from './setup-status.service';

/** Until setup is complete every guarded route leads to the wizard. */
export const setupGuard: CanActivateFn = () => {
  const router = inject(Router);
  return inject(SetupStatusService)
    .check()
    .pipe(map((complete) => (complete ? true : router.createUrlTree(['/setup']))));
};

/** The wizard itself is only reachable while setup is pending. */
export const setupPendingGuard: CanActivateFn = () => {
  const router = inject(Router);
  return inject(SetupStatusService)
    .check()
    .pipe(map((complete) => (complete ? router.createUrlTree(['/']) : true)));
};
