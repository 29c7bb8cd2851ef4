import { Component, computed, effect, inject, input, output, signal } from '@angular/core';
import { FormControl, NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { TranslocoPipe } from '@jsverse/transloco';
import { apiMessage, applyServerErrors } from '../../core/api-errors';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { GIB, formatBytes } from './bytes';
import { RECORDING_SOURCES, RecordingSource, StorageApi, StoragePolicy } from './storage.api';

const MAX_RETENTION_DAYS = 3650;
const optionalDays = () => ['', [Validators.min(1), Validators.max(MAX_RETENTION_DAYS), Validators.pattern(/^\d*$/)]];

/** Empty input = no value (keep forever / use the general retention / no capacity limit). */
function numberOrNull(text: string | number): number | null {
  const s = String(text).trim();
  return s === '' ? null : Number(s);
}

/**
 * Retention and capacity policy. The capacity is the contract's in the hosted (multi-tenant)
 * service, where the API refuses to change it: shown read-only there. Auditors see it all read-only.
 */
@Component({
  selector: 'app-policy-form',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    TranslocoPipe,
    StatusBannerComponent,
  ],
  templateUrl: './policy-form.component.html',
})
export class PolicyFormComponent {
  private readonly api = inject(StorageApi);
  readonly policy = input.required<StoragePolicy>();
  readonly editable = input.required<boolean>();
  /** Single mode: the customer's admin owns the capacity. */
  readonly capacityEditable = input.required<boolean>();
  readonly saved = output<StoragePolicy>();

  protected readonly sources = RECORDING_SOURCES;
  protected readonly form = inject(NonNullableFormBuilder).group({
    capacityGb: ['', [Validators.min(0), Validators.pattern(/^\d+(\.\d+)?$/)]],
    whenFull: ['reject' as 'rotate' | 'reject'],
    audioQuality: ['telephone' as 'telephone' | 'wideband'],
    retentionDays: optionalDays(),
    flexlog: optionalDays(),
    flexdplayer: optionalDays(),
    upload: optionalDays(),
    operatorsSeeOwnCallsOnly: [true],
    shareLinkMaxHours: [168, [Validators.required, Validators.min(1), Validators.max(168)]],
  });
  protected readonly busy = signal(false);
  protected readonly error = signal<{ text: string | null } | null>(null);
  protected readonly done = signal(false);
  protected readonly capacityText = computed(() => formatBytes(this.policy().capacityBytes));

  constructor() {
    effect(() => this.fill(this.policy(), this.editable(), this.capacityEditable()));
  }

  protected sourceControl(source: RecordingSource): FormControl<string> {
    return this.form.controls[source] as FormControl<string>;
  }

  private fill(p: StoragePolicy, editable: boolean, capacityEditable: boolean): void {
    const text = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));
    this.form.reset({
      capacityGb: p.capacityBytes === null ? '' : String(Math.round((p.capacityBytes / GIB) * 100) / 100),
      whenFull: p.whenFull,
      audioQuality: p.audioQuality ?? 'telephone',
      retentionDays: text(p.retentionDays),
      flexlog: text(p.retentionBySource.flexlog),
      flexdplayer: text(p.retentionBySource.flexdplayer),
      upload: text(p.retentionBySource.upload),
      operatorsSeeOwnCallsOnly: p.operatorsSeeOwnCallsOnly,
      shareLinkMaxHours: p.shareLinkMaxHours,
    });
    if (editable) this.form.enable();
    else this.form.disable();
    if (!editable || !capacityEditable) this.form.controls.capacityGb.disable();
  }

  protected submit(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const v = this.form.getRawValue();
    const bySource: Partial<Record<RecordingSource, number>> = {};
    for (const s of this.sources) {
      const days = numberOrNull(v[s]);
      if (days !== null) bySource[s] = days;
    }
    const capacityGb = numberOrNull(v.capacityGb);
    const patch: Partial<StoragePolicy> = {
      whenFull: v.whenFull,
      audioQuality: v.audioQuality,
      retentionDays: numberOrNull(v.retentionDays),
      retentionBySource: bySource,
      operatorsSeeOwnCallsOnly: v.operatorsSeeOwnCallsOnly,
      shareLinkMaxHours: Number(v.shareLinkMaxHours),
      // Sent only where the admin owns it: the hosted service answers 403 for any capacityBytes.
      ...(this.capacityEditable() ? { capacityBytes: capacityGb === null ? null : Math.round(capacityGb * GIB) } : {}),
    };
    this.busy.set(true);
    this.error.set(null);
    this.done.set(false);
    this.api.updatePolicy(patch).subscribe({
      next: (p) => {
        this.busy.set(false);
        this.done.set(true);
        this.saved.emit(p);
      },
      error: (err: unknown) => {
        this.busy.set(false);
        if (!applyServerErrors(this.form, err)) this.error.set({ text: apiMessage(err) });
      },
    });
  }
}
