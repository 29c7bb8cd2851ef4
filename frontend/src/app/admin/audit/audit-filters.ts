import { HttpParams } from '@angular/common/http';

export interface AuditFilterValues {
  action: string;
  actor: string;
  target: string;
  from: string;
  to: string;
}

/** Offered under the action field; `*` at the end asks the API for every action under the prefix. */
export const ACTION_SUGGESTIONS = [
  'auth.*',
  'user.*',
  'apiKey.*',
  'settings.changed',
  'recording.*',
  'recordings.*',
  'evidence.*',
  'flexlog.*',
  'support.*',
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Turns a yyyy-MM-dd from a date input into an ISO instant at local midnight (end of day for `to`). */
export function dayToIso(day: string, endOfDay: boolean): string | null {
  if (!day) return null;
  const [y, m, d] = day.split('-').map(Number);
  const date = endOfDay ? new Date(y, m - 1, d, 23, 59, 59, 999) : new Date(y, m - 1, d);
  return isNaN(date.getTime()) ? null : date.toISOString();
}

/** The API's query for the viewer's filters: an actor typed as a user id is an id, anything else an e-mail. */
export function auditParams(f: AuditFilterValues): HttpParams {
  let params = new HttpParams();
  const action = f.action.trim();
  const actor = f.actor.trim();
  const target = f.target.trim();
  if (action) params = params.set('action', action);
  if (actor) params = params.set(UUID.test(actor) ? 'actorId' : 'actorEmail', actor);
  if (target) params = params.set('target', target);
  const from = dayToIso(f.from, false);
  const to = dayToIso(f.to, true);
  if (from) params = params.set('from', from);
  if (to) params = params.set('to', to);
  return params;
}

/** Entry details arrive as the JSON text stored in the chain: shown indented, or as they are if not JSON. */
export function prettyDetails(details: unknown): string {
  if (typeof details !== 'string') return JSON.stringify(details, null, 2);
  try {
    return JSON.stringify(JSON.parse(details), null, 2);
  } catch {
    return details;
  }
}

/** The i18n key for the API's (English) reason a chain broke, or null to show its words as they are. */
export function brokenReasonKey(reason: string | undefined): string | null {
  if (!reason) return null;
  if (/sequence gap/i.test(reason)) return 'audit.reasons.gap';
  if (/previous-hash/i.test(reason)) return 'audit.reasons.link';
  if (/altered/i.test(reason)) return 'audit.reasons.altered';
  return null;
}
