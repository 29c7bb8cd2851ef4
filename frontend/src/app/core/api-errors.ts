import { HttpErrorResponse } from '@angular/common/http';
import { AbstractControl, FormGroup } from '@angular/forms';
import { ApiErrorBody } from './api.types';

/** The human-readable message of an API error, or null if the body carries none. */
export function apiMessage(err: unknown): string | null {
  if (!(err instanceof HttpErrorResponse)) return null;
  const body = err.error as ApiErrorBody | null;
  if (!body || typeof body !== 'object') return null;
  if (Array.isArray(body.message)) return body.message.join(' ');
  return body.message ?? null;
}

export function apiStatus(err: unknown): number {
  return err instanceof HttpErrorResponse ? err.status : 0;
}

/**
 * Puts the API's field-level errors (`errors: [{field, message}]`) on the matching form
 * controls as a `server` error. Returns true when at least one field matched, so the caller
 * knows whether a general banner is still needed.
 */
export function applyServerErrors(form: FormGroup, err: unknown): boolean {
  if (!(err instanceof HttpErrorResponse)) return false;
  const body = err.error as ApiErrorBody | null;
  let matched = false;
  for (const fe of body?.errors ?? []) {
    const control = findControl(form, fe.field);
    if (control) {
      control.setErrors({ ...(control.errors ?? {}), server: fe.message });
      control.markAsTouched();
      matched = true;
    }
  }
  return matched;
}

function findControl(form: FormGroup, field: string): AbstractControl | null {
  // API fields may be dotted ("admin.email") while the form is flat; try both.
  return form.get(field) ?? form.get(field.split('.').pop() ?? field);
}
