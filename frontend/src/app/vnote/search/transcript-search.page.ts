import { Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { TranslocoPipe, TranslocoService } from '@jsverse/transloco';
import { apiMessage } from '../../core/api-errors';
import { ApiErrorBody } from '../../core/api.types';
import { AuthService } from '../../core/auth.service';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { PERIODS } from '../../recordings/search/search-filters';
import { DIRECTIONS, DISPOSITIONS } from '../../recordings/recordings.types';
import { useRecordingIcons } from '../../recordings/recordings-icons';
import { DurationPipe, TenantTimePipe, dayInZone, tenantTimeZone } from '../../recordings/tenant-time';
import { HighlightedTextComponent } from '../transcript/highlighted-text.component';
import { VnoteApi } from '../vnote-api.service';
import { FLAG_FILTERS, SearchHit, SearchItem } from '../vnote.types';
import { HttpErrorResponse } from '@angular/common/http';
import { QUERY_EXAMPLES, explainQuery } from './query-help';
import {
  METRIC_FILTERS,
  VnoteFilterProblem,
  VnoteFilters,
  changedVnoteFilters,
  sanitizeVnoteFilters,
  toVnoteQuery,
  validateVnoteFilters,
} from './vnote-filters';

const PAGE_SIZE = 20;

/**
 * Transcript search: a query (AND/OR/NOT, phrases) with every call filter and the metric filters;
 * results grouped by call with the matching segments highlighted. A click on a segment opens the
 * call at that moment (?t=<ms>), where the player starts there and the transcript follows.
 */
@Component({
  selector: 'app-transcript-search-page',
  imports: [
    FormsModule,
    MatButtonModule,
    MatButtonToggleModule,
    MatCardModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    RouterLink,
    TranslocoPipe,
    StatusBannerComponent,
    DurationPipe,
    TenantTimePipe,
    HighlightedTextComponent,
  ],
  templateUrl: './transcript-search.page.html',
  styleUrl: './transcript-search.page.scss',
})
export class TranscriptSearchPage {
  private readonly api = inject(VnoteApi);
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly transloco = inject(TranslocoService);

  protected readonly periods = PERIODS;
  protected readonly directions = DIRECTIONS;
  protected readonly dispositions = DISPOSITIONS;
  protected readonly flags = FLAG_FILTERS;
  protected readonly metricFilters = METRIC_FILTERS;
  protected readonly examples = QUERY_EXAMPLES;
  protected readonly lang = signal(this.transloco.getActiveLang());

  protected f: VnoteFilters = sanitizeVnoteFilters(this.route.snapshot.queryParams);
  protected readonly query = signal(this.f.q);
  protected readonly explained = computed(() => explainQuery(this.query()));
  protected readonly showHelp = signal(false);
  protected readonly showMetrics = signal(METRIC_FILTERS.some((k) => this.f[k] !== '') || this.f.flag !== '');
  /** `key` under vnote.search.errors, or the server's own wording in `text`. */
  protected readonly problems = signal<(VnoteFilterProblem & { text?: string })[]>([]);
  protected readonly items = signal<SearchItem[]>([]);
  protected readonly nextCursor = signal<string | null>(null);
  protected readonly loading = signal(false);
  protected readonly searched = signal(false);
  protected readonly error = signal<{ text: string | null } | null>(null);
  private activeQuery: Record<string, string> = {};

  constructor() {
    useRecordingIcons();
    this.transloco.langChanges$.subscribe((l) => this.lang.set(l));
    this.search();
  }

  protected problemFor(field: keyof VnoteFilters): { key: string; text?: string } | null {
    return this.problems().find((p) => p.field === field) ?? null;
  }

  protected useExample(q: string): void {
    this.f.q = q;
    this.query.set(q);
  }

  protected reset(): void {
    this.f = sanitizeVnoteFilters({});
    this.query.set('');
    this.search();
  }

  protected search(): void {
    this.f.q = this.query();
    const problems = validateVnoteFilters(this.f);
    const qProblem = this.explained().problem;
    if (qProblem) problems.push({ field: 'q', key: 'q.' + qProblem });
    this.problems.set(problems);
    if (problems.length) return;
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: changedVnoteFilters(this.f),
      replaceUrl: true,
    });
    this.activeQuery = toVnoteQuery(this.f, dayInZone(new Date(), tenantTimeZone(this.auth)));
    this.items.set([]);
    this.nextCursor.set(null);
    this.fetch(null);
  }

  protected more(): void {
    this.fetch(this.nextCursor());
  }

  private fetch(cursor: string | null): void {
    this.loading.set(true);
    this.error.set(null);
    this.api.search(this.activeQuery, cursor, PAGE_SIZE).subscribe({
      next: (page) => {
        this.loading.set(false);
        this.searched.set(true);
        this.items.update((items) => [...items, ...page.items]);
        this.nextCursor.set(page.nextCursor);
      },
      error: (err: unknown) => {
        this.loading.set(false);
        // Field errors (a query the server could not parse) go under the field they name.
        const fields = err instanceof HttpErrorResponse ? ((err.error as ApiErrorBody | null)?.errors ?? []) : [];
        if (fields.length)
          this.problems.set(fields.map((e) => ({ field: e.field as keyof VnoteFilters, key: '', text: e.message })));
        else this.error.set({ text: apiMessage(err) });
      },
    });
  }

  /** Opens the call at the hit: the player starts there and plays, the transcript highlights it. */
  protected open(item: SearchItem, hit: SearchHit | null): void {
    const queryParams = hit?.startMs !== null && hit?.startMs !== undefined ? { t: hit.startMs } : { play: 1 };
    void this.router.navigate(['/recordings/calls', item.call.id], { queryParams });
  }

  protected party(p: SearchItem['call']['caller']): string {
    return p.withheld ? this.transloco.translate('recordings.withheld') : p.display;
  }
}
