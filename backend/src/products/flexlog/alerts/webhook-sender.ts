import { outboundFetch } from '../../../core/webhooks/outbound-network';
import { createHmac } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-flexlog-signature';
export const WEBHOOK_TIMEOUT_MS = 5_000;

/** `sha256=<hex>`: HMAC-SHA256 of the exact body bytes, keyed with the site's secret as shown (whsec_…). */
export const signature = (secret: string, body: string) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/**
 * POSTs one JSON event, signed, and answers the receiver's status. Redirects are not followed (the
 * admin named the URL; a redirect elsewhere is not it) and the answer's body is never read or shown,
 * so the webhook cannot be used to fetch anything.
 */
export async function postSignedJson(
  url: string,
  payload: object,
  secret: string,
  headers: Record<string, string>,
  timeoutMs = WEBHOOK_TIMEOUT_MS,
): Promise<number> {
  const body = JSON.stringify(payload);
  let res: Response;
  try {
    res = await outboundFetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'call-recording-appliance/flexlog',
        [SIGNATURE_HEADER]: signature(secret, body),
        ...headers,
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const cause = (error as Error & { cause?: Error }).cause;
    if ((error as Error).name === 'TimeoutError') throw new Error(`no answer within ${timeoutMs} ms`);
    throw new Error(cause?.message ?? (error as Error).message);
  }
  await res.body?.cancel();
  if (res.status < 200 || res.status > 299) throw new Error(`answered HTTP ${res.status}`);
  return res.status;
}
