import { DatePipe } from '@angular/common';
import { HttpClient, HttpParams } from '@angular/common/http';
import { Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTableModule } from '@angular/material/table';
import { TranslocoPipe } from '@jsverse/transloco';
import { apiMessage } from '../../core/api-errors';
import { AuditItem, AuditPage as AuditPageResult, AuditVerify } from '../../core/api.types';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { ACTION_SUGGESTIONS, AuditFilterValues, auditParams, brokenReasonKey, prettyDetails } from './audit-filters';

const BASE = '/api/v1/audit';
const PAGE_SIZE = 50;

/** The tenant's audit log, newest first, with filters, cursor paging and the hash-chain check. */
@Component({
  selector: 'app-audit-page',
  imports: [
    DatePipe,
    ReactiveFormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatTableModule,
    TranslocoPipe,
    StatusBannerComponent,
  ],
  templateUrl: './audit.page.html',
  styleUrl: './audit.page.scss',
})
export class AuditPage {
  private readonly http = inject(HttpClient);

  protected readonly columns = ['seq', 'time', 'actor', 'action', 'target', 'details'];
  protected readonly actionSuggestions = ACTION_SUGGESTIONS;
  protected readonly pretty = prettyDetails;
  protected readonly reasonKey = brokenReasonKey;
  protected readonly filters = inject(NonNullableFormBuilder).group({
    action: [''],
    actor: [''],
    target: [''],
    from: [''],
    to: [''],
  });
  protected readonly items = signal<AuditItem[]>([]);
  protected readonly loaded = signal(false);
  protected readonly nextBefore = signal<string | number | null>(null);
  protected readonly loading = signal(false);
  /** `more`: the failure was of a further page, so the rows already shown stay. */
  protected readonly error = signal<{ text: string | null; more: boolean } | null>(null);
  protected readonly verify = signal<AuditVerify | null>(null);
  protected readonly verifying = signal(false);
  protected readonly verifyError = signal<{ text: string | null } | null>(null);
  /** The filters of the rows shown, so "more" pages on with them even if the form was edited. */
  private applied: AuditFilterValues = this.filters.getRawValue();

  constructor() {
    this.search();
    this.runVerify();
  }

  protected runVerify(): void {
    this.verifying.set(true);
    this.verifyError.set(null);
    this.http.get<AuditVerify>(`${BASE}/verify`).subscribe({
      next: (v) => {
        this.verifying.set(false);
        this.verify.set(v);
      },
      error: (err: unknown) => {
        this.verifying.set(false);
        this.verifyError.set({ text: apiMessage(err) });
      },
    });
  }

  protected search(): void {
    this.applied = this.filters.getRawValue();
    this.load(null);
  }

  protected clear(): void {
    this.filters.reset();
    this.search();
  }

  protected filterByTarget(target: string): void {
    this.filters.patchValue({ target });
    this.search();
  }

  protected more(): void {
    this.load(this.nextBefore());
  }

  protected retry(): void {
    this.load(this.error()?.more ? this.nextBefore() : null);
  }

  private load(before: string | number | null): void {
    let params = auditParams(this.applied).set('limit', PAGE_SIZE);
    if (before !== null) params = params.set('before', before);
    this.loading.set(true);
    this.error.set(null);
    this.fetch(params, before !== null);
  }

  private fetch(params: HttpParams, more: boolean): void {
    this.http.get<AuditPageResult>(BASE, { params }).subscribe({
      next: (page) => {
        this.loading.set(false);
        this.loaded.set(true);
        this.items.update((list) => (more ? [...list, ...page.items] : page.items));
        this.nextBefore.set(page.nextBefore ?? null);
      },
      error: (err: unknown) => {
        this.loading.set(false);
        if (!more) this.loaded.set(false);
        this.error.set({ text: apiMessage(err), more });
      },
    });
  }
}
