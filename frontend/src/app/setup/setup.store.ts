import { Injectable, inject, signal } from '@angular/core';
import { Observable, catchError, of, tap } from 'rxjs';
import { apiStatus } from '../core/api-errors';
import { SetupApi, SetupState } from './setup.api';

export const SETUP_STEPS = ['admin', 'organization', 'storage', 'encryption', 'mail', 'review'] as const;
export type SetupStep = (typeof SETUP_STEPS)[number];

export const MASK = '********';

const EMPTY: SetupState = {
  setupComplete: false,
  adminCreated: false,
  organization: null,
  storage: null,
  encryption: null,
  mail: null,
};

/** Wizard state shared by the steps; filled from GET /api/setup/state and by each save. */
@Injectable()
export class SetupStore {
  private readonly api = inject(SetupApi);

  readonly state = signal<SetupState>(EMPTY);
  readonly loaded = signal(false);
  /** An admin exists but this browser has no session: the user must sign in to continue. */
  readonly needsSignIn = signal(false);

  load(): Observable<SetupState> {
    return this.api.state().pipe(
      tap((s) => {
        this.state.set({ ...EMPTY, ...s });
        this.needsSignIn.set(false);
      }),
      catchError((err: unknown) => {
        const status = apiStatus(err);
        // 401/403: the admin was created in another session.
        this.needsSignIn.set(status === 401 || status === 403);
        return of(this.state());
      }),
      tap(() => this.loaded.set(true)),
    );
  }

  patch(part: Partial<SetupState>): void {
    this.state.update((s) => ({ ...s, ...part }));
  }

  /** Whether the user may open `step` (steps after the first need the admin session). */
  reachable(step: SetupStep): boolean {
    return step === 'admin' || this.state().adminCreated;
  }

  isDone(step: SetupStep): boolean {
    const s = this.state();
    switch (step) {
      case 'admin':
        return s.adminCreated;
      case 'review':
        return s.setupComplete;
      default:
        return s[step] !== null;
    }
  }

  nextOf(step: SetupStep): SetupStep {
    const i = SETUP_STEPS.indexOf(step);
    return SETUP_STEPS[Math.min(i + 1, SETUP_STEPS.length - 1)];
  }

  prevOf(step: SetupStep): SetupStep {
    const i = SETUP_STEPS.indexOf(step);
    return SETUP_STEPS[Math.max(i - 1, 0)];
  }
}

export function isSetupStep(v: string | undefined): v is SetupStep {
  return !!v && (SETUP_STEPS as readonly string[]).includes(v);
}
