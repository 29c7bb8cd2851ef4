import { DecimalPipe } from '@angular/common';
import { Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { TranslocoPipe, TranslocoService } from '@jsverse/transloco';
import { apiMessage } from '../core/api-errors';
import { AuthService } from '../core/auth.service';
import { formatBytes } from '../admin/storage/bytes';
import { placeLabel } from '../recordings/call-place';
import { addDays, dayInZone, formatDuration, TenantTimePipe, tenantTimeZone } from '../recordings/tenant-time';
import { StatusBannerComponent } from '../shared/status-banner.component';
import { ChartSeries, DashboardChartComponent } from './dashboard-chart.component';
import { Dashboard, DashboardApi } from './dashboard.api';

export type DashboardRange = 'today' | 'week' | 'month';
const RANGE_DAYS: Record<DashboardRange, number> = { today: 1, week: 7, month: 30 };

/** Colours readable for the common colour-vision deficiencies (Okabe-Ito), one per call kind. */
const COLOURS = { inbound: '#0072B2', outbound: '#009E73', internal: '#999999', missed: '#D55E00' };

/** Calls per hour or day, busiest lines and extensions, missed calls to follow up, storage trend. */
@Component({
  selector: 'app-dashboard-page',
  imports: [
    DecimalPipe,
    MatButtonModule,
    MatButtonToggleModule,
    MatProgressBarModule,
    RouterLink,
    TranslocoPipe,
    StatusBannerComponent,
    DashboardChartComponent,
    TenantTimePipe,
  ],
  templateUrl: './dashboard.page.html',
  styleUrl: './dashboard.page.scss',
})
export class DashboardPage {
  private readonly api = inject(DashboardApi);
  private readonly auth = inject(AuthService);
  private readonly transloco = inject(TranslocoService);

  protected readonly lang = signal(this.transloco.getActiveLang());
  protected readonly range = signal<DashboardRange>('today');
  protected readonly data = signal<Dashboard | null>(null);
  protected readonly loading = signal(true);
  protected readonly error = signal<{ text: string | null } | null>(null);
  protected readonly duration = formatDuration;
  protected readonly size = formatBytes;
  protected readonly count = (v: number) => String(Math.round(v));

  protected readonly callSeries = computed<ChartSeries[]>(() => {
    const buckets = this.data()?.buckets ?? [];
    return (['inbound', 'outbound', 'internal', 'missed'] as const).map((k) => ({
      labelKey: `dashboard.series.${k}`,
      data: buckets.map((b) => b[k]),
      color: COLOURS[k],
    }));
  });
  /** "09:00" for hours, "11/02" for days: the range says which day or month they belong to. */
  protected readonly callLabels = computed(() =>
    (this.data()?.buckets ?? []).map((b) =>
      b.start.length > 10 ? b.start.slice(11) : b.start.slice(5).replace('-', '/'),
    ),
  );
  /** Busiest lines, extensions by calls and by talk time: one horizontal bar chart each. */
  protected readonly rankings = computed(() => {
    const d = this.data();
    if (!d) return [];
    const bars = (labelKey: string, data: number[], color: string): ChartSeries[] => [{ labelKey, data, color }];
    const { byCalls, byTalkTime } = d.busiestExtensions;
    return [
      {
        testId: 'chart-lines',
        titleKey: 'dashboard.lines.title',
        labels: d.busiestLines.map(
          (l) => placeLabel(l) ?? this.transloco.translate('recordings.noPlace', {}, this.lang()),
        ),
        series: bars(
          'dashboard.series.calls',
          d.busiestLines.map((l) => l.calls),
          COLOURS.inbound,
        ),
        format: this.count,
      },
      {
        testId: 'chart-extensions',
        titleKey: 'dashboard.extensions.byCalls',
        labels: byCalls.map((e) => e.extension),
        series: bars(
          'dashboard.series.calls',
          byCalls.map((e) => e.calls),
          COLOURS.inbound,
        ),
        format: this.count,
      },
      {
        testId: 'chart-talk-time',
        titleKey: 'dashboard.extensions.byTalkTime',
        labels: byTalkTime.map((e) => e.extension),
        series: bars(
          'dashboard.series.talkTime',
          byTalkTime.map((e) => e.talkSeconds),
          COLOURS.outbound,
        ),
        format: formatDuration,
      },
    ];
  });
  /** The stored total at the end of each of the last 30 days, today last (the usage now). */
  private readonly storageTrend = computed(() => {
    const storage = this.data()?.storage;
    return storage ? storedTotals(storage.days, storage.usedBytes) : [];
  });
  protected readonly storageLabels = computed(() =>
    this.storageTrend().map((d, i, all) =>
      i === all.length - 1
        ? this.transloco.translate('dashboard.storage.today', {}, this.lang())
        : d.day.slice(5).replace('-', '/'),
    ),
  );
  protected readonly storageSeries = computed<ChartSeries[]>(() => [
    { labelKey: 'dashboard.series.stored', data: this.storageTrend().map((d) => d.bytes), color: COLOURS.inbound },
  ]);

  constructor() {
    this.transloco.langChanges$.pipe(takeUntilDestroyed()).subscribe((l) => this.lang.set(l));
    this.load();
  }

  protected select(range: DashboardRange): void {
    this.range.set(range);
    this.load();
  }

  protected load(): void {
    const today = dayInZone(new Date(), tenantTimeZone(this.auth));
    const days = RANGE_DAYS[this.range()];
    this.loading.set(true);
    this.error.set(null);
    this.api.get({ from: addDays(today, 1 - days), to: today, bucket: days === 1 ? 'hour' : 'day' }).subscribe({
      next: (d) => {
        this.loading.set(false);
        this.data.set(d);
      },
      error: (err: unknown) => {
        this.loading.set(false);
        this.data.set(null);
        this.error.set({ text: apiMessage(err) });
      },
    });
  }
}

/**
 * The total stored at the end of each day, walking back from the usage now (the last day is today)
 * by each day's additions. Deletions are not in the daily figures, so the days before one read
 * lower than they were; today's point is exact.
 */
export function storedTotals(
  days: { day: string; bytes: number }[],
  usedBytes: number,
): { day: string; bytes: number }[] {
  const points = days.map((d) => ({ day: d.day, bytes: 0 }));
  let total = usedBytes;
  for (let i = days.length - 1; i >= 0; i--) {
    points[i].bytes = Math.max(0, total);
    total -= days[i].bytes;
  }
  return points;
}
