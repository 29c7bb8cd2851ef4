import { wavFile, tone } from '../src/platform/transcoder/testing/signals';
import { PopupRelay } from '../src/products/popup/realtime/popup-relay';
import { CallMemos } from '../src/products/popup/realtime/call-memos.service';
import { seedCalls } from './support/call-seed';
import { EventClient, setupTenants, siteWithKey, Tenants } from './support/flexlog-fixtures';
import type { HttpClient } from './support/http-client';
import { uploadCall } from './support/ingest-upload';
import {
  connectPopup,
  eventFeeder,
  openCaptureFeed,
  refusedSocket,
  ringingCallIds,
  signedInOperator,
} from './support/popup-fixtures';
import { eventually } from './support/store-probes';
import { startTestApp, TestApp } from './support/test-app';
import { testDatabases } from './support/test-databases';

const PASSWORD = 'Us3r-Passw0rd!';

describe.each(testDatabases())('popup realtime delivery on $name', (db) => {
  let t: TestApp;
  let u: Tenants;
  let tokyo: Awaited<ReturnType<typeof siteWithKey>>;
  let betaSite: Awaited<ReturnType<typeof siteWithKey>>;
  let capture: EventClient;
  let betaCapture: EventClient;
  let feedA: ReturnType<typeof eventFeeder>;
  let feedB: ReturnType<typeof eventFeeder>;
  const people: Record<string, { id: string; session: HttpClient }> = {};

  const user = (email: string, displayName: string, extensions: string[]) =>
    signedInOperator(t, u.admin, email, displayName, extensions);

  beforeAll(async () => {
    t = await startTestApp(db);
    u = await setupTenants(t, undefined, ['flexlog', 'ootairyoku']);
    tokyo = await siteWithKey(u.admin, {
      name: '東京本社',
      lines: [
        { name: '東京店', numbers: ['0312340000'] },
        { name: '採用回線', numbers: ['0312349999'] },
      ],
    });
    betaSite = await siteWithKey(u.other, { name: 'Beta 本社', lines: [{ name: '東京店', numbers: ['0398760000'] }] });
    people['sato'] = await user('sato@example.jp', '佐藤', ['201']);
    people['suzuki'] = await user('suzuki@example.jp', '鈴木', ['202']);
    people['tanaka'] = await user('tanaka@example.jp', '田中', ['203']);
    const subscribed = await u.admin.put(`/api/v1/popup/users/${people['suzuki'].id}/lines`, {
      lines: [{ siteId: tokyo.site.id, lineName: '東京店' }],
    });
    expect(subscribed.status).toBe(200);
    const betaAdminId = (await u.other.get('/api/v1/auth/me')).body.id;
    await u.other.patch(`/api/v1/users/${betaAdminId}`, { extensions: ['201'] });
    ({ capture, feed: feedA } = await openCaptureFeed(t, tokyo.key));
    ({ capture: betaCapture, feed: feedB } = await openCaptureFeed(t, betaSite.key));
  });
  afterAll(async () => {
    await capture?.close();
    await betaCapture?.close();
    await t?.close();
  });

  it('pops up for the extension’s user and the line’s subscriber, with the number, line, customers and history', async () => {
    const [seeded] = await seedCalls(t.dataSource, u.tenantId, [
      {
        caller: '03-1234-5678',
        callee: '0312340000',
        startedAt: '2026-11-01T01:00:00Z',
        userId: people['sato'].id,
        talkSeconds: 95,
      },
    ]);
    const customer = await u.admin.post('/api/v1/popup/customers', {
      name: '山田 太郎',
      company: '株式会社山田商事',
      numbers: ['03-1234-5678'],
    });
    expect(customer.status).toBe(201);
    const sato = await connectPopup(t, people['sato'].session);
    const suzuki = await connectPopup(t, people['suzuki'].session);
    const tanaka = await connectPopup(t, people['tanaka'].session);
    const ringing = await feedA('ringing', 'first-call@pbx');

    const popup = await sato.next('popup:ringing', (p) => p['sipCallId'] === 'first-call@pbx');
    expect(popup).toMatchObject({
      key: `${tokyo.site.id}:first-call@pbx`,
      siteId: tokyo.site.id,
      siteName: '東京本社',
      lineName: '東京店',
      extension: '201',
      ringingAt: ringing.at,
      number: { display: '03-1234-5678', e164: '+81312345678', withheld: false },
      customers: [{ id: customer.body.id, name: '山田 太郎', company: '株式会社山田商事' }],
      resumed: false,
      answeredBy: null,
    });
    expect(popup['history']).toEqual([
      {
        callId: seeded.id,
        startedAt: '2026-11-01T01:00:00.000Z',
        direction: 'inbound',
        disposition: 'answered',
        talkSeconds: 95,
        answeredBy: { userId: people['sato'].id, displayName: '佐藤' },
      },
    ]);
    // 鈴木 answers the line but is an operator who sees only their own calls: no history.
    const forSuzuki = await suzuki.next('popup:ringing', (p) => p['sipCallId'] === 'first-call@pbx');
    expect(forSuzuki['history']).toEqual([]);

    // A withheld number: 非通知, no customer, no history.
    await feedA('ringing', 'withheld@pbx', { caller: 'anonymous' });
    expect(await sato.next('popup:ringing', (p) => p['sipCallId'] === 'withheld@pbx')).toMatchObject({
      number: { display: '非通知', withheld: true, e164: null },
      customers: [],
      history: [],
    });

    // The unmapped user gets the calls of their own extension, and never got the first one.
    await feedA('ringing', 'tanaka-call@pbx', { extension: '203', lineName: null });
    await tanaka.next('popup:ringing', (p) => p['sipCallId'] === 'tanaka-call@pbx');
    expect(ringingCallIds(tanaka)).toEqual(['tanaka-call@pbx']);
    for (const c of [sato, suzuki, tanaka]) c.close();
  });

  it('never delivers tenant A’s calls to tenant B, even to crafted join and subscribe messages', async () => {
    const beta = await connectPopup(t, u.other);
    const sato = await connectPopup(t, people['sato'].session);
    for (const [event, arg] of [
      ['join', `user:${u.tenantId}:${people['sato'].id}`],
      ['subscribe', { room: `user:${u.tenantId}:${people['sato'].id}` }],
      ['join', [`user:${u.tenantId}:${people['sato'].id}`]],
    ] as const) {
      beta.socket.emit(event, arg);
    }
    await feedA('ringing', 'a-secret@pbx');
    await sato.next('popup:ringing', (p) => p['sipCallId'] === 'a-secret@pbx');
    // B's own call on B's own extension 201 reaches B, and is all B ever got.
    await feedB('ringing', 'b-own@pbx', { callee: '0398760000' });
    await beta.next('popup:ringing', (p) => p['sipCallId'] === 'b-own@pbx');
    expect(ringingCallIds(beta)).toEqual(['b-own@pbx']);
    expect(ringingCallIds(sato)).not.toContain('b-own@pbx');
    beta.close();
    sato.close();
  });

  it('refuses a socket without a valid session', async () => {
    expect(await refusedSocket(t, null)).toMatch(/unauthorized: not logged in/);
    const bad = await new Promise<string>((resolve) => {
      void import('socket.io-client').then(({ io }) => {
        const s = io(t.baseUrl, { transports: ['websocket'], reconnection: false, auth: { token: 'not-a-token' } });
        s.once('connect', () => resolve('connected'));
        s.once('connect_error', (e) => resolve(e.message));
      });
    });
    expect(bad).toMatch(/unauthorized: session expired or invalid/);
  });

  it('answers 403 to a tenant whose contract lacks 応対力, on every popup endpoint', async () => {
    const gamma = { email: 'gamma-admin@example.jp', displayName: 'Gamma', password: PASSWORD };
    const created = await u.admin.post('/api/v1/tenants', { name: 'Gamma', products: ['flexlog'], admin: gamma });
    expect(created.status).toBe(201);
    const session = t.client();
    await session.post('/api/v1/auth/login', { email: gamma.email, password: PASSWORD });
    for (const path of ['/api/v1/popup/me/routing', '/api/v1/popup/lines', '/api/v1/popup/customers']) {
      const res = await session.get(path);
      expect([path, res.status, res.body.message]).toEqual([
        path,
        403,
        "this tenant's contract does not include ootairyoku",
      ]);
    }
  });

  it('refuses a session cookie sent from another site’s page, and admits our own origin', async () => {
    const session = people['sato'].session;
    expect(await refusedSocket(t, session, { origin: 'https://evil.example' })).toMatch(/origin not allowed/);
    expect(await refusedSocket(t, session, { origin: 'null' })).toMatch(/origin not allowed/);
    expect(await refusedSocket(t, session, { origin: new URL(t.baseUrl).origin })).toBe('connected');
  });

  it('sends nothing to an absent (離席) user until they are available again', async () => {
    const suzuki = await connectPopup(t, people['suzuki'].session);
    const away = await people['suzuki'].session.put('/api/v1/popup/me/presence', { presence: 'away' });
    expect(away.body).toMatchObject({ presence: 'away', lines: [{ siteId: tokyo.site.id, lineName: '東京店' }] });
    await suzuki.next('popup:presence', (p) => p['presence'] === 'away');
    await feedA('ringing', 'while-away@pbx');
    await t.app.get(PopupRelay).idle();
    await people['suzuki'].session.put('/api/v1/popup/me/presence', { presence: 'available' });
    await feedA('ringing', 'back@pbx');
    await suzuki.next('popup:ringing', (p) => p['sipCallId'] === 'back@pbx');
    // (Calls of earlier tests still ringing were re-offered on connect, marked resumed.)
    const live = suzuki.arrivals.filter((a) => a.event === 'popup:ringing' && !a.payload['resumed']);
    expect(live.map((a) => a.payload['sipCallId'])).toEqual(['back@pbx']);
    suzuki.close();
  });

  it('tells every PC who answered, closes the popup on hang-up, and resumes a still-ringing call after a reconnect', async () => {
    const satoDesk = await connectPopup(t, people['sato'].session);
    const satoLaptop = await connectPopup(t, people['sato'].session);
    const suzuki = await connectPopup(t, people['suzuki'].session);
    await feedA('ringing', 'answered-call@pbx');
    for (const c of [satoDesk, satoLaptop, suzuki]) {
      await c.next('popup:ringing', (p) => p['sipCallId'] === 'answered-call@pbx');
    }
    // 鈴木's browser loses its connection while the call still rings, and reconnects.
    suzuki.close();
    const suzukiAgain = await connectPopup(t, people['suzuki'].session);
    const resumed = await suzukiAgain.next('popup:ringing', (p) => p['sipCallId'] === 'answered-call@pbx');
    expect(resumed).toMatchObject({ resumed: true, lineName: '東京店', answeredBy: null });

    await feedA('answered', 'answered-call@pbx');
    const key = `${tokyo.site.id}:answered-call@pbx`;
    for (const c of [satoDesk, satoLaptop, suzukiAgain]) {
      expect(await c.next('popup:answered', (p) => p['key'] === key)).toMatchObject({
        extension: '201',
        answeredBy: { userId: people['sato'].id, displayName: '佐藤' },
      });
    }
    await feedA('ended', 'answered-call@pbx');
    for (const c of [satoDesk, satoLaptop, suzukiAgain]) await c.next('popup:ended', (p) => p['key'] === key);
    // Ended: a new connection is offered nothing of it; what still rings is re-sent, then listed.
    const fresh = await connectPopup(t, people['suzuki'].session);
    const synced = await fresh.next('popup:synced');
    expect(synced['keys']).toContain(`${tokyo.site.id}:back@pbx`);
    expect(synced['keys']).not.toContain(key);
    const offered = fresh.arrivals.filter((a) => a.event === 'popup:ringing').map((a) => a.payload['key']);
    expect(offered).toEqual(synced['keys']);
    for (const c of [satoDesk, satoLaptop, suzukiAgain, fresh]) c.close();
  });

  it('saves a memo typed while the call rings onto the call once its recording is ingested', async () => {
    const ringing = await feedA('ringing', 'memo-call@pbx', { caller: '0455551234' });
    await t.app.get(PopupRelay).idle();
    const memo = { siteId: tokyo.site.id, sipCallId: 'memo-call@pbx', text: '見積もりの件で折り返し希望' };
    const saved = await people['sato'].session.post('/api/v1/popup/memos', memo);
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ status: 'pending', callId: null, text: memo.text });
    // Only those the call popped up for (and supervisors) may write on it; never another tenant.
    expect((await people['tanaka'].session.post('/api/v1/popup/memos', memo)).status).toBe(404);
    expect((await u.other.post('/api/v1/popup/memos', memo)).status).toBe(404);
    const bad = await people['sato'].session.post('/api/v1/popup/memos', { ...memo, text: '' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('text');

    await feedA('answered', 'memo-call@pbx');
    await feedA('ended', 'memo-call@pbx');
    await t.app.get(PopupRelay).idle();
    await t.app.get(CallMemos).sweep();
    const query = `/api/v1/popup/memos?siteId=${tokyo.site.id}&sipCallId=memo-call%40pbx`;
    expect((await people['sato'].session.get(query)).body.items[0].status).toBe('pending');

    const audio = wavFile('mulaw', 8000, [tone(440, 8000, 1), tone(880, 8000, 1)]);
    const stored = await uploadCall(t, tokyo.key, 'memo-call-recording', audio, {
      caller: { number: '0455551234' },
      callee: { number: '0312340000' },
      extension: '201',
      startedAt: ringing.at,
    });
    expect(stored.status).toBe(201);
    await t.app.get(CallMemos).sweep();
    const listed = await people['sato'].session.get(query);
    expect(listed.body.items).toEqual([expect.objectContaining({ status: 'attached', callId: stored.body.callId })]);
    const call = await eventually(async () => {
      const c = await people['sato'].session.get(`/api/v1/calls/${stored.body.callId}`);
      return c.status === 200 ? c.body : undefined;
    }, 'the stored call');
    expect(call.notes).toBe(memo.text);
  });

  it('routing API: the user’s own, admins for their tenant only, bad lines named', async () => {
    const mine = await people['sato'].session.get('/api/v1/popup/me/routing');
    expect(mine.body).toEqual({ userId: people['sato'].id, presence: 'available', extensions: ['201'], lines: [] });
    const lines = await people['sato'].session.get('/api/v1/popup/lines');
    expect(lines.body.items).toEqual([
      { siteId: tokyo.site.id, siteName: '東京本社', lineName: '採用回線' },
      { siteId: tokyo.site.id, siteName: '東京本社', lineName: '東京店' },
    ]);
    const both = await people['sato'].session.put('/api/v1/popup/me/lines', {
      lines: lines.body.items.map((l: { siteId: string; lineName: string }) => ({
        siteId: l.siteId,
        lineName: l.lineName,
      })),
    });
    expect(both.body.lines.map((l: { lineName: string }) => l.lineName)).toEqual(['採用回線', '東京店']);
    const one = await people['sato'].session.put('/api/v1/popup/me/lines', {
      lines: [{ siteId: tokyo.site.id, lineName: '採用回線' }],
    });
    expect(one.body.lines).toEqual([{ siteId: tokyo.site.id, siteName: '東京本社', lineName: '採用回線' }]);
    expect((await people['sato'].session.put('/api/v1/popup/me/lines', { lines: [] })).body.lines).toEqual([]);
    const bad = await people['sato'].session.put('/api/v1/popup/me/lines', {
      lines: [{ siteId: tokyo.site.id, lineName: '大阪店' }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ field: 'lines[0]', message: `no line "大阪店" at site ${tokyo.site.id}` }]);
    // B's line is not one of A's lines.
    const foreign = await people['sato'].session.put('/api/v1/popup/me/lines', {
      lines: [{ siteId: betaSite.site.id, lineName: '東京店' }],
    });
    expect(foreign.status).toBe(400);
    expect((await people['sato'].session.put('/api/v1/popup/me/presence', { presence: 'busy' })).text).toContain(
      'presence',
    );
    // Another tenant's admin sees no such user; an operator may not manage others.
    const id = people['sato'].id;
    expect((await u.other.get(`/api/v1/popup/users/${id}/routing`)).status).toBe(404);
    expect((await u.other.put(`/api/v1/popup/users/${id}/presence`, { presence: 'away' })).status).toBe(404);
    expect((await u.other.put(`/api/v1/popup/users/${id}/lines`, { lines: [] })).status).toBe(404);
    expect((await people['tanaka'].session.get(`/api/v1/popup/users/${id}/routing`)).status).toBe(403);
    expect((await u.admin.get(`/api/v1/popup/users/${id}/routing`)).body.presence).toBe('available');
  });
});
