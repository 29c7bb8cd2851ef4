import { DATE_FORMAT_CHARS, dateFormatRegex } from './date-format';

/** The call fields a file name or sidecar may carry. */
export const MAPPED_FIELDS = [
  'ownNumber',
  'otherNumber',
  'direction',
  'startedAt',
  'durationSeconds',
  'callId',
] as const;
export type MappedField = (typeof MAPPED_FIELDS)[number];

/** Tokens of a token pattern, and the named groups a regex pattern may use, for the same fields. */
const TOKENS: Record<string, { group: string; regex: string }> = {
  own: { group: 'own', regex: '.+?' },
  other: { group: 'other', regex: '.*?' },
  direction: { group: 'direction', regex: '[^_\\-. ]+' },
  callId: { group: 'callId', regex: '.+?' },
  duration: { group: 'duration', regex: '\\d+' },
};
export const REGEX_GROUPS = ['own', 'other', 'direction', 'callId', 'duration', 'start'] as const;
const DATE_GROUPS = ['dt_year', 'dt_month', 'dt_day', 'dt_hour', 'dt_minute', 'dt_second', 'dt_millis'];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface CompiledPattern {
  regex: RegExp;
  /** The date format the pattern embeds ({yyyyMMddHHmmss}), if any: its groups are dt_*. */
  hasDateGroups: boolean;
}

/**
 * Compiles `{own}_{other}_{yyyyMMddHHmmss}_{direction}` (tokens: own, other, direction, callId,
 * duration, * for anything, and a date format) or a regular expression with named groups
 * (own, other, direction, callId, duration, start, or year/month/day/hour/minute/second) into a
 * regex matched against the whole file name without its extension. Throws a RangeError naming the problem.
 */
export function compilePattern(kind: 'tokens' | 'regex', pattern: string): CompiledPattern {
  if (kind === 'regex') return compileRegex(pattern);
  let source = '';
  let last = 0;
  let hasDateGroups = false;
  const used = new Set<string>();
  for (const m of pattern.matchAll(/\{([^{}]*)\}/g)) {
    source += escape(pattern.slice(last, m.index));
    last = (m.index ?? 0) + m[0].length;
    const name = m[1];
    if (name === '*') {
      source += '.*?';
      continue;
    }
    if (used.has(name)) throw new RangeError(`{${name}} appears twice`);
    used.add(name);
    const token = TOKENS[name];
    if (token) source += `(?<${token.group}>${token.regex})`;
    else if (DATE_FORMAT_CHARS.test(name) && !hasDateGroups) {
      source += dateFormatRegex(name);
      hasDateGroups = true;
    } else {
      throw new RangeError(
        `{${name}} is not a token (use {own}, {other}, {direction}, {callId}, {duration}, {*} or one date like {yyyyMMddHHmmss})`,
      );
    }
  }
  const rest = pattern.slice(last);
  if (/[{}]/.test(rest) || /[{}]/.test(pattern.replace(/\{[^{}]*\}/g, ''))) throw new RangeError('unbalanced { or }');
  source += escape(rest);
  return { regex: new RegExp(`^${source}$`, 'u'), hasDateGroups };
}

function compileRegex(pattern: string): CompiledPattern {
  // Plain year/month/... groups become the dt_ groups the date reader expects.
  const source = pattern.replace(/\(\?<(year|month|day|hour|minute|second|millis)>/g, '(?<dt_$1>');
  let regex: RegExp;
  try {
    regex = new RegExp(source, 'u');
  } catch (error) {
    throw new RangeError(`not a valid regular expression: ${(error as Error).message}`);
  }
  const groups = [...source.matchAll(/\(\?<([A-Za-z_][A-Za-z0-9_]*)>/g)].map((m) => m[1]);
  const unknown = groups.find((g) => !(REGEX_GROUPS as readonly string[]).includes(g) && !DATE_GROUPS.includes(g));
  if (unknown) throw new RangeError(`unknown group (?<${unknown}>): use ${REGEX_GROUPS.join(', ')} or year..second`);
  const hasDateGroups = groups.includes('dt_year');
  if (hasDateGroups && !(groups.includes('dt_month') && groups.includes('dt_day')))
    throw new RangeError('a date needs year, month and day groups');
  return { regex, hasDateGroups };
}

/** The file name without its directory and audio extension. */
export const baseName = (fileName: string) => fileName.replace(/^.*[\\/]/, '').replace(/\.[A-Za-z0-9]{1,5}$/, '');
