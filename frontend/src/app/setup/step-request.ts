import { Signal, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { AbstractControl, FormControl, FormGroup } from '@angular/forms';
import { Observable } from 'rxjs';
import { apiMessage, applyServerErrors } from '../core/api-errors';
import { TestResult } from '../core/api.types';

/**
 * True when every control is valid; otherwise marks them all touched so their errors show
 * (a step checks the same way before saving and before a connection test).
 */
export function readyToSend(...controls: AbstractControl[]): boolean {
  if (!controls.some((c) => c.invalid)) return true;
  for (const c of controls) c.markAllAsTouched();
  return false;
}

/** The request state every setup step shows: save (busy/error) and connection test (testing/result). */
export class StepRequest {
  readonly busy = signal(false);
  readonly error = signal<{ text: string | null } | null>(null);
  readonly testing = signal(false);
  readonly testResult = signal<TestResult | null>(null);

  /** `form` receives the server's field errors; without one they all go to the banner. */
  constructor(private readonly form?: FormGroup) {}

  /**
   * Sends a save; field errors from the server go onto the form, anything else to the banner.
   * `handled` lets a step claim an error first (e.g. 409) and skip the default handling.
   */
  save<T>(request: Observable<T>, onSaved: (value: T) => void, handled?: (err: unknown) => boolean): void {
    this.busy.set(true);
    this.error.set(null);
    request.subscribe({
      next: (value) => {
        this.busy.set(false);
        onSaved(value);
      },
      error: (err: unknown) => {
        this.busy.set(false);
        if (handled?.(err)) return;
        if (!this.form || !applyServerErrors(this.form, err)) this.error.set({ text: apiMessage(err) });
      },
    });
  }

  /** Runs a connection test; a failed call shows as a failed result with the server's message. */
  test(request: Observable<TestResult>): void {
    this.testing.set(true);
    this.testResult.set(null);
    request.subscribe({
      next: (r) => {
        this.testing.set(false);
        this.testResult.set(r);
      },
      error: (err: unknown) => {
        this.testing.set(false);
        if (this.form) applyServerErrors(this.form, err);
        this.testResult.set({ ok: false, message: apiMessage(err) ?? '' });
      },
    });
  }
}

/**
 * The current value of a choice that switches fields on and off (storage driver, encryption mode).
 * On each change it re-applies the validators and drops the test result, which was for the other
 * choice. Call from a field initializer: it needs the injection context to unsubscribe.
 */
export function followChoice<T>(control: FormControl<T>, req: StepRequest, applyValidators: (v: T) => void): Signal<T> {
  const choice = signal(control.value);
  applyValidators(choice());
  control.valueChanges.pipe(takeUntilDestroyed()).subscribe((v) => {
    choice.set(v);
    req.testResult.set(null);
    applyValidators(v);
  });
  return choice.asReadonly();
}
