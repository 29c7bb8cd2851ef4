import { CallEvent } from '../src/products/flexlog/events/call-event.dto';
import WebSocket from 'ws';
import { CallEventsGateway } from '../src/products/flexlog/events/call-events.gateway';
import { CallEventsService } from '../src/products/flexlog/events/call-events.service';
import { LiveCallsController } from '../src/products/flexlog/events/live-calls.controller';
import {
  connectEvents,
  openLiveCalls,
  refusedUpgrade,
  setupTenants,
  siteWithKey,
  Tenants,
} from './support/flexlog-fixtures';
import { startTestApp, TestApp } from './support/test-app';
import { testDatabases } from './support/test-databases';

const event = (seq: number, type: string, callId: string, over: Record<string, unknown> = {}) => ({
  seq,
  type,
  callId,
  at: new Date().toISOString(),
  caller: '0312345678',
  callee: '201',
  callerName: '山田 花子',
  extension: '201',
  direction: 'inbound',
  lineName: '東京店',
  ...over,
});

const percentiles = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50Ms: at(0.5), p95Ms: at(0.95), maxMs: sorted[sorted.length - 1] };
};
const ms = (p: { p50Ms: number | null; p95Ms: number | null; maxMs: number | null }) =>
  `p50 ${p.p50Ms?.toFixed(2)} ms, p95 ${p.p95Ms?.toFixed(2)} ms, max ${p.maxMs?.toFixed(2)} ms`;

