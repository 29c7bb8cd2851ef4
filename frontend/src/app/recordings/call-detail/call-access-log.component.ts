import { Component, effect, inject, input, signal, untracked } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { TranslocoPipe } from '@jsverse/transloco';
import { forkJoin } from 'rxjs';
import { apiMessage } from '../../core/api-errors';
import { AuditItem } from '../../core/api.types';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { ACCESS_ACTIONS, RecordingsApi } from '../recordings.api';
import { TenantTimePipe } from '../tenant-time';

/**
 * Who played, downloaded or shared this call, from the audit log (tenant admins and auditors).
 * The audit API cannot filter by target, so this reads the newest 500 entries of each of those
 * actions and keeps this call's: on a very busy tenant older accesses may fall outside that window.
 */
@Component({
  selector: 'app-call-access-log',
  imports: [MatButtonModule, MatProgressBarModule, TranslocoPipe, StatusBannerComponent, TenantTimePipe],
  template: `
    @if (loading()) {
      <mat-progress-bar mode="indeterminate" [attr.aria-label]="'recordings.access.loading' | transloco" />
    } @else if (error(); as e) {
      <div class="error-row">
        <app-status-banner kind="error" key="recordings.access.failed" [text]="e.text" />
        <button mat-stroked-button (click)="load()">{{ 'recordings.retry' | transloco }}</button>
      </div>
    } @else if (items().length === 0) {
      <p class="muted" data-testid="access-empty">{{ 'recordings.access.empty' | transloco }}</p>
    } @else {
      <table class="access" data-testid="access-log">
        <thead>
          <tr>
            <th scope="col">{{ 'audit.time' | transloco }}</th>
            <th scope="col">{{ 'audit.actor' | transloco }}</th>
            <th scope="col">{{ 'audit.action' | transloco }}</th>
            <th scope="col">{{ 'audit.ip' | transloco }}</th>
          </tr>
        </thead>
        <tbody>
          @for (i of items(); track i.id) {
            <tr>
              <td>{{ i.time | tenantTime: lang() : 'dateTimeSeconds' }}</td>
              <td>{{ i.actorEmail || ('recordings.access.viaLink' | transloco) }}</td>
              <td>{{ 'recordings.access.action.' + actionKey(i.action) | transloco }}</td>
              <td>{{ i.ip || '—' }}</td>
            </tr>
          }
        </tbody>
      </table>
    }
    <div class="footer">
      <p class="muted small">{{ 'recordings.access.window' | transloco }}</p>
      <button mat-button (click)="load()" [disabled]="loading()" data-testid="access-refresh">
        {{ 'recordings.access.refresh' | transloco }}
      </button>
    </div>
  `,
  styles: `
    .access {
      width: 100%;
      border-collapse: collapse;
      font-size: 14px;
    }
    th,
    td {
      text-align: left;
      padding: 6px 8px;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    th {
      font-size: 12px;
      color: var(--mat-sys-on-surface-variant);
    }
    .error-row,
    .footer {
      display: flex;
      align-items: center;
      gap: 12px;
    }
    .footer {
      justify-content: space-between;
    }
  `,
})
export class CallAccessLogComponent {
  readonly callId = input.required<string>();
  readonly lang = input.required<string>();

  private readonly api = inject(RecordingsApi);
  protected readonly loading = signal(true);
  protected readonly error = signal<{ text: string | null } | null>(null);
  protected readonly items = signal<AuditItem[]>([]);

  constructor() {
    effect(() => {
      this.callId();
      untracked(() => this.load());
    });
  }

  protected actionKey(action: string): string {
    return action.replace('recording.', '').replace('.', '_');
  }

  protected load(): void {
    const id = this.callId();
    this.loading.set(true);
    this.error.set(null);
    forkJoin(ACCESS_ACTIONS.map((a) => this.api.accessLog(a, id))).subscribe({
      next: (lists) => {
        this.loading.set(false);
        this.items.set(lists.flat().sort((a, b) => b.seq - a.seq));
      },
      error: (err: unknown) => {
        this.loading.set(false);
        this.error.set({ text: apiMessage(err) });
      },
    });
  }
}
