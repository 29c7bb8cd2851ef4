import { completeSetup, startTestApp, TestApp } from './support/test-app';
import { HttpClient } from './support/http-client';
import { seedCalls } from './support/call-seed';
import { testDatabases } from './support/test-databases';

// Seeded times are UTC; the tenants are in Asia/Tokyo (UTC+9), so 15:00 UTC is the next local midnight.
const RANGE = 'from=2026-11-01&to=2026-11-03&bucket=day';

describe.each(testDatabases())('recordings dashboard on $name', (db) => {
  let t: TestApp;
  let admin: HttpClient;
  let operator: HttpClient;
  let otherTenant: HttpClient;

  beforeAll(async () => {
    t = await startTestApp(db);
    admin = await completeSetup(t, 'multi');
    const me = (await admin.get('/api/v1/auth/me')).body;
    const op = await admin.post('/api/v1/users', {
      email: 'dash-op@example.jp',
      displayName: 'op',
      roles: ['operator'],
      password: 'Operat0r-Pass!',
    });
    const operatorId = op.body.user.id;
    operator = t.client();
    await operator.post('/api/v1/auth/login', { email: 'dash-op@example.jp', password: 'Operat0r-Pass!' });
    await seedCalls(t.dataSource, me.tenant.id, [
      // 2026-11-01 23:59 Tokyo: missed, called back by the outbound call at 10:00 the next day.
      {
        caller: '06-6000-1111',
        callee: '202',
        startedAt: '2026-11-01T14:59:00Z',
        extension: '202',
        disposition: 'missed',
        talkSeconds: 0,
      },
      // 23:30 UTC on 1 November is 08:30 on 2 November in Tokyo.
      {
        caller: '03-1234-5678',
        callee: '201',
        startedAt: '2026-11-01T23:30:00Z',
        extension: '201',
        lineId: 'L1',
        userId: operatorId,
        talkSeconds: 60,
      },
      {
        caller: '090-1111-2222',
        callee: '202',
        startedAt: '2026-11-01T15:00:00Z',
        extension: '202',
        lineId: 'L2',
        talkSeconds: 600,
      },
      {
        caller: '202',
        callee: '06-6000-1111',
        startedAt: '2026-11-02T01:00:00Z',
        extension: '203',
        lineId: 'L1',
        direction: 'outbound',
        talkSeconds: 120,
      },
      // Missed twice from the same number: the second is no follow-up of the first.
      {
        caller: '045-555-6666',
        callee: '201',
        startedAt: '2026-11-02T02:00:00Z',
        extension: '201',
        userId: operatorId,
        disposition: 'missed',
        talkSeconds: 0,
      },
      {
        caller: '201',
        callee: '202',
        startedAt: '2026-11-02T03:00:00Z',
        extension: '201',
        direction: 'internal',
        talkSeconds: 30,
      },
      {
        caller: '045-555-6666',
        callee: '203',
        startedAt: '2026-11-02T04:00:00Z',
        extension: '203',
        disposition: 'missed',
        talkSeconds: 0,
      },
      // Just outside the range on either side (4 November 00:00 and 31 October 23:59 Tokyo).
      { caller: '03-9999-0000', callee: '209', startedAt: '2026-11-03T15:00:00Z', extension: '209' },
      { caller: '03-9999-0000', callee: '209', startedAt: '2026-10-31T14:59:00Z', extension: '209' },
    ]);
    const tenantB = await admin.post('/api/v1/tenants', {
      name: 'B社',
      products: ['flexlog'],
      admin: { email: 'dash-b@example.jp', displayName: 'B', password: 'Tenant-Adm1n!' },
    });
    await seedCalls(t.dataSource, tenantB.body.tenant.id, [
      {
        caller: '045-555-6666',
        callee: '301',
        startedAt: '2026-11-02T02:30:00Z',
        extension: '301',
        disposition: 'missed',
        talkSeconds: 0,
      },
    ]);
    otherTenant = t.client();
    await otherTenant.post('/api/v1/auth/login', { email: 'dash-b@example.jp', password: 'Tenant-Adm1n!' });
  });
  afterAll(async () => t?.close());

  const dashboard = async (c: HttpClient, query: string) => {
    const res = await c.get(`/api/v1/recordings/dashboard?${query}`);
    expect(res.status).toBe(200);
    return res.body;
  };
  const counts = (inbound: number, outbound: number, internal: number, missed: number) => ({
    inbound,
    outbound,
    internal,
    missed,
    total: inbound + outbound + internal + missed,
  });

  it('counts calls per Tokyo day, split by direction with missed calls apart', async () => {
    const d = await dashboard(admin, RANGE);
    expect(d.timeZone).toBe('Asia/Tokyo');
    expect(d.from).toBe('2026-10-31T15:00:00.000Z');
    expect(d.to).toBe('2026-11-03T15:00:00.000Z');
    expect(d.buckets.map((b: { start: string }) => b.start)).toEqual(['2026-11-01', '2026-11-02', '2026-11-03']);
    expect(d.buckets[0]).toMatchObject(counts(0, 0, 0, 1));
    expect(d.buckets[1]).toMatchObject({ ...counts(2, 1, 1, 2), talkSeconds: 810 });
    expect(d.buckets[2]).toMatchObject(counts(0, 0, 0, 0));
    expect(d.totals).toEqual({ ...counts(2, 1, 1, 3), talkSeconds: 810 });
  });

  it('counts per Tokyo hour: 23:30 UTC lands at 08:00 the next day', async () => {
    const d = await dashboard(admin, 'from=2026-11-02&to=2026-11-02&bucket=hour');
    expect(d.buckets).toHaveLength(24);
    const busy = d.buckets
      .filter((b: { total: number }) => b.total > 0)
      .map((b: { start: string; inbound: number; outbound: number; internal: number; missed: number }) => [
        b.start,
        b.inbound,
        b.outbound,
        b.internal,
        b.missed,
      ]);
    expect(busy).toEqual([
      ['2026-11-02T00:00', 1, 0, 0, 0],
      ['2026-11-02T08:00', 1, 0, 0, 0],
      ['2026-11-02T10:00', 0, 1, 0, 0],
      ['2026-11-02T11:00', 0, 0, 0, 1],
      ['2026-11-02T12:00', 0, 0, 1, 0],
      ['2026-11-02T13:00', 0, 0, 0, 1],
    ]);
  });

  it('ranks the busiest lines and extensions by calls and by talk time', async () => {
    const d = await dashboard(admin, RANGE);
    expect(d.busiestLines).toEqual([
      { siteId: 'tokyo', siteName: null, lineId: null, lineName: null, calls: 4, talkSeconds: 30 },
      { siteId: 'tokyo', siteName: null, lineId: 'L1', lineName: null, calls: 2, talkSeconds: 180 },
      { siteId: 'tokyo', siteName: null, lineId: 'L2', lineName: null, calls: 1, talkSeconds: 600 },
    ]);
    expect(d.busiestExtensions.byCalls).toEqual([
      { extension: '201', calls: 3, talkSeconds: 90 },
      { extension: '202', calls: 2, talkSeconds: 600 },
      { extension: '203', calls: 2, talkSeconds: 120 },
    ]);
    expect(d.busiestExtensions.byTalkTime.map((e: { extension: string }) => e.extension)).toEqual([
      '202',
      '203',
      '201',
    ]);
  });

  it('lists missed calls newest first and tells which were called back', async () => {
    const d = await dashboard(admin, RANGE);
    expect(
      d.missedCalls.map(
        (m: { party: { number: string }; startedAt: string; extension: string; calledBackAt: string }) => [
          m.party.number,
          m.startedAt,
          m.extension,
          m.calledBackAt,
        ],
      ),
    ).toEqual([
      ['045-555-6666', '2026-11-02T04:00:00.000Z', '203', null],
      ['045-555-6666', '2026-11-02T02:00:00.000Z', '201', null],
      ['06-6000-1111', '2026-11-01T14:59:00.000Z', '202', '2026-11-02T01:00:00.000Z'],
    ]);
  });

  it('gives an operator who sees only their own calls only their own figures, and no storage', async () => {
    const d = await dashboard(operator, RANGE);
    expect(d.totals).toMatchObject(counts(1, 0, 0, 1));
    expect(d.missedCalls.map((m: { startedAt: string }) => m.startedAt)).toEqual(['2026-11-02T02:00:00.000Z']);
    expect(d.busiestExtensions.byCalls).toEqual([{ extension: '201', calls: 2, talkSeconds: 60 }]);
    expect(d.storage).toBeNull();
  });

  it('shows the storage trend to administrators from the usage history', async () => {
    const d = await dashboard(admin, RANGE);
    expect(d.storage.months).toHaveLength(12);
    expect(d.storage.days).toHaveLength(30);
    // The trend's 30 days end with today (the forecast's end with yesterday: whole days only).
    const tokyoToday = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(new Date());
    expect(d.storage.days.at(-1).day).toBe(tokyoToday);
    expect(d.storage.usedBytes).toBe(0);
  });

  it("keeps tenants apart: another tenant's admin sees only its own call", async () => {
    const b = await dashboard(otherTenant, RANGE);
    expect(b.totals).toMatchObject(counts(0, 0, 0, 1));
    expect(b.missedCalls.map((m: { extension: string }) => m.extension)).toEqual(['301']);
    expect(b.busiestExtensions.byCalls.map((e: { extension: string }) => e.extension)).toEqual(['301']);
  });

  it('rejects bad input naming the field', async () => {
    const fieldOf = async (query: string) => {
      const res = await admin.get(`/api/v1/recordings/dashboard?${query}`);
      expect(res.status).toBe(400);
      return res.body.errors.map((e: { field: string }) => e.field);
    };
    expect(await fieldOf('bucket=week')).toEqual(['bucket']);
    expect(await fieldOf('from=yesterday')).toEqual(['from']);
    expect(await fieldOf('from=2026-02-30')).toEqual(['from']);
    expect(await fieldOf('from=2026-11-02&to=2026-11-01T10:00')).toEqual(['to']);
    expect(await fieldOf('from=2025-01-01&to=2026-02-05')).toEqual(['to']);
    expect(await fieldOf('from=2026-01-01&to=2026-03-01&bucket=hour')).toEqual(['bucket']);
    expect(await fieldOf('tenantId=x')).toEqual(['tenantId']);
  });

  it('answers only signed-in users', async () => {
    expect((await t.client().get('/api/v1/recordings/dashboard')).status).toBe(401);
  });
});
