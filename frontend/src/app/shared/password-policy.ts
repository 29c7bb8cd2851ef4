import { AbstractControl, ValidationErrors, ValidatorFn } from '@angular/forms';

/**
 * Client-side mirror of the server's policy: 10+ characters, at least 3 of
 * lower/upper/digit/symbol, not containing the email's local part. The server stays the judge.
 */
export function passwordPolicyValidator(emailControlName?: string): ValidatorFn {
  return (control: AbstractControl): ValidationErrors | null => {
    const value: string = control.value ?? '';
    if (!value) return null;
    const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(value)).length;
    const email: string = emailControlName ? (control.parent?.get(emailControlName)?.value ?? '') : '';
    const local = email.split('@')[0]?.toLowerCase() ?? '';
    const containsLocal = local.length >= 3 && value.toLowerCase().includes(local);
    return value.length < 10 || classes < 3 || containsLocal ? { policy: true } : null;
  };
}

/** Group validator: `confirm` must equal `password`; sets `mismatch` on the confirm control. */
export function matchValidator(passwordName: string, confirmName: string): ValidatorFn {
  return (group: AbstractControl): ValidationErrors | null => {
    const confirm = group.get(confirmName);
    if (!confirm) return null;
    const mismatch = confirm.value && group.get(passwordName)?.value !== confirm.value;
    const others = { ...(confirm.errors ?? {}) };
    delete others['mismatch'];
    const next = mismatch ? { ...others, mismatch: true } : Object.keys(others).length ? others : null;
    if (JSON.stringify(next) !== JSON.stringify(confirm.errors)) confirm.setErrors(next);
    return null;
  };
}
