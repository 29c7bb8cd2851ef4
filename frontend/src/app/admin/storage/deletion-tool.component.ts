import { Component, inject, output, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { TranslocoPipe } from '@jsverse/transloco';
import { apiMessage, apiStatus } from '../../core/api-errors';
import { ConfirmData, ConfirmDialogComponent } from '../../shared/confirm-dialog.component';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { formatBytes } from './bytes';
import { createCallFilterForm, toCallFilter } from './call-filter';
import { CallFilterFieldsComponent } from './call-filter-fields.component';
import { JobProgressComponent } from './job-progress.component';
import { CallFilter, DeletionPreview, Job, StorageApi } from './storage.api';

interface DeletionResult {
  deleted: { count: number; bytes: number };
  heldSkipped: { count: number; bytes: number };
}

/** Filter -> preview (count, bytes, held calls left out) -> confirm -> job progress -> result. */
@Component({
  selector: 'app-deletion-tool',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatProgressBarModule,
    TranslocoPipe,
    StatusBannerComponent,
    CallFilterFieldsComponent,
    JobProgressComponent,
  ],
  templateUrl: './deletion-tool.component.html',
})
export class DeletionToolComponent {
  private readonly api = inject(StorageApi);
  private readonly dialog = inject(MatDialog);
  /** Emitted when a deletion finished, so the usage figures can be reloaded. */
  readonly changed = output<void>();

  protected readonly form = createCallFilterForm(inject(NonNullableFormBuilder));
  protected readonly preview = signal<{ filter: CallFilter; answer: DeletionPreview } | null>(null);
  protected readonly job = signal<Job | null>(null);
  protected readonly result = signal<DeletionResult | null>(null);
  protected readonly busy = signal(false);
  protected readonly error = signal<{ key: string | null; text: string | null } | null>(null);
  protected readonly size = formatBytes;

  constructor() {
    // A preview belongs to the filter it was made for: changing the filter drops it.
    this.form.valueChanges.subscribe(() => this.preview.set(null));
  }

  protected runPreview(): void {
    const filter = toCallFilter(this.form.getRawValue());
    this.busy.set(true);
    this.error.set(null);
    this.result.set(null);
    this.job.set(null);
    this.api.previewDeletion(filter).subscribe({
      next: (answer) => {
        this.busy.set(false);
        this.preview.set({ filter, answer });
      },
      error: (err: unknown) => {
        this.busy.set(false);
        this.error.set({ key: 'admin.storage.deletion.previewFailed', text: apiMessage(err) });
      },
    });
  }

  protected confirm(): void {
    const p = this.preview();
    if (!p || p.answer.count === 0) return;
    const data: ConfirmData = {
      titleKey: 'admin.storage.deletion.confirmTitle',
      messageKey: 'admin.storage.deletion.confirmMessage',
      params: { count: p.answer.count, bytes: formatBytes(p.answer.bytes), held: p.answer.heldExcluded.count },
      confirmKey: 'admin.storage.deletion.confirmButton',
      danger: true,
    };
    this.dialog
      .open(ConfirmDialogComponent, { data })
      .afterClosed()
      .subscribe((ok) => {
        if (ok) this.start(p.filter, p.answer.confirmToken);
      });
  }

  private start(filter: CallFilter, token: string): void {
    this.busy.set(true);
    this.error.set(null);
    this.api.startDeletion(filter, token).subscribe({
      next: (job) => {
        this.busy.set(false);
        this.preview.set(null);
        this.job.set(job);
      },
      error: (err: unknown) => {
        this.busy.set(false);
        // 409: the token expired or the calls changed since the preview; a new preview is needed.
        const stale = apiStatus(err) === 409;
        if (stale) this.preview.set(null);
        this.error.set({ key: stale ? 'admin.storage.deletion.stale' : null, text: apiMessage(err) });
      },
    });
  }

  protected finished(job: Job): void {
    if (job.status === 'succeeded') this.result.set(job.result as unknown as DeletionResult);
    this.changed.emit();
  }
}
