import { Component, DestroyRef, effect, inject, input, output, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { TranslocoPipe } from '@jsverse/transloco';
import { Subscription, switchMap, takeWhile, timer } from 'rxjs';
import { apiMessage } from '../../core/api-errors';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { Job, StorageApi } from './storage.api';

const POLL_MS = 1000;

/** Polls GET /api/v1/jobs/:id once a second and shows its progress until it succeeds or fails. */
@Component({
  selector: 'app-job-progress',
  imports: [MatButtonModule, MatProgressBarModule, TranslocoPipe, StatusBannerComponent],
  template: `
    @if (job(); as j) {
      <div class="job-progress" [attr.data-testid]="testId()" [attr.data-status]="j.status">
        <mat-progress-bar
          mode="determinate"
          [value]="j.progress"
          [attr.aria-label]="'admin.storage.job.progress' | transloco"
          [attr.data-progress]="j.progress"
        />
        <p class="job-line" aria-live="polite">
          {{ 'admin.storage.job.' + j.status | transloco }} — {{ j.progress }}%
          <!-- The stage names the step under way; once finished the last step would mislead. -->
          @if (j.stage && (j.status === 'running' || j.status === 'queued')) {
            <span class="job-stage">({{ j.stage }})</span>
          }
        </p>
        @if (j.status === 'failed') {
          <app-status-banner kind="error" key="admin.storage.job.failedWith" [text]="j.error" />
        }
      </div>
    }
    @if (pollError(); as e) {
      <app-status-banner kind="error" key="admin.storage.job.pollFailed" [text]="e.text" />
      <button mat-stroked-button type="button" (click)="poll()">{{ 'admin.storage.retry' | transloco }}</button>
    }
  `,
  styles: `
    .job-progress {
      margin: 12px 0;
    }
    .job-line {
      margin: 6px 0 0;
    }
    .job-stage {
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class JobProgressComponent {
  private readonly api = inject(StorageApi);
  readonly start = input.required<Job>();
  readonly testId = input('job-progress');
  readonly finished = output<Job>();
  protected readonly job = signal<Job | null>(null);
  protected readonly pollError = signal<{ text: string | null } | null>(null);
  private subscription: Subscription | null = null;

  constructor() {
    effect(() => {
      this.job.set(this.start());
      this.poll();
    });
    inject(DestroyRef).onDestroy(() => this.subscription?.unsubscribe());
  }

  protected poll(): void {
    const id = this.start().id;
    this.subscription?.unsubscribe();
    this.pollError.set(null);
    this.subscription = timer(0, POLL_MS)
      .pipe(
        switchMap(() => this.api.job(id)),
        takeWhile((job) => job.status === 'queued' || job.status === 'running', true),
      )
      .subscribe({
        next: (job) => {
          this.job.set(job);
          if (job.status === 'succeeded' || job.status === 'failed') this.finished.emit(job);
        },
        error: (err: unknown) => this.pollError.set({ text: apiMessage(err) }),
      });
  }
}
