import { Injectable } from '@nestjs/common';
import { SelectQueryBuilder } from 'typeorm';
import { RequestContext } from '../../../core/tenancy/request-context';
import { TenantsService } from '../../../core/tenancy/tenants.service';
import { Call, Direction } from '../call.entity';
import { RecordingPolicyService } from '../policy/recording-policy.service';
import { UsageCounter } from '../retention/usage-counter';
import { UsageHistory, UsageService } from '../retention/usage.service';
import { CallPlaceNames, CallPlaces } from '../places/call-places';
import { CallSearchService } from '../search/call-search.service';
import { DashboardRange, dashboardRange } from './dashboard-range';
import { DashboardQueryDto } from './dashboard.dto';
import { MissedCalls, MissedCallView } from './missed-calls';

const TOP = 10;
/** Storage is the tenant's, not the user's: the roles that may read usage (GET /recordings/usage) see it. */
const STORAGE_ROLES = ['tenantAdmin', 'auditor'];

interface Counts {
  inbound: number;
  outbound: number;
  internal: number;
  /** Missed calls of any direction; the three directions count the others, so the four add up to `total`. */
  missed: number;
  total: number;
  talkSeconds: number;
}

export interface DashboardView {
  from: Date;
  to: Date;
  bucket: DashboardRange['bucket'];
  timeZone: string;
  totals: Counts;
  buckets: Array<Counts & { start: string }>;
  busiestLines: Array<
    CallPlaceNames & { siteId: string | null; lineId: string | null; calls: number; talkSeconds: number }
  >;
  busiestExtensions: {
    byCalls: Array<{ extension: string; calls: number; talkSeconds: number }>;
    byTalkTime: Array<{ extension: string; calls: number; talkSeconds: number }>;
  };
  missedCalls: MissedCallView[];
  /** Null for users who may not read the tenant's storage figures. */
  storage: (UsageHistory & { usedBytes: number; capacityBytes: number | null }) | null;
}

type Raw = Record<string, string | number | null>;

/**
 * The dashboard's figures over the recording store. Every query is the search's own (same tenant
 * scope and the same "operators see only their calls" rule), narrowed to the range, so an operator's
 * dashboard counts exactly the calls their search would list. Buckets are computed here as instants
 * and the database only compares startedAt with them: no vendor date functions in SQL.
 */
@Injectable()
export class DashboardService {
  constructor(
    private readonly search: CallSearchService,
    private readonly missed: MissedCalls,
    private readonly tenants: TenantsService,
    private readonly context: RequestContext,
    private readonly usage: UsageService,
    private readonly counter: UsageCounter,
    private readonly policies: RecordingPolicyService,
    private readonly places: CallPlaces,
  ) {}

  async dashboard(dto: DashboardQueryDto, now = new Date()): Promise<DashboardView> {
    const tenantId = this.context.tenantId();
    const timeZone = (await this.tenants.get(tenantId)).timeZone;
    const range = dashboardRange(dto, timeZone, now);
    const [buckets, busiestLines, byCalls, byTalkTime, missedCalls, storage] = await Promise.all([
      this.perBucket(range),
      this.busiestLines(range),
      this.busiestExtensions(range, 'calls'),
      this.busiestExtensions(range, 'talkSeconds'),
      this.missed.recent(range.start, range.end),
      this.storage(tenantId, timeZone, now),
    ]);
    const totals = emptyCounts();
    for (const b of buckets) addCounts(totals, b);
    return {
      from: range.start,
      to: range.end,
      bucket: range.bucket,
      timeZone,
      totals,
      buckets,
      busiestLines,
      busiestExtensions: { byCalls, byTalkTime },
      missedCalls,
      storage,
    };
  }

  /** The calls the user may see in [start, end), unsorted, ready for an aggregate select. */
  private async inRange(range: DashboardRange): Promise<SelectQueryBuilder<Call>> {
    return (await this.search.matching({ from: range.start.toISOString(), to: range.end.toISOString() })).orderBy();
  }

