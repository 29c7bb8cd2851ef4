import { DecimalPipe } from '@angular/common';
import { Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatChipsModule } from '@angular/material/chips';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatMenuModule } from '@angular/material/menu';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatTooltipModule } from '@angular/material/tooltip';
import { ActivatedRoute, Router } from '@angular/router';
import { TranslocoPipe, TranslocoService } from '@jsverse/transloco';
import { firstValueFrom } from 'rxjs';
import { apiMessage } from '../../core/api-errors';
import { AuthService } from '../../core/auth.service';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { formatTypedNumber, numberForSearch } from '../phone-input';
import { PlaceOption, lineOptions, siteOptions } from '../call-place';
import { RecordingsApi, SearchQuery, exportUrl } from '../recordings.api';
import { useRecordingIcons } from '../recordings-icons';
import {
  CALL_SOURCES,
  CallPage,
  CallView,
  DIRECTIONS,
  DISPOSITIONS,
  NUMBER_MATCHES,
  PlaceListing,
} from '../recordings.types';
import { dayInZone, tenantTimeZone } from '../tenant-time';
import { COLUMNS, ColumnId, sanitizeColumns } from './call-columns';
import { ExportProgress, fetchCsv, saveBlob } from './csv-export';
import { ResultsTableComponent } from './results-table.component';
import { SaveSearchDialogComponent } from './save-search-dialog.component';
import { SavedSearch, UserPrefs, loadSavedSearches, storeSavedSearches, withSaved } from './saved-searches';
import {
  ADVANCED_FIELDS,
  DEFAULT_FILTERS,
  FilterProblem,
  PERIODS,
  SearchFilters,
  changedFilters,
  sanitizeFilters,
  toQuery,
  validateFilters,
} from './search-filters';

const PAGE_SIZE = 100;

type ExportState =
  | { phase: 'running'; progress: ExportProgress }
  | { phase: 'done'; rows: number }
  | { phase: 'failed'; text: string | null }
  | { phase: 'cancelled' };

@Component({
  selector: 'app-recordings-search-page',
  imports: [
    DecimalPipe,
    ReactiveFormsModule,
    MatButtonModule,
    MatButtonToggleModule,
    MatCheckboxModule,
    MatChipsModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatMenuModule,
    MatProgressBarModule,
    MatSelectModule,
    MatTooltipModule,
    TranslocoPipe,
    StatusBannerComponent,
    ResultsTableComponent,
  ],
  templateUrl: './search.page.html',
  styleUrl: './search.page.scss',
})
export class RecordingsSearchPage {
  private readonly api = inject(RecordingsApi);
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly dialog = inject(MatDialog);
  private readonly transloco = inject(TranslocoService);
  private readonly prefs = new UserPrefs(this.auth.me()?.id ?? 'anonymous');

  protected readonly periods = PERIODS;
  protected readonly sources = CALL_SOURCES;
  protected readonly numberMatches = NUMBER_MATCHES;
  protected readonly allColumns = COLUMNS;
  protected readonly isAdmin = this.auth.hasAnyRole(['tenantAdmin']);
  protected readonly choiceFilters = [
    {
      control: 'direction',
      label: 'recordings.columns.direction',
      prefix: 'recordings.direction.',
      values: DIRECTIONS,
    },
    {
      control: 'disposition',
      label: 'recordings.columns.disposition',
      prefix: 'recordings.disposition.',
      values: DISPOSITIONS,
    },
  ] as const;
  protected readonly textFilters = [
    { control: 'extension', label: 'recordings.search.extension' },
    { control: 'tag', label: 'recordings.columns.tags' },
  ] as const;
  protected readonly talkFilters = [
    { control: 'minTalkSeconds', label: 'recordings.search.minTalk' },
    { control: 'maxTalkSeconds', label: 'recordings.search.maxTalk' },
  ] as const;
  protected readonly yesNoFilters = [
    {
      control: 'hasNotes',
      label: 'recordings.flags.notes',
      yes: 'recordings.search.with',
      no: 'recordings.search.without',
    },
    {
      control: 'legalHold',
      label: 'recordings.flags.legalHold',
      yes: 'recordings.search.held',
      no: 'recordings.search.notHeld',
    },
  ] as const;

