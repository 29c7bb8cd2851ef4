import { Component, inject, output, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { switchMap } from 'rxjs';
import { apiStatus } from '../../core/api-errors';
import { AuthService } from '../../core/auth.service';
import { FieldErrorComponent } from '../../shared/field-error.component';
import { NewPasswordFieldsComponent } from '../../shared/new-password-fields.component';
import { matchValidator, passwordPolicyValidator } from '../../shared/password-policy';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { SetupApi } from '../setup.api';
import { SetupStore } from '../setup.store';
import { StepRequest } from '../step-request';
import { StepActionsComponent } from './step-actions.component';

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
    NewPasswordFieldsComponent,
    StatusBannerComponent,
    StepActionsComponent,
  ],
  template: `
    <form [formGroup]="form" (ngSubmit)="submit()" class="form-column">
      @if (exists()) {
        <app-status-banner kind="warn" key="setup.admin.exists" />
        <a mat-stroked-button routerLink="/login" [queryParams]="{ resume: 'setup' }" data-testid="setup-signin">
          {{ 'setup.signInToContinue' | transloco }}
        </a>
      } @else if (req.error(); as e) {
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
      <app-new-password-fields passwordTestId="setup-admin-password" confirmTestId="setup-admin-password-confirm" />
      <app-step-actions [busy]="req.busy()" [showBack]="false" nextKey="setup.createAdmin" />
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
  protected readonly req = new StepRequest(this.form);
  protected readonly exists = signal(false);

  protected submit(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { email, displayName, password } = this.form.getRawValue();
    // The answer carries login cookies: load the session so later steps are authorised.
    const request = this.api.createAdmin({ email, displayName, password }).pipe(switchMap(() => this.auth.reload()));
    this.req.save(
      request,
      () => {
        this.store.patch({ adminCreated: true });
        // This browser now holds the admin's session (the state probe before it answered 401).
        this.store.needsSignIn.set(false);
        this.done.emit();
      },
      // 409: an admin exists already; the template offers sign-in instead of a banner.
      (err) => {
        if (apiStatus(err) !== 409) return false;
        this.exists.set(true);
        return true;
      },
    );
  }
}
