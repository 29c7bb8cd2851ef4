import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, SelectQueryBuilder } from 'typeorm';
import { RequestContext } from '../../../core/tenancy/request-context';
import { TenantsService } from '../../../core/tenancy/tenants.service';
import { CALL_SOURCES, Call, CallSource } from '../call.entity';
import { Recording } from '../recording.entity';
import { PolicyView, RecordingPolicyService } from '../policy/recording-policy.service';
import { addDays, localDate, zonedToUtc } from '../search/zoned-time';
import { forecastFull } from './usage-forecast';
import { WhenFull } from '../policy/recording-policy.entity';

const MONTHS = 12;
const FORECAST_DAYS = 30;

export interface Amount {
  count: number;
  bytes: number;
}

export interface UsageView extends Amount {
  /** Bytes as stored (ciphertext); `bytes` is the plaintext audio the capacity counts. */
  storedBytes: number;
  capacityBytes: number | null;
  /** Percent of the capacity used, one decimal; null without a capacity. */
  percent: number | null;
  whenFull: WhenFull;
  held: Amount;
  bySource: Array<Amount & { source: CallSource }>;
  /** Recordings stored in each of the last 12 months (tenant time zone), oldest first. */
  months: Array<Amount & { month: string }>;
  forecast: {
    /** The tenant-local day the store is expected to be full; null when not growing, no capacity or > 10 years. */
    fullOn: string | null;
    daysUntilFull: number | null;
    bytesPerDay: number;
    trendBytesPerDay: number;
    basisDays: number;
  };
}

export interface UsageHistory {
  months: Array<Amount & { month: string }>;
  days: Array<Amount & { day: string }>;
}

