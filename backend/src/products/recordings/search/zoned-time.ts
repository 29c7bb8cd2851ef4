/**
 * Converts a wall-clock date/time in a time zone (the tenant's, Asia/Tokyo by default) to a UTC
 * instant, without a time-zone library: Intl tells the zone's offset at that moment.
 */
export function zonedToUtc(local: string, timeZone: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(local);
  if (!m) {
    const instant = new Date(local);
    if (Number.isNaN(instant.getTime())) throw new RangeError(`not a date: ${local}`);
    return instant; // an ISO string with its own offset or Z is already an instant
  }
  const [, y, mo, d, h = '00', mi = '00', s = '00'] = m;
  const asUtc = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
  // Date.UTC rolls 2026-13-45 over into 2027: a field out of range is an error, not another date.
  const back = new Date(asUtc);
  if (
    back.getUTCFullYear() !== +y ||
    back.getUTCMonth() !== +mo - 1 ||
    back.getUTCDate() !== +d ||
    back.getUTCHours() !== +h ||
    back.getUTCMinutes() !== +mi ||
    back.getUTCSeconds() !== +s
  ) {
    throw new RangeError(`not a date: ${local}`);
  }
  // The offset can differ on either side of a DST change: settle it with a second pass.
  let guess = asUtc - offsetMs(new Date(asUtc), timeZone);
  guess = asUtc - offsetMs(new Date(guess), timeZone);
  return new Date(guess);
}

function offsetMs(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(at.getTime() / 1000) * 1000;
}

/** True when `local` names a whole day (YYYY-MM-DD): a `to` of that day then includes all of it. */
export const isDateOnly = (local: string) => /^\d{4}-\d{2}-\d{2}$/.test(local);

/** YYYY-MM-DD of an instant on the wall calendar of a time zone. */
export function localDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** YYYY-MM-DDTHH:mm of an instant on the wall clock of a time zone. */
export function localDateTime(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone, dateStyle: 'short', timeStyle: 'short' })
    .format(at)
    .replace(' ', 'T');
}

/** The calendar day `n` days after `day` (YYYY-MM-DD), whatever the time zone. */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}
