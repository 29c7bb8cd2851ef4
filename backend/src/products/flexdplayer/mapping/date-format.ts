import { zonedToUtc } from '../../recordings/search/zoned-time';

// Date/time formats as carriers write them (yyyyMMddHHmmss, yyyy/MM/dd HH:mm:ss...), turned into
// regular expressions with named groups, so file-name patterns and sidecar values share one reader.

const PARTS: Record<string, { group: string; regex: string }> = {
  yyyy: { group: 'year', regex: '\\d{4}' },
  MM: { group: 'month', regex: '\\d{2}' },
  dd: { group: 'day', regex: '\\d{2}' },
  HH: { group: 'hour', regex: '\\d{2}' },
  mm: { group: 'minute', regex: '\\d{2}' },
  ss: { group: 'second', regex: '\\d{2}' },
  SSS: { group: 'millis', regex: '\\d{3}' },
};
const PART = /yyyy|MM|dd|HH|mm|ss|SSS/g;
export const DATE_FORMAT_CHARS = /^[yMdHmsS\-_.:/ T]+$/;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * The regex source of a date format; groups are prefixed (`prefix` + year...) so a file-name pattern
 * can embed it. Throws naming what is wrong: a format needs at least yyyy, MM and dd.
 */
export function dateFormatRegex(format: string, prefix = 'dt_'): string {
  if (!DATE_FORMAT_CHARS.test(format)) throw new RangeError(`${format}: only yyyy MM dd HH mm ss SSS and separators`);
  const seen = new Set<string>();
  let out = '';
  let last = 0;
  for (const m of format.matchAll(PART)) {
    out += escape(format.slice(last, m.index));
    if (seen.has(m[0])) throw new RangeError(`${format}: ${m[0]} appears twice`);
    seen.add(m[0]);
    out += `(?<${prefix}${PARTS[m[0]].group}>${PARTS[m[0]].regex})`;
    last = (m.index ?? 0) + m[0].length;
  }
  const rest = format.slice(last);
  if (/[yMdHmsS]/.test(rest) || /[yMdHmsS]/.test(out.replace(/\(\?<[^>]+>[^)]+\)/g, ''))) {
    throw new RangeError(`${format}: letters must form yyyy, MM, dd, HH, mm, ss or SSS`);
  }
  out += escape(rest);
  for (const needed of ['yyyy', 'MM', 'dd']) {
    if (!seen.has(needed)) throw new RangeError(`${format}: needs ${needed}`);
  }
  return out;
}

/** The wall-clock time named by a match's date groups, as an instant in `timeZone`. */
export function instantFromGroups(groups: Record<string, string | undefined>, timeZone: string, prefix = 'dt_'): Date {
  const g = (name: string, fallback = '00') => groups[`${prefix}${name}`] ?? fallback;
  const local = `${g('year')}-${g('month')}-${g('day')}T${g('hour')}:${g('minute')}:${g('second')}`;
  const at = zonedToUtc(local, timeZone);
  return new Date(at.getTime() + Number(g('millis', '0')));
}

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const ISO_LOCAL = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$/;

/**
 * A sidecar's start time: ISO 8601 with an offset is an instant; anything else is wall-clock time
 * in the profile's zone, written in `format` or as ISO without offset. Throws a RangeError saying why.
 */
export function parseTime(value: string, format: string, timeZone: string): Date {
  const text = value.normalize('NFKC').trim();
  if (ISO_WITH_OFFSET.test(text)) {
    const at = new Date(text);
    if (!Number.isNaN(at.getTime())) return at;
  }
  if (ISO_LOCAL.test(text)) return zonedToUtc(text.replace(' ', 'T'), timeZone);
  const m = new RegExp(`^${dateFormatRegex(format)}$`).exec(text);
  if (!m?.groups) throw new RangeError(`"${value}" is not a time in ${format} or ISO 8601`);
  return instantFromGroups(m.groups, timeZone);
}

/** Seconds from "83", "83.4", "01:23" or "00:01:23". */
export function parseDuration(value: string): number {
  const text = value.normalize('NFKC').trim();
  let seconds: number;
  if (/^\d+(\.\d+)?$/.test(text)) seconds = Number(text);
  else if (/^\d{1,2}(:\d{2}){1,2}$/.test(text)) seconds = text.split(':').reduce((acc, p) => acc * 60 + Number(p), 0);
  else throw new RangeError(`"${value}" is not a duration (seconds, mm:ss or HH:mm:ss)`);
  if (seconds > 86_400) throw new RangeError(`"${value}" is longer than a day`);
  return Math.round(seconds);
}