/** A tenant's storage in numbers: totals, holds, sources, months, and when it will be full. */
@Injectable()
export class UsageService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly context: RequestContext,
    private readonly tenants: TenantsService,
    private readonly policies: RecordingPolicyService,
  ) {}

  async usage(now = new Date()): Promise<UsageView> {
    const tenantId = this.context.tenantId();
    const [policy, tenant] = await Promise.all([this.policies.get(tenantId), this.tenants.get(tenantId)]);
    const recordings = () => this.recordingsOf(tenantId);

    const totals = await recordings()
      .select('COUNT(r.id)', 'count')
      .addSelect('COALESCE(SUM(r.bytes), 0)', 'bytes')
      .addSelect('COALESCE(SUM(r.storedBytes), 0)', 'storedBytes')
      .getRawOne<Record<string, string | number>>();
    const groups = await recordings()
      .innerJoin(Call, 'c', 'c.id = r.callId AND c.tenantId = r.tenantId')
      .select('c.source', 'source')
      .addSelect('c.legalHold', 'held')
      .addSelect('COUNT(r.id)', 'count')
      .addSelect('COALESCE(SUM(r.bytes), 0)', 'bytes')
      .groupBy('c.source')
      .addGroupBy('c.legalHold')
      .getRawMany<{ source: CallSource; held: unknown; count: string | number; bytes: string | number }>();

    const held = { count: 0, bytes: 0 };
    const bySource = CALL_SOURCES.map((source) => ({ source, count: 0, bytes: 0 }));
    for (const g of groups) {
      const amount = { count: Number(g.count), bytes: Number(g.bytes) };
      const s = bySource.find((b) => b.source === g.source);
      if (s) add(s, amount);
      if (g.held === true || Number(g.held) === 1) add(held, amount);
    }

    const today = localDate(now, tenant.timeZone);
    const { months, days } = await this.history(tenant.timeZone, now);
    const daily = days.map((d) => d.bytes);

    const bytes = Number(totals?.bytes ?? 0);
    const capacity = policy.capacityBytes;
    const forecast = forecastFull({
      usedBytes: bytes,
      heldBytes: held.bytes,
      capacityBytes: capacity,
      dailyBytes: daily,
      keepDays: longestRetention(policy),
    });
    return {
      count: Number(totals?.count ?? 0),
      bytes,
      storedBytes: Number(totals?.storedBytes ?? 0),
      capacityBytes: capacity,
      percent: capacity ? Math.round((bytes / capacity) * 1000) / 10 : null,
      whenFull: policy.whenFull,
      held,
      bySource,
      months,
      forecast: {
        fullOn: forecast.daysUntilFull === null ? null : addDays(today, forecast.daysUntilFull),
        ...forecast,
      },
    };
  }

  /**
   * What the current tenant stored in each of the last 12 months and each of the 30 days before today
   * (tenant time zone), oldest first: the forecast's basis (whole days only). `throughToday` shifts
   * the 30 days to end with today, for the dashboard's storage trend.
   */
  async history(timeZone: string, now = new Date(), throughToday = false): Promise<UsageHistory> {
    const tenantId = this.context.tenantId();
    const recordings = () => this.recordingsOf(tenantId);
    const today = localDate(now, timeZone);
    const buckets = [
      ...lastMonths(today).map((month) => ({ key: month, from: `${month}-01`, to: nextMonth(month) })),
      ...Array.from({ length: FORECAST_DAYS }, (_, i) => {
        const day = addDays(today, i - FORECAST_DAYS + (throughToday ? 1 : 0));
        return { key: day, from: day, to: addDays(day, 1) };
      }),
    ].map((b) => ({ ...b, start: zonedToUtc(b.from, timeZone), end: zonedToUtc(b.to, timeZone) }));
    const sums = await this.bucketSums(recordings, buckets);
    return {
      months: sums.slice(0, MONTHS).map((s, i) => ({ month: buckets[i].key, ...s })),
      days: sums.slice(MONTHS).map((s, i) => ({ day: buckets[MONTHS + i].key, ...s })),
    };
  }

  private recordingsOf(tenantId: string): SelectQueryBuilder<Recording> {
    return this.dataSource
      .getRepository(Recording)
      .createQueryBuilder('r')
      .where('r.tenantId = :tenantId', { tenantId });
  }

  /** Count and bytes of recordings stored in each [start, end): one pass, portable CASE sums. */
  private async bucketSums(
    recordings: () => SelectQueryBuilder<Recording>,
    buckets: Array<{ start: Date; end: Date }>,
  ): Promise<Amount[]> {
    const qb = recordings().andWhere('r.createdAt >= :earliest', {
      earliest: new Date(Math.min(...buckets.map((b) => b.start.getTime()))),
    });
    buckets.forEach((b, i) => {
      const inside = `r.createdAt >= :s${i} AND r.createdAt < :e${i}`;
      const count = `SUM(CASE WHEN ${inside} THEN 1 ELSE 0 END)`;
      (i === 0 ? qb.select(count, `n${i}`) : qb.addSelect(count, `n${i}`))
        .addSelect(`SUM(CASE WHEN ${inside} THEN r.bytes ELSE 0 END)`, `b${i}`)
        .setParameter(`s${i}`, b.start)
        .setParameter(`e${i}`, b.end);
    });
    const row = (await qb.getRawOne<Record<string, string | number | null>>()) ?? {};
    return buckets.map((_, i) => ({ count: Number(row[`n${i}`] ?? 0), bytes: Number(row[`b${i}`] ?? 0) }));
  }
}

function add(to: Amount, amount: Amount): void {
  to.count += amount.count;
  to.bytes += amount.bytes;
}

/** The longest time any source keeps its recordings; null when some source keeps them forever. */
function longestRetention(policy: PolicyView): number | null {
  const days = CALL_SOURCES.map((s) => policy.retentionBySource[s] ?? policy.retentionDays);
  return days.some((d) => !d) ? null : Math.max(...(days as number[]));
}

/** The first day of the month after `month` (YYYY-MM). */
function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
}

/** The last 12 months up to and including the current one, oldest first, as YYYY-MM. */
function lastMonths(today: string): string[] {
  const [y, m] = today.split('-').map(Number);
  return Array.from({ length: MONTHS }, (_, i) =>
    new Date(Date.UTC(y, m - 1 - (MONTHS - 1 - i), 1)).toISOString().slice(0, 7),
  );
}
