import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Signature-256';
export const TIMESTAMP_HEADER = 'X-Webhook-Timestamp';
export const DELIVERY_HEADER = 'X-Webhook-Delivery';
export const EVENT_HEADER = 'X-Webhook-Event';

/**
 * `sha256=<hex>` of HMAC-SHA256 over `"<timestamp>.<body>"`, keyed with the endpoint's secret as
 * shown (whsec_…). The timestamp (Unix seconds, also sent in X-Webhook-Timestamp) is inside the
 * signed text, so a captured request cannot be replayed later with a fresh timestamp.
 */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The receiver's side of the recipe (docs/popup-integrations.md), also used by the tests. */
export function verifyWebhookSignature(
  secret: string,
  headers: { signature?: string; timestamp?: string },
  body: string,
  now = Date.now(),
  toleranceSeconds = 300,
): boolean {
  const timestamp = Number(headers.timestamp);
  if (!headers.signature || !Number.isInteger(timestamp)) return false;
  if (Math.abs(now / 1000 - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(webhookSignature(secret, timestamp, body));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
