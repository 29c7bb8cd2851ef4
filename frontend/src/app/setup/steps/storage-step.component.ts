import { Component, inject, output } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatRadioModule } from '@angular/material/radio';
import { TranslocoPipe } from '@jsverse/transloco';
import { FieldErrorComponent } from '../../shared/field-error.component';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { SetupApi, StorageConfig } from '../setup.api';
import { SetupStore } from '../setup.store';
import { StepRequest, followChoice, readyToSend } from '../step-request';
import { ConnectionTestComponent } from './connection-test.component';
import { StepActionsComponent } from './step-actions.component';

const DEFAULT_LOCAL_PATH = './data/recordings';
const S3_REQUIRED = ['region', 'bucket', 'accessKeyId', 'secretAccessKey'] as const;

@Component({
  selector: 'app-storage-step',
  imports: [
    ReactiveFormsModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatRadioModule,
    TranslocoPipe,
    FieldErrorComponent,
    StatusBannerComponent,
    ConnectionTestComponent,
    StepActionsComponent,
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
  protected readonly req = new StepRequest(this.form);
  protected readonly driver = followChoice(this.form.controls.driver, this.req, (d) => this.applyValidators(d));

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
    if (readyToSend(this.form)) this.req.test(this.api.testStorage(this.body()));
  }

  protected submit(): void {
    if (!readyToSend(this.form)) return;
    const body = this.body();
    // A 422 (the server's own connection test failed) lands in the banner with the server's reason.
    this.req.save(this.api.saveStorage(body), () => {
      this.store.patch({ storage: body });
      this.done.emit();
    });
  }
}
