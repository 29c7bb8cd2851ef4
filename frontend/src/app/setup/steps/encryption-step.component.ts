import { Component, inject, output } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatRadioModule } from '@angular/material/radio';
import { TranslocoPipe } from '@jsverse/transloco';
import { FieldErrorComponent } from '../../shared/field-error.component';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { EncryptionConfig, SetupApi } from '../setup.api';
import { SetupStore } from '../setup.store';
import { StepRequest, followChoice, readyToSend } from '../step-request';
import { ConnectionTestComponent } from './connection-test.component';
import { StepActionsComponent } from './step-actions.component';

@Component({
  selector: 'app-encryption-step',
  imports: [
    ReactiveFormsModule,
    MatFormFieldModule,
    MatInputModule,
    MatRadioModule,
    TranslocoPipe,
    FieldErrorComponent,
    StatusBannerComponent,
    ConnectionTestComponent,
    StepActionsComponent,
  ],
  template: `
    <form [formGroup]="form" (ngSubmit)="submit()" class="form-column">
      @if (req.error(); as e) {
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

      <app-connection-test
        [testing]="req.testing()"
        [result]="req.testResult()"
        (run)="test()"
        testId="setup-encryption-test"
      />

      <app-step-actions [busy]="req.busy()" (back)="back.emit()" />
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
  protected readonly req = new StepRequest(this.form);
  protected readonly mode = followChoice(this.form.controls.mode, this.req, (m) => this.applyValidators(m));

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
    if (readyToSend(this.form)) this.req.test(this.api.testEncryption(this.body()));
  }

  protected submit(): void {
    if (!readyToSend(this.form)) return;
    const body = this.body();
    this.req.save(this.api.saveEncryption(body), () => {
      this.store.patch({ encryption: body });
      this.done.emit();
    });
  }
}
