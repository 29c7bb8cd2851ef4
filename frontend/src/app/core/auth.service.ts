import { HttpClient, HttpContext } from '@angular/common/http';
import { Injectable, computed, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import { Observable, catchError, map, of, tap } from 'rxjs';
import { NO_LOGIN_REDIRECT } from './auth.interceptor';
import { Locale, Me, Role } from './api.types';

const AUTH = '/api/v1/auth';

/** Holds the signed-in user. Tokens live in httpOnly cookies; the SPA never sees them. */
@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly http = inject(HttpClient);
  private readonly router = inject(Router);

  private readonly meState = signal<Me | null>(null);
  private loaded = false;

  readonly me = this.meState.asReadonly();
  readonly isLoggedIn = computed(() => this.meState() !== null);
  readonly roles = computed<Role[]>(() => this.meState()?.roles ?? []);

  hasAnyRole(roles: readonly Role[]): boolean {
    const mine = this.roles();
    return roles.some((r) => mine.includes(r));
  }

  /** Resolves the current session once (cookie-based); null when not signed in. */
  ensureLoaded(): Observable<Me | null> {
    if (this.loaded) return of(this.meState());
    return this.reload();
  }

  reload(): Observable<Me | null> {
    const context = new HttpContext().set(NO_LOGIN_REDIRECT, true);
    return this.http.get<Me>(`${AUTH}/me`, { context }).pipe(
      catchError(() => of(null)),
      tap((me) => this.setMe(me)),
    );
  }

  login(email: string, password: string): Observable<Me> {
    return this.http.post<{ user: Me }>(`${AUTH}/login`, { email, password }).pipe(
      map((r) => r.user),
      tap((me) => this.setMe(me)),
    );
  }

  /** Used by the setup wizard after the first administrator was created with cookies. */
  setMe(me: Me | null): void {
    this.loaded = true;
    this.meState.set(me);
  }

  logout(): void {
    this.http
      .post(`${AUTH}/logout`, null)
      .pipe(catchError(() => of(null)))
      .subscribe(() => {
        this.setMe(null);
        void this.router.navigate(['/login']);
      });
  }

  updateProfile(patch: { displayName?: string; locale?: Locale }): Observable<unknown> {
    return this.http.patch(`${AUTH}/me`, patch).pipe(
      tap(() => {
        const me = this.meState();
        if (me) this.meState.set({ ...me, ...patch });
      }),
    );
  }

  changePassword(currentPassword: string, newPassword: string): Observable<unknown> {
    return this.http.post(`${AUTH}/password`, { currentPassword, newPassword });
  }
}
