/**
 * The event types a webhook endpoint may subscribe to. Products publish through WebhookPublisher;
 * a new product event is added here (and to docs/popup-integrations.md) so admins can pick it.
 */
export const WEBHOOK_EVENT_TYPES = ['call.ringing', 'call.answered', 'call.ended', 'vnote.keyword'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Sent only by the "send a test event" button, to the one endpoint asked, whatever its filter. */
export const TEST_EVENT_TYPE = 'webhook.test';

/** What a receiver gets as the JSON body: the same envelope for every event type. */
export interface WebhookEnvelope {
  /** Stable across re-sends of the same event: receivers de-duplicate on it. */
  id: string;
  type: string;
  createdAt: string;
  data: unknown;
}
