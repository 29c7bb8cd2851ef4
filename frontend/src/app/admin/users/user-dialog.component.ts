import { Component, inject, signal } from '@angular/core';
import {
  AbstractControl,
  NonNullableFormBuilder,
  ReactiveFormsModule,
  ValidationErrors,
  Validators,
} from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { TranslocoPipe } from '@jsverse/transloco';
import { Observable } from 'rxjs';
import { apiMessage, applyServerErrors } from '../../core/api-errors';
import { Role, TENANT_ROLES, User } from '../../core/api.types';
import { FieldErrorComponent } from '../../shared/field-error.component';
import { passwordPolicyValidator } from '../../shared/password-policy';
import { SecretRevealComponent } from '../../shared/secret-reveal.component';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { EXTENSION_PATTERN, MAX_EXTENSIONS, ManagedUser, UsersService, parseExtensions } from './users.service';

/** Each listed extension must be one the API takes, and at most MAX_EXTENSIONS of them. */
function extensionsValidator(control: AbstractControl<string>): ValidationErrors | null {
  const list = parseExtensions(control.value ?? '');
  if (list.length > MAX_EXTENSIONS) return { extensionsCount: MAX_EXTENSIONS };
  const bad = list.find((e) => !EXTENSION_PATTERN.test(e));
  return bad ? { extension: bad } : null;
}

/** Create (no data) or edit (data = the user) dialog. Closes with true when something changed. */
@Component({
  selector: 'app-user-dialog',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    TranslocoPipe,
    FieldErrorComponent,
    SecretRevealComponent,
    StatusBannerComponent,
  ],
  templateUrl: './user-dialog.component.html',
})
export class UserDialogComponent {
  protected readonly user = inject<ManagedUser | null>(MAT_DIALOG_DATA, { optional: true });
  private readonly users = inject(UsersService);
  private readonly ref = inject(MatDialogRef<UserDialogComponent, boolean>);

  // Keep roles a user already has even if a tenant admin could not grant them.
  protected readonly roleOptions: Role[] = [
    ...TENANT_ROLES,
    ...(this.user?.roles ?? []).filter((r) => !TENANT_ROLES.includes(r)),
  ];
  protected readonly form = inject(NonNullableFormBuilder).group({
    email: [{ value: this.user?.email ?? '', disabled: !!this.user }, [Validators.required, Validators.email]],
    displayName: [this.user?.displayName ?? '', Validators.required],
    roles: [this.user?.roles ?? (['operator'] as Role[]), Validators.required],
    password: ['', passwordPolicyValidator('email')],
    extensions: [(this.user?.extensions ?? []).join(', '), extensionsValidator],
  });
  protected readonly busy = signal(false);
  protected readonly error = signal<{ text: string | null } | null>(null);
  protected readonly temporaryPassword = signal<string | null>(null);

  protected submit(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const v = this.form.getRawValue();
    const extensions = parseExtensions(v.extensions);
    const call: Observable<{ temporaryPassword?: string } | User> = this.user
      ? this.users.update(this.user.id, { displayName: v.displayName.trim(), roles: v.roles, extensions })
      : this.users.create({
          email: v.email.trim(),
          displayName: v.displayName.trim(),
          roles: v.roles,
          extensions,
          ...(v.password ? { password: v.password } : {}),
        });
    this.busy.set(true);
    this.error.set(null);
    call.subscribe({
      next: (res) => {
        this.busy.set(false);
        const temp = 'temporaryPassword' in res ? res.temporaryPassword : undefined;
        // Show the generated password once; otherwise we are done.
        if (temp) this.temporaryPassword.set(temp);
        else this.ref.close(true);
      },
      error: (err: unknown) => {
        this.busy.set(false);
        if (!applyServerErrors(this.form, err)) this.error.set({ text: apiMessage(err) });
      },
    });
  }
}
