import { outboundUrl } from '../../../../core/webhooks/outbound-url';
import { fieldErrors, FieldProblem } from '../../../../platform/http/field-errors';
import { EXTERNAL_CARD_FIELDS } from '../external-cards';
import { checkBounded, LOOKUP_CACHE_TTL_SECONDS } from '../lookup-hook-rules';
import { FIELD_CODE } from './kintone-client';
import type { PutKintoneDto } from './kintone.dto';

/** kintone answers within about a second; the popup never waits longer than this for it. */
export const KINTONE_TIMEOUT_MS = { min: 100, max: 5_000, default: 2_000 };

/** What a history record can carry, each written to the kintone field code the admin maps it to. */
export const HISTORY_FIELDS = [
  'number',
  'customerName',
  'direction',
  'extension',
  'lineName',
  'answeredBy',
  'ringingAt',
  'answeredAt',
  'endedAt',
  'talkSeconds',
  'callKey',
] as const;
export type HistoryField = (typeof HISTORY_FIELDS)[number];

export interface KintoneFields {
  enabled: boolean;
  baseUrl: string;
  appId: number;
  phoneField: string;
  mapping: Record<string, string>;
  historyEnabled: boolean;
  historyAppId: number | null;
  historyMapping: Record<string, string>;
  timeoutMs: number;
  cacheTtlSeconds: number;
}

const appId = (value: unknown, field: string, problems: FieldProblem[]) => {
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > 2_147_483_647) {
    problems.push({ field, message: 'must be a kintone app id (a positive whole number)' });
  }
};

const fieldCode = (value: unknown, field: string, problems: FieldProblem[]) => {
  if (typeof value !== 'string' || !FIELD_CODE.test(value)) {
    problems.push({ field, message: 'must be a kintone field code (no spaces, quotes or brackets)' });
  }
};

function codes(
  given: unknown,
  allowed: readonly string[],
  field: string,
  problems: FieldProblem[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, code] of Object.entries((given ?? {}) as Record<string, unknown>)) {
    if (!allowed.includes(key)) {
      problems.push({ field: `${field}.${key}`, message: `is not one of ${allowed.join(', ')}` });
      continue;
    }
    fieldCode(code, `${field}.${key}`, problems);
    out[key] = code as string;
  }
  return out;
}

/**
 * Checks a whole connector. `hasTokens` says which tokens are already saved: a token is required
 * only when none is saved yet (the form never shows them again).
 */
export function kintoneFields(
  dto: PutKintoneDto,
  hasTokens: { apiToken: boolean; historyApiToken: boolean },
): KintoneFields {
  const problems: FieldProblem[] = [];
  const baseUrl = outboundUrl(dto.baseUrl, 'baseUrl', problems);
  appId(dto.appId, 'appId', problems);
  fieldCode(dto.phoneField, 'phoneField', problems);
  const mapping = codes(dto.mapping, EXTERNAL_CARD_FIELDS, 'mapping', problems);
  if (!mapping['name']) problems.push({ field: 'mapping.name', message: 'is required' });
  for (const [field, token] of [
    ['apiToken', dto.apiToken],
    ['historyApiToken', dto.historyApiToken],
  ] as const) {
    if (token !== undefined && !/^[A-Za-z0-9]{1,200}$/.test(token)) {
      problems.push({ field, message: 'must be a kintone API token (letters and digits)' });
    }
  }
  if (!dto.apiToken && !hasTokens.apiToken) problems.push({ field: 'apiToken', message: 'is required' });
  const historyEnabled = dto.historyEnabled ?? false;
  const historyMapping = codes(dto.historyMapping, HISTORY_FIELDS, 'historyMapping', problems);
  if (historyEnabled) {
    appId(dto.historyAppId, 'historyAppId', problems);
    if (!dto.historyApiToken && !hasTokens.historyApiToken) {
      problems.push({ field: 'historyApiToken', message: 'is required to write the call history' });
    }
    if (!Object.keys(historyMapping).length) {
      problems.push({ field: 'historyMapping', message: 'map at least one history field to a kintone field code' });
    }
  } else if (dto.historyAppId !== undefined && dto.historyAppId !== null) {
    appId(dto.historyAppId, 'historyAppId', problems);
  }
  const timeoutMs = checkBounded(dto.timeoutMs, 'timeoutMs', KINTONE_TIMEOUT_MS, problems);
  const cacheTtlSeconds = checkBounded(dto.cacheTtlSeconds, 'cacheTtlSeconds', LOOKUP_CACHE_TTL_SECONDS, problems);
  if (problems.length) throw fieldErrors(problems);
  return {
    enabled: dto.enabled,
    baseUrl: baseUrl as string,
    appId: dto.appId,
    phoneField: dto.phoneField,
    mapping,
    historyEnabled,
    historyAppId: dto.historyAppId ?? null,
    historyMapping,
    timeoutMs,
    cacheTtlSeconds,
  };
}
