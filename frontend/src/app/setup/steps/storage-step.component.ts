import { Component, DestroyRef, inject, output, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatRadioModule } from '@angular/material/radio';
import { TranslocoPipe } from '@jsverse/transloco';
import { apiMessage, applyServerErrors } from '../../core/api-errors';
import { TestResult } from '../../core/api.types';
import { FieldErrorComponent } from '../../shared/field-error.component';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { SetupApi, StorageConfig } from '../setup.api';
import { SetupStore } from '../setup.store';
import { TestResultComponent } from './test-result.component';

const DEFAULT_LOCAL_PATH = './data/recordings';
const S3_REQUIRED = ['region', 'bucket', 'accessKeyId', 'secretAccessKey'] as const;

@Component({
  selector: 'app-storage-step',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatRadioModule,
    TranslocoPipe,
    FieldErrorComponent,
    StatusBannerComponent,
    TestResultComponent,
  ],
  templateUrl: './storage-step.component.html',
})
export class StorageStepComponent {
  readonly done = output<void>();
  readonly back = output<void>();

  private readonly api = inject(SetupApi);
  private readonly store = inject(SetupStore);
  private readonly initial = this.store.state().storage;

  protected readonly form = inject(NonNullableFormBuilder).group({
    driver: [this.initial?.driver ?? ('local' as StorageConfig['driver'])],
    localPath: [this.initial?.localPath ?? DEFAULT_LOCAL_PATH],
    endpoint: [this.initial?.endpoint ?? ''],
    region: [this.initial?.region ?? ''],
    bucket: [this.initial?.bucket ?? ''],
    accessKeyId: [this.initial?.accessKeyId ?? ''],
    secretAccessKey: [this.initial?.secretAccessKey ?? ''],
    forcePathStyle: [this.initial?.forcePathStyle ?? false],
  });
  protected readonly driver = signal(this.form.controls.driver.value);
  protected readonly busy = signal(false);
  protected readonly testing = signal(false);
  protected readonly testResult = signal<TestResult | null>(null);
  protected readonly error = signal<{ text: string | null } | null>(null);

  constructor() {
    this.applyValidators(this.driver());
    this.form.controls.driver.valueChanges.pipe(takeUntilDestroyed(inject(DestroyRef))).subscribe((d) => {
      this.driver.set(d);
      this.testResult.set(null);
      this.applyValidators(d);
    });
  }

  private applyValidators(driver: StorageConfig['driver']): void {
    const c = this.form.controls;
    c.localPath.setValidators(driver === 'local' ? Validators.required : null);
    for (const name of S3_REQUIRED) c[name].setValidators(driver === 's3' ? Validators.required : null);
    for (const ctrl of Object.values(c)) ctrl.updateValueAndValidity({ emitEvent: false });
  }

  private body(): StorageConfig {
    const v = this.form.getRawValue();
    if (v.driver === 'local') return { driver: 'local', localPath: v.localPath.trim() };
    return {
      driver: 's3',
      endpoint: v.endpoint.trim(),
      region: v.region.trim(),
      bucket: v.bucket.trim(),
      accessKeyId: v.accessKeyId.trim(),
      secretAccessKey: v.secretAccessKey,
      forcePathStyle: v.forcePathStyle,
    };
  }

  protected test(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.testing.set(true);
    this.testResult.set(null);
    this.api.testStorage(this.body()).subscribe({
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
    this.api.saveStorage(body).subscribe({
      next: () => {
        this.busy.set(false);
        this.store.patch({ storage: body });
        this.done.emit();
      },
      error: (err: unknown) => {
        this.busy.set(false);
        // 422 = the server's own connection test failed; its message says why.
        if (!applyServerErrors(this.form, err)) this.error.set({ text: apiMessage(err) });
      },
    });
  }
}
