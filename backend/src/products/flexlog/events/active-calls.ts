import type { CallEvent } from './call-event.dto';

/** A call between ringing and ended, as the live-calls view shows it. */
export type ActiveCall = Pick<
  CallEvent,
  'siteId' | 'siteName' | 'callId' | 'caller' | 'callee' | 'callerName' | 'extension' | 'direction' | 'lineName'
> & { state: 'ringing' | 'answered'; ringingAt: string; answeredAt: string | null };

/** A call whose end was never seen (the BYE was lost) leaves the list after this long. */
const STALE_MS = 12 * 3600 * 1000;
/** More calls than this at once in one tenant means lost ends: the oldest go first. */
const MAX_PER_TENANT = 10_000;

/** The calls in progress per tenant, kept from the event stream; bounded in time and number. */
export class ActiveCalls {
  /** Per tenant, per `site call-id`: the call and when it last changed. */
  private readonly tenants = new Map<string, Map<string, { call: ActiveCall; touched: number }>>();

  apply(event: CallEvent, now = Date.now()): void {
    let calls = this.tenants.get(event.tenantId);
    const key = `${event.siteId} ${event.callId}`;
    if (event.type === 'ended') {
      calls?.delete(key);
      if (calls && !calls.size) this.tenants.delete(event.tenantId);
      return;
    }
    if (!calls) this.tenants.set(event.tenantId, (calls = new Map()));
    const known = calls.get(key)?.call;
    calls.delete(key); // re-inserted last: the map's order is the order of last change
    const call: ActiveCall = {
      siteId: event.siteId,
      siteName: event.siteName,
      callId: event.callId,
      state: event.type === 'answered' ? 'answered' : (known?.state ?? 'ringing'),
      caller: event.caller,
      callee: event.callee,
      callerName: event.callerName ?? known?.callerName ?? null,
      extension: event.extension ?? known?.extension ?? null,
      direction: event.direction,
      lineName: event.lineName ?? known?.lineName ?? null,
      ringingAt: known?.ringingAt ?? event.at,
      answeredAt: event.type === 'answered' ? event.at : (known?.answeredAt ?? null),
    };
    calls.set(key, { call, touched: now });
    if (calls.size > MAX_PER_TENANT) calls.delete(calls.keys().next().value as string);
  }

  /** The tenant's calls in progress, oldest ring first. */
  list(tenantId: string, now = Date.now()): ActiveCall[] {
    const calls = this.tenants.get(tenantId);
    if (!calls) return [];
    for (const [key, entry] of calls) if (now - entry.touched > STALE_MS) calls.delete(key);
    return [...calls.values()].map((e) => e.call).sort((a, b) => a.ringingAt.localeCompare(b.ringingAt));
  }
}
