import { fieldError } from '../../../platform/http/field-errors';
import { addDays, isDateOnly, localDate, localDateTime, zonedToUtc } from '../search/zoned-time';
import { DashboardBucket, DashboardQueryDto } from './dashboard.dto';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
export const MAX_RANGE_DAYS = 400;
/** Hourly figures beyond a month are too many bars to read; days answer that question. */
export const MAX_HOUR_BUCKET_DAYS = 31;
/** Up to this span the default bucket is the hour. */
const HOURLY_DEFAULT_DAYS = 2;

export interface DashboardRange {
  start: Date;
  end: Date;
  bucket: DashboardBucket;
  timeZone: string;
  /** n + 1 instants: bucket i is [bounds[i], bounds[i + 1]). */
  bounds: Date[];
  /** The wall-clock start of each bucket in the tenant's zone: YYYY-MM-DD or YYYY-MM-DDTHH:mm. */
  labels: string[];
}

/**
 * The instants a dashboard query covers and where its buckets begin, all on the tenant's wall
 * clock: a day is a local midnight to the next (23 or 25 hours across a DST change), an hour
 * steps from the local start. The database then only compares startedAt with these instants.
 */
export function dashboardRange(dto: DashboardQueryDto, timeZone: string, now = new Date()): DashboardRange {
  const from = dto.from ?? localDate(now, timeZone);
  const to = dto.to ?? from.slice(0, 10);
  const start = instant(from, timeZone, 'from');
  const end = isDateOnly(to) ? instant(addDays(to, 1), timeZone, 'to') : instant(to, timeZone, 'to');
  if (isDateOnly(to)) instant(to, timeZone, 'to'); // 2026-02-30 is an error, not 2026-03-02
  if (end <= start) throw fieldError('to', 'must be after from');
  const span = end.getTime() - start.getTime();
  if (span > MAX_RANGE_DAYS * DAY_MS) throw fieldError('to', `the range may cover at most ${MAX_RANGE_DAYS} days`);
  const bucket = dto.bucket ?? (span <= HOURLY_DEFAULT_DAYS * DAY_MS ? 'hour' : 'day');
  if (bucket === 'hour' && span > MAX_HOUR_BUCKET_DAYS * DAY_MS) {
    throw fieldError('bucket', `hour buckets cover at most ${MAX_HOUR_BUCKET_DAYS} days: use day`);
  }
  const bounds = bucket === 'hour' ? hourBounds(start, end) : dayBounds(start, end, timeZone);
  const labels = bounds
    .slice(0, -1)
    .map((b) => (bucket === 'hour' ? localDateTime(b, timeZone) : localDate(b, timeZone)));
  return { start, end, bucket, timeZone, bounds, labels };
}

function hourBounds(start: Date, end: Date): Date[] {
  const bounds: Date[] = [];
  for (let t = start.getTime(); t < end.getTime(); t += HOUR_MS) bounds.push(new Date(t));
  return [...bounds, end];
}

function dayBounds(start: Date, end: Date, timeZone: string): Date[] {
  const bounds = [start];
  for (let day = addDays(localDate(start, timeZone), 1); ; day = addDays(day, 1)) {
    const midnight = zonedToUtc(day, timeZone);
    if (midnight >= end) break;
    bounds.push(midnight);
  }
  return [...bounds, end];
}

function instant(value: string, timeZone: string, field: string): Date {
  try {
    return zonedToUtc(value, timeZone);
  } catch {
    throw fieldError(field, 'is not a valid date');
  }
}
