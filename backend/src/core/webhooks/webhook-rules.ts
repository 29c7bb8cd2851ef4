import { fieldErrors, FieldProblem } from '../../platform/http/field-errors';
import { outboundUrl } from './outbound-url';
import type { CreateWebhookDto, UpdateWebhookDto } from './webhook.dto';
import { WEBHOOK_EVENT_TYPES } from './webhook-events';

export interface WebhookFields {
  name: string;
  url: string;
  events: string[];
  enabled: boolean;
}

/** Checks what an admin sent and answers the given fields, normalised; every problem at once, by field. */
export function webhookFields(dto: CreateWebhookDto | UpdateWebhookDto, creating: boolean): Partial<WebhookFields> {
  const problems: FieldProblem[] = [];
  const out: Partial<WebhookFields> = {};
  if (dto.name !== undefined || creating) {
    const name = (dto.name ?? '').trim();
    if (!name) problems.push({ field: 'name', message: 'is required' });
    else out.name = name;
  }
  if (dto.url !== undefined || creating) {
    const url = outboundUrl(dto.url, 'url', problems);
    if (url) out.url = url;
  }
  if (dto.events !== undefined || creating) {
    const events = [...new Set(dto.events ?? [])];
    if (!events.length) problems.push({ field: 'events', message: 'pick at least one event type' });
    events.forEach((e, i) => {
      if (!(WEBHOOK_EVENT_TYPES as readonly string[]).includes(e)) {
        problems.push({ field: `events[${i}]`, message: `${e} is not one of ${WEBHOOK_EVENT_TYPES.join(', ')}` });
      }
    });
    out.events = events;
  }
  if (dto.enabled !== undefined) out.enabled = dto.enabled;
  else if (creating) out.enabled = true;
  if (problems.length) throw fieldErrors(problems);
  return out;
}
