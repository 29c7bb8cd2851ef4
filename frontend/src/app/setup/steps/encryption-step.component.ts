import { Component, DestroyRef, inject, output, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatRadioModule } from '@angular/material/radio';
import { TranslocoPipe } from '@jsverse/transloco';
import { apiMessage, applyServerErrors } from '../../core/api-errors';
import { TestResult } from '../../core/api.types';
import { FieldErrorComponent } from '../../shared/field-error.component';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { EncryptionConfig, SetupApi } from '../setup.api';
import { SetupStore } from '../setup.store';
import { TestResultComponent } from './test-result.component';

@Component({
  selector: 'app-encryption-step',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatRadioModule,
    TranslocoPipe,
    FieldErrorComponent,
    StatusBannerComponent,
    TestResultComponent,
  ],
  template: `
    <form [formGroup]="form" (ngSubmit)="submit()" class="form-column">
      @if (error(); as e) {
        <app-status-banner kind="error" [text]="e.text" [key]="e.text ? null : 'errors.generic'" />
      }
      <mat-radio-group formControlName="mode" class="radio-column">
        <mat-radio-button value="local" data-testid="setup-encryption-mode-local">
          {{ 'setup.encryption.local' | transloco }}
        </mat-radio-button>
        <div class="muted option-hint">{{ 'setup.encryption.localHint' | transloco }}</div>
        <mat-radio-button value="kms" data-testid="setup-encryption-mode-kms">
          {{ 'setup.encryption.kms' | transloco }}
        </mat-radio-button>
      </mat-radio-group>

      @if (mode() === 'kms') {
        <mat-form-field>
          <mat-label>{{ 'fields.kmsKeyId' | transloco }}</mat-label>
          <input matInput formControlName="kmsKeyId" data-testid="setup-encryption-kms-key-id" />
          <mat-error><app-field-error [control]="form.controls.kmsKeyId" /></mat-error>
        </mat-form-field>
        <div class="form-row">
          <mat-form-field>
            <mat-label>{{ 'fields.kmsRegion' | transloco }}</mat-label>
            <input matInput formControlName="kmsRegion" data-testid="setup-encryption-kms-region" />
            <mat-error><app-field-error [control]="form.controls.kmsRegion" /></mat-error>
          </mat-form-field>
          <mat-form-field>
            <mat-label>{{ 'fields.kmsEndpoint' | transloco }}</mat-label>
            <input matInput formControlName="kmsEndpoint" data-testid="setup-encryption-kms-endpoint" />
            <mat-hint>{{ 'common.optional' | transloco }}</mat-hint>
            <mat-error><app-field-error [control]="form.controls.kmsEndpoint" /></mat-error>
          </mat-form-field>
        </div>
      }

      <div class="test-row">
        <button
          mat-stroked-button
          type="button"
          (click)="test()"
          [disabled]="testing()"
          data-testid="setup-encryption-test"
        >
          {{ 'setup.testConnection' | transloco }}
        </button>
        <app-test-result [result]="testResult()" data-testid="setup-encryption-test-result" />
      </div>

      <div class="step-actions">
        <button mat-button type="button" (click)="back.emit()" data-testid="setup-back">
          {{ 'common.back' | transloco }}
        </button>
        <span class="spacer"></span>
        <button mat-flat-button type="submit" [disabled]="busy()" data-testid="setup-next">
          {{ 'common.next' | transloco }}
        </button>
      </div>
    </form>
  `,
})
export class EncryptionStepComponent {
  readonly done = output<void>();
  readonly back = output<void>();

  private readonly api = inject(SetupApi);
  private readonly store = inject(SetupStore);
  private readonly initial = this.store.state().encryption;

  protected readonly form = inject(NonNullableFormBuilder).group({
    mode: [this.initial?.mode ?? ('local' as EncryptionConfig['mode'])],
    kmsKeyId: [this.initial?.kmsKeyId ?? ''],
    kmsRegion: [this.initial?.kmsRegion ?? ''],
    kmsEndpoint: [this.initial?.kmsEndpoint ?? ''],
  });
  protected readonly mode = signal(this.form.controls.mode.value);
  protected readonly busy = signal(false);
  protected readonly testing = signal(false);
  protected readonly testResult = signal<TestResult | null>(null);
  protected readonly error = signal<{ text: string | null } | null>(null);

  constructor() {
    this.applyValidators(this.mode());
    this.form.controls.mode.valueChanges.pipe(takeUntilDestroyed(inject(DestroyRef))).subscribe((m) => {
      this.mode.set(m);
      this.testResult.set(null);
      this.applyValidators(m);
    });
  }

  private applyValidators(mode: EncryptionConfig['mode']): void {
    const { kmsKeyId, kmsRegion } = this.form.controls;
    for (const c of [kmsKeyId, kmsRegion]) {
      c.setValidators(mode === 'kms' ? Validators.required : null);
      c.updateValueAndValidity({ emitEvent: false });
    }
  }

  private body(): EncryptionConfig {
    const v = this.form.getRawValue();
    if (v.mode === 'local') return { mode: 'local' };
    const body: EncryptionConfig = { mode: 'kms', kmsKeyId: v.kmsKeyId.trim(), kmsRegion: v.kmsRegion.trim() };
    if (v.kmsEndpoint.trim()) body.kmsEndpoint = v.kmsEndpoint.trim();
    return body;
  }

  protected test(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.testing.set(true);
    this.testResult.set(null);
    this.api.testEncryption(this.body()).subscribe({
      next: (r) => {
        this.testing.set(false);
        this.testResult.set(r);
      },
      error: (err: unknown) => {
        this.testing.set(false);
        applyServerErrors(this.form, err);
        this.testResult.set({ ok: false, message: apiMessage(err) ?? '' });
      },
    });
  }

  protected submit(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const body = this.body();
    this.busy.set(true);
    this.error.set(null);
    this.api.saveEncryption(body).subscribe({
      next: () => {
        this.busy.set(false);
        this.store.patch({ encryption: body });
        this.done.emit();
      },
      error: (err: unknown) => {
        this.busy.set(false);
        if (!applyServerErrors(this.form, err)) this.error.set({ text: apiMessage(err) });
      },
    });
  }
}
