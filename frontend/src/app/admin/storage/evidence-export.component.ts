import { Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatRadioModule } from '@angular/material/radio';
import { TranslocoPipe } from '@jsverse/transloco';
import { apiMessage, applyServerErrors } from '../../core/api-errors';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { formatBytes } from './bytes';
import { createCallFilterForm, toCallFilter } from './call-filter';
import { CallFilterFieldsComponent } from './call-filter-fields.component';
import { EvidenceVerifyComponent } from './evidence-verify.component';
import { JobProgressComponent } from './job-progress.component';
import { ExportSelection, Job, PUBLIC_KEY_URL, StorageApi, exportDownloadUrl } from './storage.api';

interface ExportResult {
  calls: number;
  bytes: number;
  sha256: string;
  fileName: string;
  skipped?: unknown[];
}

/** A signed evidence ZIP of "every call of number X" or of a filter, with how to verify it. */
@Component({
  selector: 'app-evidence-export',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatRadioModule,
    TranslocoPipe,
    StatusBannerComponent,
    CallFilterFieldsComponent,
    JobProgressComponent,
    EvidenceVerifyComponent,
  ],
  templateUrl: './evidence-export.component.html',
  styles: `
    .export-number-field {
      width: min(100%, 420px);
    }
    .verify-steps code {
      word-break: break-all;
    }
  `,
})
export class EvidenceExportComponent {
  private readonly api = inject(StorageApi);
  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly mode = this.fb.control<'number' | 'filter'>('number');
  protected readonly number = this.fb.control('', Validators.required);
  /** The form element's group (the filter fields bind their own group below it). */
  protected readonly selection = this.fb.group({ mode: this.mode, number: this.number });
  protected readonly filter = createCallFilterForm(this.fb);
  protected readonly job = signal<Job | null>(null);
  protected readonly result = signal<{ jobId: string; answer: ExportResult } | null>(null);
  protected readonly busy = signal(false);
  protected readonly error = signal<{ text: string | null } | null>(null);
  protected readonly size = formatBytes;
  protected readonly publicKeyUrl = PUBLIC_KEY_URL;
  protected readonly publicKeyPemUrl = `${PUBLIC_KEY_URL}?format=pem`;
  protected readonly downloadUrl = exportDownloadUrl;

  protected start(): void {
    let body: ExportSelection;
    if (this.mode.value === 'number') {
      if (this.number.invalid) {
        this.number.markAsTouched();
        return;
      }
      body = { number: this.number.value.trim() };
    } else {
      body = { filter: toCallFilter(this.filter.getRawValue()) };
    }
    this.busy.set(true);
    this.error.set(null);
    this.result.set(null);
    this.job.set(null);
    this.api.startExport(body).subscribe({
      next: (job) => {
        this.busy.set(false);
        this.job.set(job);
      },
      error: (err: unknown) => {
        this.busy.set(false);
        const matched = this.mode.value === 'number' && applyServerErrors(this.selection, err);
        if (!matched) this.error.set({ text: apiMessage(err) });
      },
    });
  }

  protected finished(job: Job): void {
    if (job.status === 'succeeded') {
      this.result.set({ jobId: job.id, answer: job.result as unknown as ExportResult });
    }
  }
}
