import { DatePipe, JsonPipe } from '@angular/common';
import { HttpClient, HttpParams } from '@angular/common/http';
import { Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import { TranslocoPipe } from '@jsverse/transloco';
import { apiMessage } from '../../core/api-errors';
import { AuditItem, AuditPage as AuditPageResult, AuditVerify } from '../../core/api.types';
import { StatusBannerComponent } from '../../shared/status-banner.component';

const BASE = '/api/v1/audit';
const PAGE_SIZE = 50;

/** Turns a yyyy-MM-dd from a date input into an ISO instant at local midnight (end of day for `to`). */
export function dayToIso(day: string, endOfDay: boolean): string | null {
  if (!day) return null;
  const [y, m, d] = day.split('-').map(Number);
  const date = endOfDay ? new Date(y, m - 1, d, 23, 59, 59, 999) : new Date(y, m - 1, d);
  return isNaN(date.getTime()) ? null : date.toISOString();
}

@Component({
  selector: 'app-audit-page',
  imports: [
    DatePipe,
    JsonPipe,
    ReactiveFormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatTableModule,
    MatTooltipModule,
    TranslocoPipe,
    StatusBannerComponent,
  ],
  templateUrl: './audit.page.html',
})
export class AuditPage {
  private readonly http = inject(HttpClient);

  protected readonly columns = ['seq', 'time', 'actor', 'action', 'target', 'ip'];
  protected readonly filters = inject(NonNullableFormBuilder).group({ action: [''], from: [''], to: [''] });
  protected readonly items = signal<AuditItem[]>([]);
  protected readonly nextBefore = signal<string | number | null>(null);
  protected readonly loading = signal(false);
  protected readonly error = signal<{ text: string | null } | null>(null);
  protected readonly verify = signal<AuditVerify | null>(null);
  protected readonly verifyFailed = signal(false);

  constructor() {
    this.search();
    this.runVerify();
  }

  protected runVerify(): void {
    this.verifyFailed.set(false);
    this.http.get<AuditVerify>(`${BASE}/verify`).subscribe({
      next: (v) => this.verify.set(v),
      error: () => this.verifyFailed.set(true),
    });
  }

  protected search(): void {
    this.load(null);
  }

  protected more(): void {
    this.load(this.nextBefore());
  }

  private load(before: string | number | null): void {
    const f = this.filters.getRawValue();
    let params = new HttpParams().set('limit', PAGE_SIZE);
    if (f.action.trim()) params = params.set('action', f.action.trim());
    const from = dayToIso(f.from, false);
    const to = dayToIso(f.to, true);
    if (from) params = params.set('from', from);
    if (to) params = params.set('to', to);
    if (before !== null) params = params.set('before', before);
    this.loading.set(true);
    this.error.set(null);
    this.http.get<AuditPageResult>(BASE, { params }).subscribe({
      next: (page) => {
        this.loading.set(false);
        this.items.update((list) => (before === null ? page.items : [...list, ...page.items]));
        this.nextBefore.set(page.nextBefore ?? null);
      },
      error: (err: unknown) => {
        this.loading.set(false);
        this.error.set({ text: apiMessage(err) });
      },
    });
  }
}
