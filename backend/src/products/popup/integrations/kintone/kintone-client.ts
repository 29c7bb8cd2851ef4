import { OutboundError, requestJson } from '../outbound-json';

/** A kintone field value as the REST API returns it ({"type": "SINGLE_LINE_TEXT", "value": "…"}). */
export interface KintoneField {
  type?: string;
  value: unknown;
}
export type KintoneRecord = Record<string, KintoneField>;

/** kintone's documented error answer: {"code": "GAIA_AP01", "id": "…", "message": "…"}. */
export class KintoneError extends Error {
  constructor(
    readonly code: string,
    readonly kintoneId: string | null,
    message: string,
    readonly httpStatus: number | null,
    /** CB_VA01 lists the invalid fields: {"record.電話番号.value": {"messages": ["必須です。"]}}. */
    readonly errors: unknown = undefined,
  ) {
    super(`kintone ${code}: ${message}`);
  }
}

/** Field codes as kintone allows them (letters incl. Japanese, digits, _ and a few signs; no spaces or quotes). */
export const FIELD_CODE = /^[^\s"'()=<>!,\\]{1,128}$/u;

/** A string literal of kintone's query syntax: in double quotes, with \ and " escaped by a backslash. */
export const queryString = (value: string) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/**
 * The query finding a number in a text or link field, in either spelling people store it
 * (0312345678 or 03-1234-5678): `電話番号 like "0312345678" or 電話番号 like "03-1234-5678" limit 5`.
 * `like` is a partial match, so the caller checks the hits' digits.
 */
export function numberQuery(phoneField: string, spellings: string[], limit: number): string {
  const conditions = [...new Set(spellings.filter(Boolean))].map((s) => `${phoneField} like ${queryString(s)}`);
  return `${conditions.join(' or ')} limit ${limit}`;
}

const url = (baseUrl: string, path: string) => `${baseUrl.replace(/\/+$/, '')}${path}`;

async function call<T>(
  baseUrl: string,
  path: string,
  init: { method: 'GET' | 'POST'; token: string; body?: unknown },
  timeoutMs: number,
): Promise<T> {
  const answer = await requestJson(
    url(baseUrl, path),
    { method: init.method, headers: { 'X-Cybozu-API-Token': init.token }, body: init.body },
    timeoutMs,
  );
  if (answer.status >= 200 && answer.status <= 299) return answer.body as T;
  const e = (answer.body ?? {}) as { code?: unknown; id?: unknown; message?: unknown; errors?: unknown };
  if (typeof e.code === 'string') {
    throw new KintoneError(
      e.code,
      typeof e.id === 'string' ? e.id : null,
      typeof e.message === 'string' ? e.message : '',
      answer.status,
      e.errors,
    );
  }
  throw new OutboundError(`answered HTTP ${answer.status}`, answer.status);
}

/** GET /k/v1/records.json (app, query, fields[n]), authenticated by the app's API token. */
export async function getRecords(
  baseUrl: string,
  app: number,
  token: string,
  query: string,
  fields: string[],
  timeoutMs: number,
): Promise<KintoneRecord[]> {
  const params = new URLSearchParams({ app: String(app), query });
  fields.forEach((f, i) => params.set(`fields[${i}]`, f));
  const body = await call<{ records?: unknown }>(
    baseUrl,
    `/k/v1/records.json?${params}`,
    { method: 'GET', token },
    timeoutMs,
  );
  if (!Array.isArray(body?.records)) throw new OutboundError('the answer has no records list');
  return body.records as KintoneRecord[];
}

/** POST /k/v1/record.json {app, record: {code: {value}}}; answers the new record's id. */
export async function addRecord(
  baseUrl: string,
  app: number,
  token: string,
  record: Record<string, { value: unknown }>,
  timeoutMs: number,
): Promise<string> {
  const body = await call<{ id?: unknown }>(
    baseUrl,
    '/k/v1/record.json',
    { method: 'POST', token, body: { app, record } },
    timeoutMs,
  );
  return String(body?.id ?? '');
}
