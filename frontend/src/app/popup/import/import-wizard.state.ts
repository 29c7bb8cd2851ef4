import { Injectable, computed, inject, signal } from '@angular/core';
import type { Job } from '../../admin/storage/storage.api';
import {
  ImportKey,
  ImportPreview,
  ImportRequest,
  ImportResult,
  ImportUpload,
  PopupApi,
  SavedMapping,
  problemLines,
} from '../popup.api';

export type WizardStep = 'upload' | 'mapping' | 'preview' | 'importing' | 'done';

/**
 * The CSV import wizard as state: upload (the server detects Shift_JIS / UTF-8), map columns
 * (suggested, or a saved mapping), preview (row errors and duplicates, nothing written), confirm
 * (all or nothing; a large file becomes a job with progress), result. Any mapping change sends the
 * user back to preview: a confirmation always follows the preview of exactly what is confirmed.
 */
@Injectable()
export class ImportWizardState {
  private readonly api = inject(PopupApi);

  readonly step = signal<WizardStep>('upload');
  readonly busy = signal(false);
  readonly problems = signal<string[]>([]);
  readonly upload = signal<ImportUpload | null>(null);
  /** Header -> target ('ignore' or missing = skipped). */
  readonly columns = signal<Record<string, string>>({});
  readonly key = signal<ImportKey>('phone');
  readonly saveAs = signal('');
  readonly saved = signal<SavedMapping[]>([]);
  readonly preview = signal<ImportPreview | null>(null);
  readonly job = signal<Job | null>(null);
  readonly result = signal<ImportResult | null>(null);

  /** Confirming needs a preview of the current mapping without row errors. */
  readonly canConfirm = computed(() => {
    const p = this.preview();
    return this.step() === 'preview' && !!p && p.errorCount === 0 && p.rowCount > 0 && !this.busy();
  });

  loadSaved(): void {
    this.api.mappings().subscribe({ next: (list) => this.saved.set(list), error: () => this.saved.set([]) });
  }

  sendFile(file: File): void {
    this.problems.set([]);
    this.busy.set(true);
    this.api.upload(file, file.name).subscribe({
      next: (upload) => {
        this.busy.set(false);
        this.upload.set(upload);
        this.columns.set({ ...upload.suggestedMapping });
        // A file without a phone column can only be matched by an external id.
        const targets = Object.values(upload.suggestedMapping);
        this.key.set(!targets.includes('phone') && targets.includes('externalId') ? 'externalId' : 'phone');
        this.preview.set(null);
        this.step.set('mapping');
      },
      error: (err: unknown) => this.fail(err),
    });
  }

  setTarget(header: string, target: string): void {
    this.columns.update((c) => ({ ...c, [header]: target }));
    this.invalidatePreview();
  }

  setKey(key: ImportKey): void {
    this.key.set(key);
    this.invalidatePreview();
  }

  /** A saved mapping applies to the headers this file has; the others stay as they were. */
  applySaved(name: string): void {
    const m = this.saved().find((s) => s.name === name);
    const headers = this.upload()?.headers ?? [];
    if (!m) return;
    const columns: Record<string, string> = {};
    for (const h of headers) columns[h] = m.columns[h] ?? 'ignore';
    this.columns.set(columns);
    this.key.set(m.key);
    this.saveAs.set(m.name);
    this.invalidatePreview();
  }

  request(): ImportRequest {
    const headers = this.upload()?.headers ?? [];
    const columns: Record<string, string> = {};
    for (const h of headers) columns[h] = this.columns()[h] || 'ignore';
    const name = this.saveAs().trim();
    return { columns, key: this.key(), ...(name ? { saveAs: name } : {}) };
  }

  runPreview(): void {
    const upload = this.upload();
    if (!upload) return;
    this.problems.set([]);
    this.busy.set(true);
    this.api.preview(upload.id, this.request()).subscribe({
      next: (preview) => {
        this.busy.set(false);
        this.preview.set(preview);
        this.step.set('preview');
        if (this.saveAs().trim()) this.loadSaved();
      },
      error: (err: unknown) => this.fail(err),
    });
  }

  confirm(): void {
    const upload = this.upload();
    if (!upload || !this.canConfirm()) return;
    this.problems.set([]);
    this.busy.set(true);
    this.api.confirm(upload.id, this.request()).subscribe({
      next: (outcome) => {
        this.busy.set(false);
        if ('job' in outcome) {
          this.job.set(outcome.job);
          this.step.set('importing');
        } else {
          this.result.set(outcome.result);
          this.step.set('done');
        }
      },
      error: (err: unknown) => this.fail(err),
    });
  }

  /** The import job ended (JobProgressComponent polls it). */
  jobFinished(job: Job): void {
    this.job.set(job);
    if (job.status === 'succeeded') {
      this.result.set(job.result as unknown as ImportResult);
      this.step.set('done');
    } else {
      // Nothing was written: the file can be previewed and confirmed again.
      this.problems.set([job.error ?? '']);
      this.step.set('preview');
    }
  }

  restart(): void {
    this.step.set('upload');
    this.upload.set(null);
    this.columns.set({});
    this.preview.set(null);
    this.job.set(null);
    this.result.set(null);
    this.problems.set([]);
    this.saveAs.set('');
  }

  private invalidatePreview(): void {
    this.preview.set(null);
    if (this.step() === 'preview') this.step.set('mapping');
  }

  private fail(err: unknown): void {
    this.busy.set(false);
    const lines = problemLines(err);
    this.problems.set(lines.length ? lines : ['']);
  }
}
