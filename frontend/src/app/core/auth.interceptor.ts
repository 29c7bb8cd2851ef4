import {
  HttpContextToken,
  HttpErrorResponse,
  HttpEvent,
  HttpHandlerFn,
  HttpInterceptorFn,
  HttpRequest,
  HttpResponse,
} from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Router } from '@angular/router';
import {
  Observable,
  catchError,
  defaultIfEmpty,
  filter,
  finalize,
  map,
  of,
  shareReplay,
  switchMap,
  take,
  throwError,
} from 'rxjs';

/** Set on calls whose 401 must not send the user to /login (e.g. the session probe). */
export const NO_LOGIN_REDIRECT = new HttpContextToken<boolean>(() => false);
/** Internal: marks the one retry after a refresh so we never loop. */
const RETRIED = new HttpContextToken<boolean>(() => false);

export const REFRESH_URL = '/api/v1/auth/refresh';
// A 401 from these means "wrong credentials", not "expired session".
const NO_REFRESH_URLS = [REFRESH_URL, '/api/v1/auth/login', '/api/v1/auth/logout', '/api/setup/status'];

/** Shares one in-flight refresh between all requests that got a 401 at the same time. */
@Injectable({ providedIn: 'root' })
export class RefreshCoordinator {
  private inFlight: Observable<boolean> | null = null;

  refresh(next: HttpHandlerFn): Observable<boolean> {
    if (!this.inFlight) {
      const req = new HttpRequest<null>('POST', REFRESH_URL, null, { withCredentials: true });
      this.inFlight = next(req).pipe(
        filter((e) => e instanceof HttpResponse),
        take(1),
        map(() => true),
        defaultIfEmpty(false),
        catchError(() => of(false)),
        finalize(() => (this.inFlight = null)),
        shareReplay(1),
      );
    }
    return this.inFlight;
  }
}

/**
 * Sends cookies with every API call; on a 401 refreshes the session once and retries the
 * original request. If the refresh fails the user is sent to /login.
 */
export const authInterceptor: HttpInterceptorFn = (req, next): Observable<HttpEvent<unknown>> => {
  const isApi = req.url.startsWith('/api/');
  const request = isApi ? req.clone({ withCredentials: true }) : req;
  if (!isApi) return next(request);

  const coordinator = inject(RefreshCoordinator);
  const router = inject(Router);

  return next(request).pipe(
    catchError((err: unknown) => {
      if (
        !(err instanceof HttpErrorResponse) ||
        err.status !== 401 ||
        request.context.get(RETRIED) ||
        NO_REFRESH_URLS.some((u) => request.url.startsWith(u))
      ) {
        return throwError(() => err);
      }
      return coordinator.refresh(next).pipe(
        switchMap((ok) => {
          if (ok) {
            return next(request.clone({ context: request.context.set(RETRIED, true) }));
          }
          if (!request.context.get(NO_LOGIN_REDIRECT)) {
            const current = router.url;
            if (!current.startsWith('/login')) {
              void router.navigate(['/login'], { queryParams: { returnUrl: current } });
            }
          }
          return throwError(() => err);
        }),
      );
    }),
  );
};
