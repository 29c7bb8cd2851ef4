import { Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { TranslocoPipe } from '@jsverse/transloco';
import { apiMessage, applyServerErrors } from '../../core/api-errors';
import { FieldErrorComponent } from '../../shared/field-error.component';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { SupportGrantsApi, SupportScope } from './support.api';

/** Grants the vendor's support staff access for a while. Closes with true once granted. */
@Component({
  selector: 'app-grant-dialog',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    TranslocoPipe,
    FieldErrorComponent,
    StatusBannerComponent,
  ],
  template: `
    <h2 mat-dialog-title>{{ 'admin.support.grantTitle' | transloco }}</h2>
    <form [formGroup]="form" (ngSubmit)="submit()">
      <mat-dialog-content class="form-column dialog-form">
        @if (error(); as e) {
          <app-status-banner kind="error" [text]="e.text" [key]="e.text ? null : 'errors.generic'" />
        }
        <mat-form-field>
          <mat-label>{{ 'admin.support.scope' | transloco }}</mat-label>
          <mat-select formControlName="scope" data-testid="grant-scope">
            <mat-option value="read" data-testid="grant-scope-read">{{
              'admin.support.scopes.read' | transloco
            }}</mat-option>
            <mat-option value="admin" data-testid="grant-scope-admin">{{
              'admin.support.scopes.admin' | transloco
            }}</mat-option>
          </mat-select>
          <mat-hint>{{ 'admin.support.scopeHint' | transloco }}</mat-hint>
        </mat-form-field>
        <mat-form-field>
          <mat-label>{{ 'admin.support.reason' | transloco }}</mat-label>
          <textarea matInput rows="3" formControlName="reason" data-testid="grant-reason"></textarea>
          <mat-hint>{{ 'admin.support.reasonHint' | transloco }}</mat-hint>
          <mat-error><app-field-error [control]="form.controls.reason" /></mat-error>
        </mat-form-field>
        <mat-form-field>
          <mat-label>{{ 'admin.support.hours' | transloco }}</mat-label>
          <input matInput type="number" min="1" max="168" formControlName="expiresInHours" data-testid="grant-hours" />
          <mat-hint>{{ 'admin.support.hoursHint' | transloco }}</mat-hint>
          <mat-error>{{ 'admin.support.hoursError' | transloco }}</mat-error>
        </mat-form-field>
        <mat-form-field>
          <mat-label>{{ 'admin.support.granteeEmail' | transloco }} ({{ 'common.optional' | transloco }})</mat-label>
          <input matInput type="email" formControlName="granteeEmail" data-testid="grant-email" />
          <mat-hint>{{ 'admin.support.granteeHint' | transloco }}</mat-hint>
          <mat-error><app-field-error [control]="form.controls.granteeEmail" /></mat-error>
        </mat-form-field>
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close data-testid="grant-cancel">
          {{ 'common.cancel' | transloco }}
        </button>
        <button mat-flat-button type="submit" [disabled]="busy()" data-testid="grant-save">
          {{ 'admin.support.grant' | transloco }}
        </button>
      </mat-dialog-actions>
    </form>
  `,
})
export class GrantDialogComponent {
  private readonly api = inject(SupportGrantsApi);
  private readonly ref = inject(MatDialogRef<GrantDialogComponent, boolean>);
  protected readonly form = inject(NonNullableFormBuilder).group({
    scope: ['read' as SupportScope],
    reason: ['', [Validators.required, Validators.minLength(5), Validators.maxLength(500)]],
    expiresInHours: [24, [Validators.required, Validators.min(1), Validators.max(168)]],
    granteeEmail: ['', Validators.email],
  });
  protected readonly busy = signal(false);
  protected readonly error = signal<{ text: string | null } | null>(null);

  protected submit(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const v = this.form.getRawValue();
    this.busy.set(true);
    this.error.set(null);
    this.api
      .create({
        scope: v.scope,
        reason: v.reason.trim(),
        expiresInHours: Number(v.expiresInHours),
        ...(v.granteeEmail.trim() ? { granteeEmail: v.granteeEmail.trim() } : {}),
      })
      .subscribe({
        next: () => this.ref.close(true),
        error: (err: unknown) => {
          this.busy.set(false);
          if (!applyServerErrors(this.form, err)) this.error.set({ text: apiMessage(err) });
        },
      });
  }
}
