import type { PopupCall } from './popup-protocol';
import { MemoryRingingCalls, RECENT_MS, RingingCall, STALE_MS } from './ringing-calls';

const entry = (tenantId: string, key: string, ringingAt: string, targets = ['u1']): RingingCall => ({
  tenantId,
  call: { key, ringingAt } as PopupCall,
  targets,
  answeredBy: null,
  answeredAt: null,
  endedAt: null,
});

describe('MemoryRingingCalls', () => {
  afterEach(() => jest.useRealTimers());

  it('keeps calls per tenant, oldest ring first, and moves an ended call to the recent ones', async () => {
    const store = new MemoryRingingCalls();
    const now = Date.now();
    await store.open(entry('a', 's:2', new Date(now - 1000).toISOString()));
    await store.open(entry('a', 's:1', new Date(now - 5000).toISOString()));
    await store.open(entry('b', 's:1', new Date(now).toISOString(), ['u9']));
    expect((await store.inProgress('a')).map((e) => e.call.key)).toEqual(['s:1', 's:2']);
    expect((await store.inProgress('b')).map((e) => e.targets)).toEqual([['u9']]);

    const ended = await store.close('a', 's:1', new Date(now).toISOString());
    expect(ended?.endedAt).toBe(new Date(now).toISOString());
    expect((await store.inProgress('a')).map((e) => e.call.key)).toEqual(['s:2']);
    // Still found (a memo typed after hang-up), and only in its own tenant.
    expect((await store.find('a', 's:1'))?.endedAt).not.toBeNull();
    expect((await store.find('b', 's:1'))?.endedAt).toBeNull();
    expect(await store.close('a', 's:1', new Date(now).toISOString())).toBeNull();
  });

  it('forgets an ended call after RECENT_MS and stops offering a call whose end was lost after STALE_MS', async () => {
    jest.useFakeTimers({ now: new Date('2026-11-24T00:00:00Z') });
    const store = new MemoryRingingCalls();
    await store.open(entry('a', 's:lost', '2026-11-24T00:00:00.000Z'));
    await store.open(entry('a', 's:done', '2026-11-24T00:00:00.000Z'));
    await store.close('a', 's:done', '2026-11-24T00:00:01.000Z');
    jest.setSystemTime(Date.parse('2026-11-24T00:00:01.000Z') + RECENT_MS + 1);
    expect(await store.find('a', 's:done')).toBeNull();
    expect((await store.inProgress('a')).map((e) => e.call.key)).toEqual(['s:lost']);
    jest.setSystemTime(Date.parse('2026-11-24T00:00:00.000Z') + STALE_MS + 1);
    expect(await store.inProgress('a')).toEqual([]);
  });
});
