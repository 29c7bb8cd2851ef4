import { Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import { TranslocoPipe, TranslocoService } from '@jsverse/transloco';
import { forkJoin } from 'rxjs';
import { apiMessage } from '../../core/api-errors';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { DurationPipe, TenantTimePipe } from '../../recordings/tenant-time';
import { VnoteApi } from '../vnote-api.service';
import { DeadLetter, JobPage, TRANSCRIPT_STATUSES, TranscriptJob, TranscriptStatus } from '../vnote.types';

// Queued and running jobs move on their own: the list asks again this often while it is open.
const REFRESH_MS = 5_000;

/** Transcription jobs by state with progress, re-transcribe, and the dead letters with their reason and a retry. */
@Component({
  selector: 'app-vnote-jobs-page',
  imports: [
    MatButtonModule,
    MatButtonToggleModule,
    MatProgressBarModule,
    MatTableModule,
    RouterLink,
    TranslocoPipe,
    StatusBannerComponent,
    DurationPipe,
    TenantTimePipe,
  ],
  templateUrl: './jobs.page.html',
  styles: `
    .toolbar {
      display: flex;
      align-items: center;
      gap: 12px;
      flex-wrap: wrap;
      margin-bottom: 12px;
    }
    .progress {
      min-width: 140px;
    }
    .error-text,
    .reason {
      max-width: 420px;
      overflow-wrap: anywhere;
      color: var(--mat-sys-error);
      font-size: 13px;
    }
    .status {
      white-space: nowrap;
      font-size: 12px;
      border-radius: 10px;
      padding: 1px 8px;
      background: var(--mat-sys-surface-container-high);
      &.failed {
        background: #ffcdd2;
        color: #b71c1c;
      }
      &.done {
        background: #e6f4ea;
        color: #0d652d;
      }
      &.running {
        background: #e3f2fd;
        color: #0d47a1;
      }
    }
    .section {
      margin-top: 24px;
    }
  `,
})
export class VnoteJobsPage {
  private readonly api = inject(VnoteApi);
  private readonly transloco = inject(TranslocoService);
  protected readonly statuses = TRANSCRIPT_STATUSES;
  protected readonly lang = signal(this.transloco.getActiveLang());
  protected readonly filter = signal<TranscriptStatus | null>(null);
  protected readonly page = signal<JobPage | null>(null);
  protected readonly deadLetters = signal<DeadLetter[]>([]);
  protected readonly loading = signal(false);
  protected readonly error = signal<{ text: string | null } | null>(null);
  protected readonly actionError = signal<{ text: string | null } | null>(null);
  protected readonly queued = signal<string | null>(null);
  protected readonly busy = signal<string | null>(null);
  protected readonly jobColumns = ['updatedAt', 'call', 'status', 'progress', 'engine', 'attempts', 'actions'];
  protected readonly deadColumns = ['createdAt', 'call', 'engine', 'reason', 'attempts', 'actions'];
  protected readonly total = computed(() => {
    const c = this.page()?.counts;
    return c ? TRANSCRIPT_STATUSES.reduce((sum, s) => sum + (c[s] ?? 0), 0) : 0;
  });

  constructor() {
    this.transloco.langChanges$.subscribe((l) => this.lang.set(l));
    this.load();
    const timer = setInterval(() => this.load(true), REFRESH_MS);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
  }

  protected show(status: TranscriptStatus | null): void {
    this.filter.set(status);
    this.load();
  }

  /** `quiet`: the periodic refresh, which neither flashes the progress bar nor clears an error banner. */
  protected load(quiet = false): void {
    if (!quiet) this.loading.set(true);
    forkJoin([this.api.jobs(this.filter()), this.api.deadLetters()]).subscribe({
      next: ([page, dead]) => {
        this.loading.set(false);
        this.error.set(null);
        this.page.set(page);
        this.deadLetters.set(dead);
      },
      error: (err: unknown) => {
        this.loading.set(false);
        this.error.set({ text: apiMessage(err) });
      },
    });
  }

  protected retranscribe(job: TranscriptJob): void {
    this.act(job.transcriptId, this.api.transcribe(job.callId));
  }

  protected retry(dead: DeadLetter): void {
    this.act(dead.id, this.api.retryDeadLetter(dead.id));
  }

  private act(key: string, request: ReturnType<VnoteApi['transcribe']>): void {
    this.busy.set(key);
    this.actionError.set(null);
    this.queued.set(null);
    request.subscribe({
      next: (job) => {
        this.busy.set(null);
        this.queued.set(job.callId);
        this.load(true);
      },
      error: (err: unknown) => {
        this.busy.set(null);
        this.actionError.set({ text: apiMessage(err) });
      },
    });
  }
}
