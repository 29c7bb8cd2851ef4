import { SearchQuery } from '../../recordings/recordings.api';
import {
  DEFAULT_FILTERS,
  FilterProblem,
  SearchFilters,
  sanitizeFilters,
  toQuery,
  validateFilters,
} from '../../recordings/search/search-filters';
import { FLAG_FILTERS, FlagFilter } from '../vnote.types';
import { MAX_QUERY_LENGTH } from './query-help';

/** The metric filters of GET /vnote/search: whole numbers, percentages 0-100 (docs/vnote/search-api.md). */
export const METRIC_FILTERS = [
  'minSilenceCount',
  'maxSilenceCount',
  'minOperatorTalkPercent',
  'maxOperatorTalkPercent',
  'minSpeechRate',
  'maxSpeechRate',
  'minOverlapCount',
  'maxOverlapCount',
  'minLongestMonologueSeconds',
] as const;
export type MetricFilter = (typeof METRIC_FILTERS)[number];

/** The call filters of the recordings search, plus what only transcripts can answer. */
export interface VnoteFilters extends SearchFilters, Record<MetricFilter, string> {
  flag: FlagFilter | '';
}

export const DEFAULT_VNOTE_FILTERS: VnoteFilters = {
  ...DEFAULT_FILTERS,
  flag: '',
  ...(Object.fromEntries(METRIC_FILTERS.map((k) => [k, ''])) as Record<MetricFilter, string>),
};

export interface VnoteFilterProblem {
  field: keyof VnoteFilters;
  key: string;
}

const PAIRS: [MetricFilter, MetricFilter][] = [
  ['minSilenceCount', 'maxSilenceCount'],
  ['minOperatorTalkPercent', 'maxOperatorTalkPercent'],
  ['minSpeechRate', 'maxSpeechRate'],
  ['minOverlapCount', 'maxOverlapCount'],
];

/** The recordings checks plus the metric ones (the server would refuse the same values). */
export function validateVnoteFilters(f: VnoteFilters): VnoteFilterProblem[] {
  const problems: VnoteFilterProblem[] = validateFilters(f).map((p: FilterProblem) => ({ ...p }));
  const num = (v: string) => (v.trim() === '' ? null : Number(v));
  for (const field of METRIC_FILTERS) {
    const n = num(f[field]);
    if (n === null) continue;
    if (!Number.isInteger(n) || n < 0) problems.push({ field, key: 'wholeNumber' });
    else if (field.endsWith('Percent') && n > 100) problems.push({ field, key: 'percent' });
  }
  for (const [lo, hi] of PAIRS) {
    const a = num(f[lo]);
    const b = num(f[hi]);
    if (a !== null && b !== null && a > b) problems.push({ field: hi, key: 'minAboveMax' });
  }
  if (f.q.length > MAX_QUERY_LENGTH) problems.push({ field: 'q', key: 'tooLong' });
  return problems;
}

/** The query string of GET /api/v1/vnote/search. */
export function toVnoteQuery(f: VnoteFilters, today: string): SearchQuery {
  // The recordings sanitiser caps q at 100 characters; the transcript query may be 200.
  const q = toQuery({ ...f, q: '' }, today);
  if (f.q.trim()) q['q'] = f.q.trim();
  if (f.flag) q['flag'] = f.flag;
  for (const key of METRIC_FILTERS) if (f[key].trim()) q[key] = f[key].trim();
  return q;
}

/** Filters rebuilt from the URL: unknown keys dropped, every value checked. */
export function sanitizeVnoteFilters(raw: Record<string, unknown>): VnoteFilters {
  const base = sanitizeFilters(raw);
  const str = (v: unknown, max: number) =>
    typeof v === 'string' ? v.slice(0, max) : typeof v === 'number' && Number.isFinite(v) ? String(v) : '';
  const flag = raw['flag'];
  return {
    ...base,
    q: str(raw['q'], MAX_QUERY_LENGTH),
    flag: typeof flag === 'string' && (FLAG_FILTERS as readonly string[]).includes(flag) ? (flag as FlagFilter) : '',
    ...(Object.fromEntries(METRIC_FILTERS.map((k) => [k, str(raw[k], 8)])) as Record<MetricFilter, string>),
  };
}

/** Only the fields that differ from the defaults: short URLs. */
export function changedVnoteFilters(f: VnoteFilters): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(DEFAULT_VNOTE_FILTERS) as (keyof VnoteFilters)[]) {
    if (f[key] !== DEFAULT_VNOTE_FILTERS[key]) out[key] = f[key];
  }
  return out;
}