describe.each(testDatabases())('FlexLog call events on $name', (db) => {
  const report = (line: string) => process.stdout.write(`[${db.name}] call events, ${line}\n`);
  let t: TestApp;
  let u: Tenants;
  let tokyo: Awaited<ReturnType<typeof siteWithKey>>;
  let osaka: Awaited<ReturnType<typeof siteWithKey>>;
  const seenA: CallEvent[] = [];
  const seenB: CallEvent[] = [];

  beforeAll(async () => {
    t = await startTestApp(db);
    u = await setupTenants(t);
    tokyo = await siteWithKey(u.admin, { name: '東京本社' });
    osaka = await siteWithKey(u.admin, { name: '大阪支店' });
    const events = t.app.get(CallEventsService);
    events.subscribe(u.tenantId, (e) => seenA.push(e));
    events.subscribe(u.otherTenantId, (e) => seenB.push(e));
  });
  afterAll(async () => t?.close());

  it('acks each event by seq and fans it out to the tenant’s subscribers and live-calls stream', async () => {
    const live = await openLiveCalls(t, u.supervisor);
    expect(live.status).toBe(200);
    expect((await live.waitFor((e) => e.type === 'snapshot')).data).toEqual({ calls: [] });
    const box = await connectEvents(t, { header: tokyo.key });
    expect(await box.next((m) => m['type'] === 'hello')).toEqual({ type: 'hello', siteId: tokyo.site.id, lastSeq: 0 });
    box.send(event(1, 'ringing', 'call-1@pbx'));
    expect(await box.next((m) => m['type'] === 'ack')).toEqual({ type: 'ack', seq: 1, duplicate: false });
    box.send(event(2, 'answered', 'call-1@pbx'));
    expect(await box.next((m) => m['type'] === 'ack')).toEqual({ type: 'ack', seq: 2, duplicate: false });
    expect(seenA.map((e) => [e.seq, e.type, e.siteId, e.siteName])).toEqual([
      [1, 'ringing', tokyo.site.id, '東京本社'],
      [2, 'answered', tokyo.site.id, '東京本社'],
    ]);
    expect(seenA[0]).toMatchObject({
      tenantId: u.tenantId,
      caller: '0312345678',
      extension: '201',
      lineName: '東京店',
    });
    const answered = await live.waitFor((e) => e.type === 'call' && e.data['seq'] === 2);
    expect(answered.data).toMatchObject({ type: 'answered', callId: 'call-1@pbx', siteName: '東京本社' });
    // A browser arriving now gets the call in progress in its snapshot.
    const late = await openLiveCalls(t, u.admin);
    expect((await late.waitFor((e) => e.type === 'snapshot')).data['calls']).toEqual([
      expect.objectContaining({
        callId: 'call-1@pbx',
        state: 'answered',
        siteId: tokyo.site.id,
        callerName: '山田 花子',
      }),
    ]);
    live.close();
    late.close();
    await box.close();
  });

  it('after a reconnect says the last seq it has, ignores replayed events and publishes only new ones', async () => {
    const box = await connectEvents(t, { header: tokyo.key });
    expect(await box.next((m) => m['type'] === 'hello')).toMatchObject({ lastSeq: 2 });
    const before = seenA.length;
    box.send(event(1, 'ringing', 'call-1@pbx'));
    box.send(event(2, 'answered', 'call-1@pbx'));
    box.send(event(3, 'ended', 'call-1@pbx'));
    expect(await box.next((m) => m['type'] === 'ack')).toEqual({ type: 'ack', seq: 1, duplicate: true });
    expect(await box.next((m) => m['type'] === 'ack')).toEqual({ type: 'ack', seq: 2, duplicate: true });
    expect(await box.next((m) => m['type'] === 'ack')).toEqual({ type: 'ack', seq: 3, duplicate: false });
    expect(seenA.slice(before).map((e) => e.seq)).toEqual([3]);
    expect(t.app.get(CallEventsService).activeCalls(u.tenantId)).toEqual([]);
    await box.close();
  });

  it('measures receipt-to-subscriber latency, one event at a time as calls ring', async () => {
    const box = await connectEvents(t, { header: osaka.key });
    await box.next((m) => m['type'] === 'hello');
    const live = await openLiveCalls(t, u.auditor);
    await live.waitFor((e) => e.type === 'snapshot');
    const endToEnd: number[] = [];
    for (let seq = 1; seq <= 100; seq++) {
      const sent = performance.now();
      box.send(event(seq, ['ringing', 'answered', 'ended'][(seq - 1) % 3], `osaka-${Math.ceil(seq / 3)}`));
      const shown = await live.waitFor((e) => e.type === 'call' && e.data['seq'] === seq);
      endToEnd.push(shown.at - sent);
      await box.next((m) => m['type'] === 'ack' && m['seq'] === seq);
    }
    // Two subscribers (the test's and the SSE stream) per event. Measured, not asserted: the numbers
    // go to the report, as the load on a shared machine varies too much to gate on.
    const fanOut = t.app.get(CallEventsService).latency(200);
    expect(fanOut.deliveries).toBeGreaterThanOrEqual(200);
    report(`paced: receipt→subscriber ${ms(fanOut)}; capture send→browser (SSE) ${ms(percentiles(endToEnd))}`);
    const metrics = await t.client().get('/api/metrics');
    expect(metrics.text).toMatch(/appliance_flexlog_call_event_fanout_seconds_count \d+/);
    live.close();
    await box.close();
  });

  it('keeps order when events are sent without waiting for acks', async () => {
    const box = await connectEvents(t, { header: osaka.key });
    expect(await box.next((m) => m['type'] === 'hello')).toMatchObject({ lastSeq: 100 });
    const before = seenA.length;
    const seqs = Array.from({ length: 300 }, (_, i) => 101 + i);
    for (const seq of seqs) box.send(event(seq, 'ringing', `burst-${seq}`));
    const acks = [];
    for (let i = 0; i < seqs.length; i++) acks.push(await box.next((m) => m['type'] === 'ack'));
    expect(acks.map((a) => a['seq'])).toEqual(seqs);
    expect(seenA.slice(before).map((e) => e.seq)).toEqual(seqs);
    // In a burst, an event waits for the ones before it (each is de-duplicated in the database first).
    report(`burst of 300: receipt→subscriber ${ms(t.app.get(CallEventsService).latency(300))}`);
    await box.close();
  });

  it('answers a bad event with its problems by field, keeps the stream open, and publishes nothing', async () => {
    const box = await connectEvents(t, { header: tokyo.key });
    const { lastSeq } = (await box.next((m) => m['type'] === 'hello')) as { lastSeq: number };
    const before = seenA.length;
    box.send('{"seq": 9, "type":');
    expect(await box.next((m) => m['type'] === 'rejected')).toMatchObject({
      errors: [{ field: 'message', message: expect.stringContaining('malformed JSON') }],
    });
    box.send('[1,2]');
    expect((await box.next((m) => m['type'] === 'rejected'))['errors']).toEqual([
      { field: 'message', message: 'must be a JSON object (one event)' },
    ]);
    box.socket.send(Buffer.from([1, 2, 3]));
    expect((await box.next((m) => m['type'] === 'rejected'))['errors']).toEqual([
      { field: 'message', message: 'send each event as a JSON text message' },
    ]);
    box.send({ ...event(lastSeq + 1, 'hung-up', ''), direction: 'sideways', at: 'now' });
    const rejected = await box.next((m) => m['type'] === 'rejected');
    expect(rejected['seq']).toBe(lastSeq + 1);
    expect((rejected['errors'] as Array<{ field: string }>).map((e) => e.field).sort()).toEqual([
      'at',
      'callId',
      'direction',
      'type',
    ]);
    // The key decides the site: an event cannot name another.
    box.send({ ...event(lastSeq + 1, 'ringing', 'x'), siteId: osaka.site.id });
    expect((await box.next((m) => m['type'] === 'rejected'))['errors']).toEqual([
      { field: 'siteId', message: 'unknown field' },
    ]);
    box.send(event(lastSeq + 1, 'ringing', 'after-errors'));
    expect(await box.next((m) => m['type'] === 'ack')).toEqual({ type: 'ack', seq: lastSeq + 1, duplicate: false });
    expect(seenA.slice(before).map((e) => e.callId)).toEqual(['after-errors']);
    await box.close();
  });

  it('refuses the upgrade without a valid site key; ?key= works where headers cannot be set', async () => {
    expect(await refusedUpgrade(t, {})).toBe('HTTP 401');
    expect(await refusedUpgrade(t, { header: 'ak_nonsense' })).toBe('HTTP 401');
    const plain = (await u.admin.post('/api/v1/api-keys', { name: 'connector' })).body.key;
    expect(await refusedUpgrade(t, { header: plain })).toBe('HTTP 403');
    const byQuery = await connectEvents(t, { query: osaka.key });
    expect(await byQuery.next((m) => m['type'] === 'hello')).toMatchObject({ siteId: osaka.site.id });
    await byQuery.close();
    // Another path is not left hanging.
    expect(await refusedUpgrade(t, { header: osaka.key, path: '/api/v1/flexlog/other' })).toBe('HTTP 404');
  });

  it('keeps tenants apart: B’s subscribers and streams get only B’s events, under B’s site', async () => {
    const beta = await siteWithKey(u.other, { name: '福岡拠点' });
    const liveA = await openLiveCalls(t, u.admin);
    const liveB = await openLiveCalls(t, u.other);
    await liveA.waitFor((e) => e.type === 'snapshot');
    await liveB.waitFor((e) => e.type === 'snapshot');
    const box = await connectEvents(t, { header: beta.key });
    await box.next((m) => m['type'] === 'hello');
    const beforeA = seenA.length;
    box.send(event(1, 'ringing', 'beta-call', { lineName: null }));
    await box.next((m) => m['type'] === 'ack');
    expect(seenB.map((e) => [e.tenantId, e.siteId, e.callId])).toEqual([[u.otherTenantId, beta.site.id, 'beta-call']]);
    await liveB.waitFor((e) => e.type === 'call' && e.data['callId'] === 'beta-call');
    expect(seenA.length).toBe(beforeA);
    expect(liveA.events.some((e) => JSON.stringify(e.data).includes('beta-call'))).toBe(false);
    expect(
      t.app
        .get(CallEventsService)
        .activeCalls(u.tenantId)
        .some((c) => c.callId === 'beta-call'),
    ).toBe(false);
    liveA.close();
    liveB.close();
    await box.close();
  });

  it('lets operators watch live calls only when the recording policy lets them see every call; keys never', async () => {
    expect((await openLiveCalls(t, u.operator)).status).toBe(403);
    expect((await u.admin.patch('/api/v1/recordings/policy', { operatorsSeeOwnCallsOnly: false })).status).toBe(200);
    const live = await openLiveCalls(t, u.operator);
    expect(live.status).toBe(200);
    live.close();
    // On shutdown the server ends open streams first, or they would hold the HTTP server open.
    const open = await openLiveCalls(t, u.supervisor);
    await open.waitFor((e) => e.type === 'snapshot');
    t.app.get(LiveCallsController).beforeApplicationShutdown();
    await open.ended;
    const res = await fetch(`${t.baseUrl}/api/v1/flexlog/live-calls`, {
      headers: { authorization: `Bearer ${tokyo.key}` },
    });
    expect(res.status).toBe(403);
    expect((await fetch(`${t.baseUrl}/api/v1/flexlog/live-calls`)).status).toBe(401);
  });

  it('closes a stream at the next sweep once its key is revoked', async () => {
    const site = await siteWithKey(u.admin, { name: '京都支店' });
    const box = await connectEvents(t, { header: site.key });
    await box.next((m) => m['type'] === 'hello');
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      box.socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    const gateway = t.app.get(CallEventsGateway);
    await gateway.sweepConnections();
    expect(box.socket.readyState).toBe(WebSocket.OPEN);
    expect((await u.admin.delete(`/api/v1/flexlog/sites/${site.site.id}/api-keys/${site.keyId}`)).status).toBe(204);
    await gateway.sweepConnections();
    expect(await closed).toEqual({ code: 1008, reason: 'API key revoked' });
  });

  it('closes a stream whose site was deleted, and refuses its key afterwards', async () => {
    const doomed = await siteWithKey(u.admin, { name: '閉鎖拠点' });
    const box = await connectEvents(t, { header: doomed.key });
    await box.next((m) => m['type'] === 'hello');
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      box.socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    expect((await u.admin.delete(`/api/v1/flexlog/sites/${doomed.site.id}`)).status).toBe(204);
    box.send(event(1, 'ringing', 'late'));
    expect(await closed).toEqual({ code: 1008, reason: 'site deleted' });
    expect(await refusedUpgrade(t, { header: doomed.key })).toBe('HTTP 401');
  });
});
