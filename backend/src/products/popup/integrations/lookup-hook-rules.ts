import type { FieldProblem } from '../../../platform/http/field-errors';
import { outboundUrl } from '../../../core/webhooks/outbound-url';
import { normaliseNumber } from '../../recordings/phone-number';
import { EXTERNAL_CARD_FIELDS, numberPlaceholders } from './external-cards';
import { JsonPathError, parseJsonPath } from './json-path';

export const LOOKUP_TIMEOUT_MS = { min: 100, max: 5_000, default: 1_500 };
export const LOOKUP_CACHE_TTL_SECONDS = { min: 0, max: 86_400, default: 300 };
const PLACEHOLDER = /\{([a-z0-9]+)\}/g;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;
/** Headers fetch sets itself or that would change what is asked: refused rather than silently dropped. */
const RESERVED_HEADERS = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'cookie']);

/** Fills the template: each value URL-encoded, so a number can never add a path or parameter. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(PLACEHOLDER, (_, name: string) => encodeURIComponent(values[name] ?? ''));
}

export function checkUrlTemplate(template: unknown, problems: FieldProblem[]): string | null {
  const text = typeof template === 'string' ? template.trim() : '';
  const names = [...text.matchAll(PLACEHOLDER)].map((m) => m[1]);
  const unknown = names.filter((n) => !['e164', 'national', 'digits'].includes(n));
  if (text && !names.length) {
    problems.push({ field: 'urlTemplate', message: 'must contain {e164}, {national} or {digits}' });
    return null;
  }
  if (unknown.length) {
    problems.push({
      field: 'urlTemplate',
      message: `unknown placeholder {${unknown[0]}}: use {e164}, {national} or {digits}`,
    });
    return null;
  }
  // Checked as it will be called: with a real number filled in.
  const sample = fillTemplate(text, numberPlaceholders(normaliseNumber('03-1234-5678')));
  return outboundUrl(text ? sample : '', 'urlTemplate', problems) ? text : null;
}

export function checkHeaders(headers: unknown, problems: FieldProblem[]): Record<string, string> {
  const out: Record<string, string> = {};
  const entries = Object.entries((headers ?? {}) as Record<string, unknown>);
  if (entries.length > 20) problems.push({ field: 'headers', message: 'at most 20 headers' });
  for (const [name, value] of entries) {
    if (!TOKEN.test(name)) problems.push({ field: `headers.${name}`, message: 'is not a valid header name' });
    else if (RESERVED_HEADERS.has(name.toLowerCase())) {
      problems.push({ field: `headers.${name}`, message: 'may not be set' });
    } else if (typeof value !== 'string' || /[\r\n]/.test(value) || value.length > 4000) {
      problems.push({ field: `headers.${name}`, message: 'must be one line of text (at most 4000 characters)' });
    } else out[name] = value;
  }
  return out;
}

export function checkPath(path: unknown, field: string, problems: FieldProblem[]): string | null {
  if (typeof path !== 'string' || !path.trim()) {
    problems.push({ field, message: 'must be a JSONPath like $.name' });
    return null;
  }
  try {
    parseJsonPath(path);
    return path.trim();
  } catch (error) {
    problems.push({ field, message: (error as JsonPathError).message });
    return null;
  }
}

/** {cardField: JSONPath}: `name` is required (a card needs a title); unknown card fields are refused. */
export function checkMapping(mapping: unknown, problems: FieldProblem[]): Record<string, string> {
  const out: Record<string, string> = {};
  const given = (mapping ?? {}) as Record<string, unknown>;
  if (given['name'] === undefined) problems.push({ field: 'mapping.name', message: 'is required' });
  for (const [field, path] of Object.entries(given)) {
    if (!(EXTERNAL_CARD_FIELDS as readonly string[]).includes(field)) {
      problems.push({ field: `mapping.${field}`, message: `is not a card field (${EXTERNAL_CARD_FIELDS.join(', ')})` });
      continue;
    }
    const checked = checkPath(path, `mapping.${field}`, problems);
    if (checked) out[field] = checked;
  }
  return out;
}

export function checkBounded(
  value: number | undefined,
  field: string,
  bounds: { min: number; max: number; default: number },
  problems: FieldProblem[],
): number {
  if (value === undefined) return bounds.default;
  if (!Number.isInteger(value) || value < bounds.min || value > bounds.max) {
    problems.push({ field, message: `a whole number from ${bounds.min} to ${bounds.max}` });
  }
  return value;
}
