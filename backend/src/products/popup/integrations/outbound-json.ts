import { outboundFetch } from '../../../core/webhooks/outbound-network';
/** Largest answer read from a tenant's CRM: a lookup answers a few records, not a database dump. */
export const MAX_ANSWER_BYTES = 1024 * 1024;

export interface JsonAnswer {
  status: number;
  body: unknown;
  durationMs: number;
}

export class OutboundError extends Error {
  constructor(
    message: string,
    readonly status: number | null = null,
    readonly body: unknown = undefined,
  ) {
    super(message);
  }
}

/**
 * One JSON request to a tenant's own system (lookup hook, kintone), bounded: the whole exchange
 * (connect, answer, body) within `timeoutMs`, at most MAX_ANSWER_BYTES read, redirects not
 * followed (the admin named the URL; a redirect elsewhere is not it). Non-JSON answers and
 * network failures throw OutboundError with a message fit for the settings page's test result.
 */
export async function requestJson(
  url: string,
  init: { method: 'GET' | 'POST' | 'PUT'; headers: Record<string, string>; body?: unknown },
  timeoutMs: number,
): Promise<JsonAnswer> {
  const started = performance.now();
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const res = await outboundFetch(url, {
      method: init.method,
      headers: {
        accept: 'application/json',
        'user-agent': 'call-recording-appliance/popup',
        ...(init.body !== undefined ? { 'content-type': 'application/json; charset=utf-8' } : {}),
        ...init.headers,
      },
      body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
      redirect: 'manual',
      signal,
    });
    const text = await readCapped(res);
    let body: unknown = undefined;
    if (text.trim()) {
      try {
        body = JSON.parse(text);
      } catch {
        throw new OutboundError(`answered HTTP ${res.status} with a body that is not JSON`, res.status);
      }
    }
    return { status: res.status, body, durationMs: Math.round(performance.now() - started) };
  } catch (error) {
    if (error instanceof OutboundError) throw error;
    const e = error as Error & { cause?: Error };
    if (e.name === 'TimeoutError' || signal.aborted) throw new OutboundError(`no answer within ${timeoutMs} ms`);
    throw new OutboundError((e.cause?.message ?? e.message).slice(0, 300));
  }
}

async function readCapped(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      await reader.cancel();
      throw new OutboundError(`answered more than ${MAX_ANSWER_BYTES} bytes`, res.status);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
