import { Clipboard } from '@angular/cdk/clipboard';
import { Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { TranslocoPipe, TranslocoService } from '@jsverse/transloco';
import { apiMessage } from '../../core/api-errors';
import { AuthService } from '../../core/auth.service';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { RecordingsApi } from '../recordings.api';
import { ShareLink } from '../recordings.types';
import { TenantTimePipe } from '../tenant-time';

/** The API's own ceiling (share-links.ts SHARE_MAX_HOURS); a tenant's policy may set less. */
export const SHARE_CEILING_HOURS = 168;
const PRESETS = [1, 24, 72, 168];

@Component({
  selector: 'app-share-dialog',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    TranslocoPipe,
    StatusBannerComponent,
    TenantTimePipe,
  ],
  template: `
    <h2 mat-dialog-title>{{ 'recordings.share.title' | transloco }}</h2>
    <mat-dialog-content class="form-column">
      @if (link(); as l) {
        <app-status-banner kind="ok" key="recordings.share.created" />
        <mat-form-field>
          <mat-label>{{ 'recordings.share.url' | transloco }}</mat-label>
          <input matInput readonly [value]="absolute(l.url)" data-testid="share-url" />
        </mat-form-field>
        <p>
          {{ 'recordings.share.expires' | transloco: { at: (l.expiresAt | tenantTime: lang() : 'dateTime') } }}
        </p>
        <p class="banner warn">{{ 'recordings.share.warning' | transloco }}</p>
      } @else {
        <p>{{ 'recordings.share.intro' | transloco }}</p>
        <div class="preset-row" role="group" [attr.aria-label]="'recordings.share.presets' | transloco">
          @for (h of presets(); track h) {
            <button mat-stroked-button type="button" (click)="form.controls.hours.setValue(h)">
              {{ 'recordings.share.hours' | transloco: { n: h } }}
            </button>
          }
        </div>
        <mat-form-field>
          <mat-label>{{ 'recordings.share.validFor' | transloco }}</mat-label>
          <input
            matInput
            type="number"
            min="1"
            [max]="max()"
            [formControl]="form.controls.hours"
            data-testid="share-hours"
          />
          <mat-hint>{{
            (policyKnown() ? 'recordings.share.max' : 'recordings.share.maxServer') | transloco: { n: max() }
          }}</mat-hint>
          @if (form.controls.hours.invalid) {
            <mat-error>{{ 'recordings.share.range' | transloco: { n: max() } }}</mat-error>
          }
        </mat-form-field>
        @if (busy()) {
          <mat-progress-bar mode="indeterminate" />
        }
        @if (error(); as e) {
          <app-status-banner kind="error" [text]="e.text" [key]="e.text ? null : 'errors.generic'" />
        }
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      @if (link(); as l) {
        <button mat-button (click)="copy(l.url)" data-testid="share-copy">
          {{ (copied() ? 'common.copied' : 'common.copy') | transloco }}
        </button>
        <button mat-flat-button mat-dialog-close>{{ 'common.close' | transloco }}</button>
      } @else {
        <button mat-button mat-dialog-close>{{ 'common.cancel' | transloco }}</button>
        <button mat-flat-button (click)="create()" [disabled]="busy()" data-testid="share-create">
          {{ 'recordings.share.create' | transloco }}
        </button>
      }
    </mat-dialog-actions>
  `,
  styles: `
    .preset-row {
      display: flex;
      gap: 8px;
      flex-wrap: wrap;
      margin-bottom: 12px;
    }
  `,
})
export class ShareDialogComponent {
  private readonly data = inject<{ callId: string }>(MAT_DIALOG_DATA);
  private readonly api = inject(RecordingsApi);
  private readonly clipboard = inject(Clipboard);
  private readonly transloco = inject(TranslocoService);

  protected readonly lang = signal(this.transloco.getActiveLang());
  protected readonly max = signal(SHARE_CEILING_HOURS);
  protected readonly policyKnown = signal(false);
  protected readonly presets = signal(PRESETS);
  protected readonly busy = signal(false);
  protected readonly error = signal<{ text: string | null } | null>(null);
  protected readonly link = signal<ShareLink | null>(null);
  protected readonly copied = signal(false);
  protected readonly form = inject(NonNullableFormBuilder).group({
    hours: [24, [Validators.required, Validators.min(1), Validators.max(SHARE_CEILING_HOURS)]],
  });

  constructor() {
    // Only admins and auditors may read the policy; for others the server checks the limit on create.
    if (inject(AuthService).hasAnyRole(['tenantAdmin', 'auditor'])) {
      this.api.policy().subscribe({
        next: (p) => this.limitTo(p.shareLinkMaxHours),
        error: () => undefined,
      });
    }
  }

  private limitTo(max: number): void {
    this.max.set(max);
    this.policyKnown.set(true);
    this.presets.set(PRESETS.filter((h) => h <= max));
    const hours = this.form.controls.hours;
    hours.setValidators([Validators.required, Validators.min(1), Validators.max(max)]);
    if (hours.value > max) hours.setValue(max);
    hours.updateValueAndValidity();
  }

  protected absolute(url: string): string {
    return new URL(url, window.location.origin).toString();
  }

  protected create(): void {
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    this.busy.set(true);
    this.error.set(null);
    this.api.share(this.data.callId, Math.round(this.form.controls.hours.value)).subscribe({
      next: (link) => {
        this.busy.set(false);
        this.link.set(link);
      },
      error: (err: unknown) => {
        this.busy.set(false);
        this.error.set({ text: apiMessage(err) });
      },
    });
  }

  protected copy(url: string): void {
    this.copied.set(this.clipboard.copy(this.absolute(url)));
  }
}