  protected readonly form = inject(NonNullableFormBuilder).group({ ...DEFAULT_FILTERS });
  protected readonly lang = signal(this.transloco.getActiveLang());
  protected readonly advanced = signal(false);
  protected readonly problems = signal<FilterProblem[]>([]);
  protected readonly rows = signal<CallView[]>([]);
  protected readonly total = signal<CallPage['total'] | null>(null);
  protected readonly nextCursor = signal<string | null>(null);
  protected readonly loading = signal(false);
  protected readonly loadingMore = signal(false);
  protected readonly error = signal<{ text: string | null; more: boolean } | null>(null);
  protected readonly searched = signal(false);
  protected readonly columns = signal<ColumnId[]>(sanitizeColumns(this.prefs.read('columns')));
  protected readonly saved = signal<SavedSearch[]>(loadSavedSearches(this.prefs));
  protected readonly prefsFailed = signal(false);
  protected readonly users = signal<{ id: string; name: string }[]>([]);
  protected readonly userNames = computed(() => new Map(this.users().map((u) => [u.id, u.name])));
  protected readonly places = signal<PlaceListing>({ sites: [], lines: [] });
  protected readonly exportState = signal<ExportState | null>(null);
  protected readonly numberHint = signal('');

  /** The query behind the rows on screen: what "load more" and the CSV export continue. */
  private activeQuery: SearchQuery = {};
  private generation = 0;
  private exportAbort: AbortController | null = null;

  constructor() {
    useRecordingIcons();
    const destroyRef = inject(DestroyRef);
    this.transloco.langChanges$.pipe(takeUntilDestroyed()).subscribe((l) => this.lang.set(l));
    const initial = sanitizeFilters(this.route.snapshot.queryParams);
    this.form.setValue(initial);
    this.advanced.set(ADVANCED_FIELDS.some((k) => initial[k] !== DEFAULT_FILTERS[k]));
    this.updateNumberHint();
    // A preset is a complete question: run it at once. "Custom" waits for the dates.
    this.form.controls.period.valueChanges.pipe(takeUntilDestroyed()).subscribe((p) => {
      if (p !== 'custom') this.search();
    });
    if (this.isAdmin) {
      this.api.users().subscribe({
        next: (list) =>
          this.users.set(
            list.map((u) => ({ id: u.id, name: u.displayName })).sort((a, b) => a.name.localeCompare(b.name)),
          ),
        error: () => undefined, // the filter then takes no user; the search itself still works
      });
    }
    this.api.places().subscribe({
      next: (list) => this.places.set(list),
      error: () => undefined, // the selects then offer only what the URL chose; the search still works
    });
    destroyRef.onDestroy(() => this.exportAbort?.abort());
    this.search();
  }

  /** The form's values as SearchFilters (number inputs give numbers or null; the filters keep strings). */
  private currentFilters(): SearchFilters {
    return sanitizeFilters(this.form.getRawValue() as unknown as Record<string, unknown>);
  }

  /**
   * Translation key of a yes/no/any select's current value. Selects show their value through a
   * mat-select-trigger so the label follows the language (an option's own text is read only once).
   */
  /** Translation key of a select that offers "any" plus a list of values. */
  protected choiceKey(prefix: string, value: string): string {
    return value ? prefix + value : 'recordings.any';
  }

  /** The site and line filters' choices: names shown, ids sent (URLs and saved searches keep ids). */
  protected placeFilters() {
    const { siteId, lineId } = this.form.getRawValue();
    return [
      { control: 'siteId', label: 'recordings.search.site', options: siteOptions(this.places(), siteId) },
      { control: 'lineId', label: 'recordings.search.line', options: lineOptions(this.places(), siteId, lineId) },
    ] as const;
  }

  protected choiceLabel(options: PlaceOption[], value: string): string | null {
    return options.find((o) => o.value === value)?.label ?? null;
  }

  protected triState(value: string, yes: string, no: string): string {
    return value === 'true' ? yes : value === 'false' ? no : 'recordings.any';
  }

  protected problemFor(field: keyof SearchFilters): string | null {
    return this.problems().find((p) => p.field === field)?.key ?? null;
  }

  private today(): string {
    return dayInZone(new Date(), tenantTimeZone(this.auth));
  }

