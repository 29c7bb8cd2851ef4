import { Component, inject, output, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { switchMap } from 'rxjs';
import { apiMessage, apiStatus, applyServerErrors } from '../../core/api-errors';
import { AuthService } from '../../core/auth.service';
import { FieldErrorComponent } from '../../shared/field-error.component';
import { matchValidator, passwordPolicyValidator } from '../../shared/password-policy';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { SetupApi } from '../setup.api';
import { SetupStore } from '../setup.store';

@Component({
  selector: 'app-admin-step',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    RouterLink,
    TranslocoPipe,
    FieldErrorComponent,
    StatusBannerComponent,
  ],
  template: `
    <form [formGroup]="form" (ngSubmit)="submit()" class="form-column">
      @if (exists()) {
        <app-status-banner kind="warn" key="setup.admin.exists" />
        <a mat-stroked-button routerLink="/login" [queryParams]="{ resume: 'setup' }" data-testid="setup-signin">
          {{ 'setup.signInToContinue' | transloco }}
        </a>
      } @else if (error(); as e) {
        <app-status-banner kind="error" [text]="e.text" [key]="e.text ? null : 'errors.generic'" />
      }
      <mat-form-field>
        <mat-label>{{ 'fields.email' | transloco }}</mat-label>
        <input matInput type="email" formControlName="email" autocomplete="username" data-testid="setup-admin-email" />
        <mat-error><app-field-error [control]="form.controls.email" /></mat-error>
      </mat-form-field>
      <mat-form-field>
        <mat-label>{{ 'fields.displayName' | transloco }}</mat-label>
        <input matInput formControlName="displayName" autocomplete="name" data-testid="setup-admin-name" />
        <mat-error><app-field-error [control]="form.controls.displayName" /></mat-error>
      </mat-form-field>
      <mat-form-field>
        <mat-label>{{ 'fields.password' | transloco }}</mat-label>
        <input
          matInput
          type="password"
          formControlName="password"
          autocomplete="new-password"
          data-testid="setup-admin-password"
        />
        <mat-hint>{{ 'password.policy' | transloco }}</mat-hint>
        <mat-error><app-field-error [control]="form.controls.password" /></mat-error>
      </mat-form-field>
      <mat-form-field class="after-hint">
        <mat-label>{{ 'fields.passwordConfirm' | transloco }}</mat-label>
        <input
          matInput
          type="password"
          formControlName="confirm"
          autocomplete="new-password"
          data-testid="setup-admin-password-confirm"
        />
        <mat-error><app-field-error [control]="form.controls.confirm" /></mat-error>
      </mat-form-field>
      <div class="step-actions">
        <span class="spacer"></span>
        <button mat-flat-button type="submit" [disabled]="busy()" data-testid="setup-next">
          {{ 'setup.createAdmin' | transloco }}
        </button>
      </div>
    </form>
  `,
})
export class AdminStepComponent {
  readonly done = output<void>();

  private readonly api = inject(SetupApi);
  private readonly auth = inject(AuthService);
  private readonly store = inject(SetupStore);

  protected readonly form = inject(NonNullableFormBuilder).group(
    {
      email: ['', [Validators.required, Validators.email]],
      displayName: ['', Validators.required],
      password: ['', [Validators.required, passwordPolicyValidator('email')]],
      confirm: ['', Validators.required],
    },
    { validators: matchValidator('password', 'confirm') },
  );
  protected readonly busy = signal(false);
  protected readonly error = signal<{ text: string | null } | null>(null);
  protected readonly exists = signal(false);

  protected submit(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { email, displayName, password } = this.form.getRawValue();
    this.busy.set(true);
    this.error.set(null);
    this.api
      .createAdmin({ email, displayName, password })
      // The answer carries login cookies: load the session so later steps are authorised.
      .pipe(switchMap(() => this.auth.reload()))
      .subscribe({
        next: () => {
          this.busy.set(false);
          this.store.patch({ adminCreated: true });
          // This browser now holds the admin's session (the state probe before it answered 401).
          this.store.needsSignIn.set(false);
          this.done.emit();
        },
        error: (err: unknown) => {
          this.busy.set(false);
          if (apiStatus(err) === 409) this.exists.set(true);
          else if (!applyServerErrors(this.form, err)) this.error.set({ text: apiMessage(err) });
        },
      });
  }
}
