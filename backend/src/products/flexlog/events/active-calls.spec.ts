import { ActiveCalls } from './active-calls';
import type { CallEvent } from './call-event.dto';

const ev = (type: CallEvent['type'], callId: string, over: Partial<CallEvent> = {}): CallEvent => ({
  tenantId: 't1',
  siteId: 's1',
  siteName: '東京本社',
  seq: 1,
  type,
  callId,
  at: '2026-04-01T09:00:00.000Z',
  caller: '0312345678',
  callee: '201',
  callerName: null,
  extension: '201',
  direction: 'inbound',
  lineName: null,
  receivedAt: '2026-04-01T09:00:00.010Z',
  ...over,
});

describe('ActiveCalls', () => {
  it('follows a call from ringing to answered to ended, per tenant and site', () => {
    const calls = new ActiveCalls();
    calls.apply(ev('ringing', 'a', { callerName: '山田' }));
    calls.apply(ev('ringing', 'a', { siteId: 's2', at: '2026-04-01T09:00:03.000Z' }));
    calls.apply(ev('ringing', 'a', { tenantId: 't2' }));
    calls.apply(ev('answered', 'a', { at: '2026-04-01T09:00:07.000Z' }));
    expect(calls.list('t1')).toEqual([
      expect.objectContaining({
        siteId: 's1',
        state: 'answered',
        callerName: '山田',
        answeredAt: '2026-04-01T09:00:07.000Z',
      }),
      expect.objectContaining({ siteId: 's2', state: 'ringing', answeredAt: null }),
    ]);
    calls.apply(ev('ended', 'a'));
    expect(calls.list('t1').map((c) => c.siteId)).toEqual(['s2']);
    expect(calls.list('t2')).toHaveLength(1);
  });

  it('forgets calls whose end was never seen after 12 hours', () => {
    const calls = new ActiveCalls();
    calls.apply(ev('ringing', 'lost'), 0);
    calls.apply(ev('ringing', 'fresh'), 12 * 3600_000);
    expect(calls.list('t1', 12 * 3600_000 + 1).map((c) => c.callId)).toEqual(['fresh']);
  });

  it('keeps at most 10,000 calls of a tenant, dropping the longest unchanged', () => {
    const calls = new ActiveCalls();
    for (let i = 0; i < 10_001; i++) calls.apply(ev('ringing', `c${i}`));
    const ids = calls.list('t1').map((c) => c.callId);
    expect(ids).toHaveLength(10_000);
    expect(ids).not.toContain('c0');
  });
});