  protected search(): void {
    const filters = this.currentFilters();
    const problems = validateFilters(filters);
    this.problems.set(problems);
    if (problems.length) return;
    this.activeQuery = toQuery(filters, this.today());
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: changedFilters(filters),
      replaceUrl: true,
    });
    this.rows.set([]);
    this.total.set(null);
    this.nextCursor.set(null);
    this.fetch(null);
  }

  protected retry(): void {
    const more = this.error()?.more;
    if (more) this.fetch(this.nextCursor());
    else this.fetch(null);
  }

  protected loadMore(): void {
    if (this.nextCursor() && !this.loadingMore() && !this.loading()) this.fetch(this.nextCursor());
  }

  private fetch(cursor: string | null): void {
    const generation = ++this.generation;
    (cursor ? this.loadingMore : this.loading).set(true);
    this.error.set(null);
    this.api.search(this.activeQuery, cursor, PAGE_SIZE).subscribe({
      next: (page) => {
        if (generation !== this.generation) return; // a newer search replaced this one
        this.loading.set(false);
        this.loadingMore.set(false);
        this.searched.set(true);
        this.rows.update((list) => (cursor ? [...list, ...page.items] : page.items));
        if (!cursor) this.total.set(page.total);
        this.nextCursor.set(page.nextCursor);
      },
      error: (err: unknown) => {
        if (generation !== this.generation) return;
        this.loading.set(false);
        this.loadingMore.set(false);
        this.error.set({ text: apiMessage(err), more: cursor !== null });
      },
    });
  }

  protected reset(): void {
    this.form.setValue({ ...DEFAULT_FILTERS }, { emitEvent: false });
    this.numberHint.set('');
    this.search();
  }

  protected formatNumber(): void {
    const control = this.form.controls.number;
    if (control.value.trim()) control.setValue(formatTypedNumber(control.value));
    this.updateNumberHint();
  }

  protected updateNumberHint(): void {
    const digits = numberForSearch(this.form.controls.number.value);
    this.numberHint.set(digits.replace('+', '') ? digits : '');
  }

  protected applySaved(s: SavedSearch): void {
    this.form.setValue(s.filters, { emitEvent: false });
    this.advanced.set(ADVANCED_FIELDS.some((k) => s.filters[k] !== DEFAULT_FILTERS[k]));
    this.updateNumberHint();
    this.search();
  }

  protected saveCurrent(): void {
    this.dialog
      .open<SaveSearchDialogComponent, unknown, string>(SaveSearchDialogComponent, { width: '420px' })
      .afterClosed()
      .subscribe((name) => {
        if (!name) return;
        const list = withSaved(this.saved(), name, this.currentFilters(), crypto.randomUUID());
        this.saved.set(list);
        this.prefsFailed.set(!storeSavedSearches(this.prefs, list));
      });
  }

  protected removeSaved(s: SavedSearch): void {
    const list = this.saved().filter((x) => x.id !== s.id);
    this.saved.set(list);
    this.prefsFailed.set(!storeSavedSearches(this.prefs, list));
  }

  protected toggleColumn(column: ColumnId, on: boolean): void {
    const chosen = new Set(this.columns());
    if (on) chosen.add(column);
    else chosen.delete(column);
    // Keep at least the start time: it is the row's link to the call.
    chosen.add('startedAt');
    const list = COLUMNS.filter((c) => chosen.has(c));
    this.columns.set(list);
    this.prefsFailed.set(!this.prefs.write('columns', list));
  }

  protected async exportCsv(): Promise<void> {
    this.exportAbort?.abort();
    const abort = new AbortController();
    this.exportAbort = abort;
    this.exportState.set({ phase: 'running', progress: { bytes: 0, rows: 0 } });
    try {
      await firstValueFrom(this.api.touchSession());
      const blob = await fetchCsv(
        exportUrl(this.activeQuery),
        (progress) => this.exportState.set({ phase: 'running', progress }),
        abort.signal,
      );
      const state = this.exportState();
      const rows = state?.phase === 'running' ? state.progress.rows : 0;
      saveBlob(blob, `calls-${this.today()}.csv`);
      this.exportState.set({ phase: 'done', rows });
    } catch (err) {
      if (abort.signal.aborted) this.exportState.set({ phase: 'cancelled' });
      else this.exportState.set({ phase: 'failed', text: apiMessage(err) });
    } finally {
      if (this.exportAbort === abort) this.exportAbort = null;
    }
  }

  protected cancelExport(): void {
    this.exportAbort?.abort();
  }

  /** Percent of the export received, when the total is known exactly (else the bar is indeterminate). */
  protected exportPercent(rows: number): number | null {
    const t = this.total();
    return t && t.exact && t.value > 0 ? Math.min(100, Math.round((rows / t.value) * 100)) : null;
  }
}
