import { outboundFetch } from './outbound-network';
/** Longest wait for a receiver's answer; a slow receiver is a failed attempt, retried later. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

export interface AttemptOutcome {
  ok: boolean;
  httpStatus: number | null;
  durationMs: number;
  error: string | null;
}

/**
 * POSTs one signed JSON body. Redirects are not followed (the admin named the URL; a redirect
 * elsewhere is not it) and the answer's body is never read or stored, so a webhook cannot be used
 * to fetch anything. Any status outside 2xx is a failure.
 */
export async function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs = WEBHOOK_TIMEOUT_MS,
): Promise<AttemptOutcome> {
  const started = performance.now();
  const took = () => Math.round(performance.now() - started);
  try {
    const res = await outboundFetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'call-recording-appliance/webhooks',
        ...headers,
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body?.cancel();
    const ok = res.status >= 200 && res.status <= 299;
    return { ok, httpStatus: res.status, durationMs: took(), error: ok ? null : `answered HTTP ${res.status}` };
  } catch (error) {
    const e = error as Error & { cause?: Error };
    const message = e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e.cause?.message ?? e.message);
    return { ok: false, httpStatus: null, durationMs: took(), error: message.slice(0, 500) };
  }
}
