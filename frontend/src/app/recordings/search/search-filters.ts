import { SearchQuery } from '../recordings.api';
import {
  CALL_SOURCES,
  CallSource,
  DIRECTIONS,
  DISPOSITIONS,
  Direction,
  Disposition,
  NUMBER_MATCHES,
  NumberMatch,
} from '../recordings.types';
import { numberForSearch } from '../phone-input';
import { addDays, weekday } from '../tenant-time';

export const PERIODS = ['today', 'week', 'last30', 'all', 'custom'] as const;
export type Period = (typeof PERIODS)[number];
export type TriState = '' | 'true' | 'false';

/** Everything the search form holds; strings as the inputs give them. */
export interface SearchFilters {
  period: Period;
  /** YYYY-MM-DD in the tenant's zone; used when period is custom. */
  from: string;
  to: string;
  number: string;
  numberMatch: NumberMatch;
  direction: Direction | '';
  disposition: Disposition | '';
  source: CallSource | '';
  extension: string;
  userId: string;
  siteId: string;
  lineId: string;
  minTalkSeconds: string;
  maxTalkSeconds: string;
  tag: string;
  hasNotes: TriState;
  legalHold: TriState;
  q: string;
  sort: 'desc' | 'asc';
}

export const DEFAULT_FILTERS: SearchFilters = {
  period: 'last30',
  from: '',
  to: '',
  number: '',
  numberMatch: 'prefix',
  direction: '',
  disposition: '',
  source: '',
  extension: '',
  userId: '',
  siteId: '',
  lineId: '',
  minTalkSeconds: '',
  maxTalkSeconds: '',
  tag: '',
  hasNotes: '',
  legalHold: '',
  q: '',
  sort: 'desc',
};

/** The filters past the first row: opening "more conditions" when any of them is set. */
export const ADVANCED_FIELDS: (keyof SearchFilters)[] = [
  'source',
  'extension',
  'userId',
  'siteId',
  'lineId',
  'minTalkSeconds',
  'maxTalkSeconds',
  'tag',
  'hasNotes',
  'legalHold',
  'q',
  'sort',
];

/**
 * The days a preset covers, as YYYY-MM-DD in the tenant's zone (the API reads bare dates in that
 * zone and includes the whole of `to`). Weeks start on Monday, as Japanese business calendars do.
 */
export function periodRange(
  f: Pick<SearchFilters, 'period' | 'from' | 'to'>,
  today: string,
): { from?: string; to?: string } {
  switch (f.period) {
    case 'today':
      return { from: today, to: today };
    case 'week':
      return { from: addDays(today, -((weekday(today) + 6) % 7)), to: today };
    case 'last30':
      return { from: addDays(today, -29), to: today };
    case 'all':
      return {};
    case 'custom':
      return { ...(f.from ? { from: f.from } : {}), ...(f.to ? { to: f.to } : {}) };
  }
}

/** A filter problem, named by the form field it belongs to (translation key under recordings.errors). */
export interface FilterProblem {
  field: keyof SearchFilters;
  key: string;
}

export function validateFilters(f: SearchFilters): FilterProblem[] {
  const problems: FilterProblem[] = [];
  const seconds = (v: string) => (v.trim() === '' ? null : Number(v));
  for (const field of ['minTalkSeconds', 'maxTalkSeconds'] as const) {
    const n = seconds(f[field]);
    if (n !== null && !(Number.isInteger(n) && n >= 0)) problems.push({ field, key: 'seconds' });
  }
  const min = seconds(f.minTalkSeconds);
  const max = seconds(f.maxTalkSeconds);
  if (min !== null && max !== null && min >= 0 && max >= 0 && min > max) {
    problems.push({ field: 'maxTalkSeconds', key: 'minAboveMax' });
  }
  if (f.period === 'custom' && f.from && f.to && f.from > f.to) problems.push({ field: 'to', key: 'fromAfterTo' });
  if (f.number.trim() && !numberForSearch(f.number).replace('+', '')) problems.push({ field: 'number', key: 'number' });
  return problems;
}

/** The query string of GET /api/v1/calls (and export.csv) for these filters. */
export function toQuery(f: SearchFilters, today: string): SearchQuery {
  const q: SearchQuery = {};
  const range = periodRange(f, today);
  if (range.from) q['from'] = range.from;
  if (range.to) q['to'] = range.to;
  const number = numberForSearch(f.number);
  if (number.replace('+', '')) {
    q['number'] = number;
    q['numberMatch'] = f.numberMatch;
  }
  const text: (keyof SearchFilters)[] = ['direction', 'disposition', 'source', 'userId', 'hasNotes', 'legalHold'];
  for (const key of text) if (f[key]) q[key] = f[key];
  for (const key of ['extension', 'siteId', 'lineId', 'tag', 'q', 'minTalkSeconds', 'maxTalkSeconds'] as const) {
    const v = f[key].trim();
    if (v) q[key] = v;
  }
  if (f.sort !== 'desc') q['sort'] = f.sort;
  return q;
}

const oneOf = <T extends string>(allowed: readonly T[], v: unknown, fallback: T): T =>
  typeof v === 'string' && (allowed as readonly string[]).includes(v) ? (v as T) : fallback;

/**
 * Filters rebuilt from untrusted input (URL query, localStorage): unknown keys dropped, every value
 * checked against what the form allows, so a stale saved search can never break the page.
 */
export function sanitizeFilters(raw: Record<string, unknown>): SearchFilters {
  // Numbers are welcome where inputs are type=number (Angular hands those over as numbers).
  const str = (k: keyof SearchFilters, max = 100) => {
    const v = raw[k];
    return typeof v === 'string' ? v.slice(0, max) : typeof v === 'number' && Number.isFinite(v) ? String(v) : '';
  };
  const day = (k: 'from' | 'to') => (/^\d{4}-\d{2}-\d{2}$/.test(str(k)) ? str(k) : '');
  const tri = (k: 'hasNotes' | 'legalHold') => oneOf<TriState>(['', 'true', 'false'], raw[k], '');
  return {
    period: oneOf(PERIODS, raw['period'], DEFAULT_FILTERS.period),
    from: day('from'),
    to: day('to'),
    number: str('number', 40),
    numberMatch: oneOf(NUMBER_MATCHES, raw['numberMatch'], 'prefix'),
    direction: oneOf<Direction | ''>(['', ...DIRECTIONS], raw['direction'], ''),
    disposition: oneOf<Disposition | ''>(['', ...DISPOSITIONS], raw['disposition'], ''),
    source: oneOf<CallSource | ''>(['', ...CALL_SOURCES], raw['source'], ''),
    extension: str('extension', 32),
    userId: str('userId', 36),
    siteId: str('siteId', 64),
    lineId: str('lineId', 64),
    minTalkSeconds: str('minTalkSeconds', 8),
    maxTalkSeconds: str('maxTalkSeconds', 8),
    tag: str('tag', 50),
    hasNotes: tri('hasNotes'),
    legalHold: tri('legalHold'),
    q: str('q', 100),
    sort: oneOf(['desc', 'asc'] as const, raw['sort'], 'desc'),
  };
}

/** Only the fields that differ from the defaults: short URLs and saved searches. */
export function changedFilters(f: SearchFilters): Partial<SearchFilters> {
  const out: Partial<Record<keyof SearchFilters, string>> = {};
  for (const key of Object.keys(DEFAULT_FILTERS) as (keyof SearchFilters)[]) {
    if (f[key] !== DEFAULT_FILTERS[key]) out[key] = f[key];
  }
  return out as Partial<SearchFilters>;
}