  /** One grouped pass over the range (ix_calls_started): bucket x direction x disposition. */
  private async perBucket(range: DashboardRange): Promise<DashboardView['buckets']> {
    const qb = await this.inRange(range);
    const rows = await qb
      .select(bucketIndex(qb, range.bounds, 0, range.bounds.length - 1), 'bucket')
      .addSelect('c.direction', 'direction')
      .addSelect('c.disposition', 'disposition')
      .addSelect('COUNT(*)', 'calls')
      .addSelect('COALESCE(SUM(c.talkSeconds), 0)', 'talkSeconds')
      .groupBy('bucket')
      .addGroupBy('c.direction')
      .addGroupBy('c.disposition')
      .getRawMany<Raw>();
    const buckets = range.labels.map((start) => ({ start, ...emptyCounts() }));
    for (const r of rows) {
      const b = buckets[Number(r['bucket'])];
      const calls = Number(r['calls']);
      if (r['disposition'] === 'missed') b.missed += calls;
      else b[r['direction'] as Direction] += calls;
      b.total += calls;
      b.talkSeconds += Number(r['talkSeconds']);
    }
    return buckets;
  }

  private async busiestLines(range: DashboardRange): Promise<DashboardView['busiestLines']> {
    const rows = await (
      await this.inRange(range)
    )
      .select('c.siteId', 'siteId')
      .addSelect('c.lineId', 'lineId')
      .addSelect('COUNT(*)', 'calls')
      .addSelect('COALESCE(SUM(c.talkSeconds), 0)', 'talkSeconds')
      .groupBy('c.siteId')
      .addGroupBy('c.lineId')
      .orderBy('calls', 'DESC')
      .addOrderBy('c.siteId', 'ASC')
      .addOrderBy('c.lineId', 'ASC')
      .limit(TOP)
      .getRawMany<Raw>();
    const lines = rows.map((r) => ({
      siteId: r['siteId'] === null ? null : String(r['siteId']),
      lineId: r['lineId'] === null ? null : String(r['lineId']),
      calls: Number(r['calls']),
      talkSeconds: Number(r['talkSeconds']),
    }));
    const placesOf = await this.places.namesFor(this.context.tenantId(), lines);
    return lines.map((l) => ({ ...l, ...placesOf(l) }));
  }

  private async busiestExtensions(range: DashboardRange, by: 'calls' | 'talkSeconds') {
    const rows = await (
      await this.inRange(range)
    )
      .andWhere('c.extension IS NOT NULL')
      .select('c.extension', 'extension')
      .addSelect('COUNT(*)', 'calls')
      .addSelect('COALESCE(SUM(c.talkSeconds), 0)', 'talkSeconds')
      .groupBy('c.extension')
      .orderBy(by, 'DESC')
      .addOrderBy('c.extension', 'ASC')
      .limit(TOP)
      .getRawMany<Raw>();
    return rows.map((r) => ({
      extension: String(r['extension']),
      calls: Number(r['calls']),
      talkSeconds: Number(r['talkSeconds']),
    }));
  }

  private async storage(tenantId: string, timeZone: string, now: Date): Promise<DashboardView['storage']> {
    const roles = this.context.principal()?.roles ?? [];
    if (!roles.some((r) => STORAGE_ROLES.includes(r))) return null;
    const [history, usedBytes, policy] = await Promise.all([
      this.usage.history(timeZone, now, true),
      this.counter.used(tenantId),
      this.policies.get(tenantId),
    ]);
    return { ...history, usedBytes, capacityBytes: policy.capacityBytes };
  }
}

/**
 * The index of the bucket holding c.startedAt among bounds[lo..hi], as a CASE nested like a binary
 * search: about log2(buckets) comparisons per row, where a flat CASE over 400 days would make 400.
 */
function bucketIndex(qb: SelectQueryBuilder<Call>, bounds: Date[], lo: number, hi: number): string {
  if (hi - lo === 1) return String(lo);
  const mid = (lo + hi) >> 1;
  qb.setParameter(`bound${mid}`, bounds[mid]);
  return `CASE WHEN c.startedAt < :bound${mid} THEN ${bucketIndex(qb, bounds, lo, mid)} ELSE ${bucketIndex(qb, bounds, mid, hi)} END`;
}

const emptyCounts = (): Counts => ({ inbound: 0, outbound: 0, internal: 0, missed: 0, total: 0, talkSeconds: 0 });

function addCounts(to: Counts, c: Counts): void {
  to.inbound += c.inbound;
  to.outbound += c.outbound;
  to.internal += c.internal;
  to.missed += c.missed;
  to.total += c.total;
  to.talkSeconds += c.talkSeconds;
}
