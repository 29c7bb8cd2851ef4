import { completeSetup, startTestApp, TestApp } from './support/test-app';
import { HttpClient } from './support/http-client';
import { seedCalls } from './support/call-seed';
import { loginAs } from './support/store-probes';
import { testDatabases } from './support/test-databases';

// Calls keep only the ids of their site and line; the names come from the products that own them
// (FlexLog sites and their named lines, FlexDPlayer carrier lines), always from the call's own tenant.

const DAY = 'from=2026-11-02&to=2026-11-02';
const B_ADMIN = { email: 'places-b@example.jp', displayName: 'B', password: 'Tenant-Adm1n!' };

describe.each(testDatabases())('site and line names of calls on $name', (db) => {
  let t: TestApp;
  let admin: HttpClient;
  let supervisor: HttpClient;
  let other: HttpClient;
  const ids: Record<string, string> = {};
  const calls: Record<string, string> = {};

  const created = async (c: HttpClient, path: string, body: Record<string, unknown>) => {
    const res = await c.post(path, body);
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${res.text}`);
    return res.body.id as string;
  };

  beforeAll(async () => {
    t = await startTestApp(db);
    admin = await completeSetup(t, 'multi');
    const tenantA = (await admin.get('/api/v1/auth/me')).body.tenant.id;
    supervisor = await loginAs(t, admin, 'places-super@example.jp', ['supervisor']);
    const tenantB = await admin.post('/api/v1/tenants', {
      name: 'B社',
      products: ['flexlog', 'flexdplayer'],
      admin: B_ADMIN,
    });
    other = t.client();
    await other.post('/api/v1/auth/login', { email: B_ADMIN.email, password: B_ADMIN.password });

    ids['siteA'] = await created(admin, '/api/v1/flexlog/sites', {
      name: '東京本社',
      lines: [
        { name: '東京店', numbers: ['03-1234-5678'] },
        { name: '採用回線', numbers: ['03-1234-9999'] },
      ],
    });
    ids['labelled'] = await created(admin, '/api/v1/flexdplayer/lines', { number: '090-1234-5678', label: '営業1号' });
    ids['unlabelled'] = await created(admin, '/api/v1/flexdplayer/lines', { number: '08011112222' });
    ids['siteB'] = await created(other, '/api/v1/flexlog/sites', {
      name: '大阪支社',
      lines: [{ name: '大阪店', numbers: ['06-6000-1111'] }],
    });
    ids['lineB'] = await created(other, '/api/v1/flexdplayer/lines', { number: '070-5555-6666', label: 'B社携帯' });

    const at = (hour: number) => `2026-11-02T0${hour}:00:00Z`;
    const seeded = await seedCalls(t.dataSource, tenantA, [
      { caller: '06-1111-2222', callee: '03-1234-5678', startedAt: at(1), siteId: ids['siteA'], lineId: '東京店' },
      { caller: '06-1111-2222', callee: '03-1234-5678', startedAt: at(2), siteId: ids['siteA'], lineId: '東京店' },
      // A line name of another tenant's site: the site is ours, the line is not one of its lines.
      { caller: '06-1111-2222', callee: '03-1234-0000', startedAt: at(3), siteId: ids['siteA'], lineId: '大阪店' },
      {
        caller: '090-1234-5678',
        callee: '03-3333-4444',
        startedAt: at(4),
        source: 'flexdplayer',
        siteId: null,
        lineId: ids['labelled'],
      },
      {
        caller: '080-1111-2222',
        callee: '03-3333-4444',
        startedAt: at(5),
        source: 'flexdplayer',
        siteId: null,
        lineId: ids['unlabelled'],
      },
      // Ids of tenant B's site and carrier line, written into a call of tenant A (an upload may carry any).
      {
        caller: '06-1111-2222',
        callee: '201',
        startedAt: at(6),
        source: 'upload',
        siteId: ids['siteB'],
        lineId: ids['lineB'],
      },
      { caller: '06-1111-2222', callee: '201', startedAt: at(7), source: 'upload', siteId: null, lineId: null },
    ]);
    ['tokyo', 'tokyo2', 'foreignLine', 'labelled', 'unlabelled', 'foreign', 'none'].forEach(
      (key, i) => (calls[key] = seeded[i].id),
    );
    await seedCalls(t.dataSource, tenantB.body.tenant.id, [
      { caller: '03-1111-2222', callee: '06-6000-1111', startedAt: at(1), siteId: ids['siteB'], lineId: '大阪店' },
    ]);
  });
  afterAll(async () => t?.close());

  const names = (view: { siteName: string | null; lineName: string | null }) => [view.siteName, view.lineName];

  it('names the site and line of every call in search results, from the call tenant only', async () => {
    const res = await supervisor.get(`/api/v1/calls?${DAY}`);
    expect(res.status).toBe(200);
    const byId = new Map(res.body.items.map((v: { id: string }) => [v.id, v]));
    const of = (key: string) => names(byId.get(calls[key]) as { siteName: string | null; lineName: string | null });
    expect(of('tokyo')).toEqual(['東京本社', '東京店']);
    expect(of('tokyo2')).toEqual(['東京本社', '東京店']);
    expect(of('foreignLine')).toEqual(['東京本社', null]);
    expect(of('labelled')).toEqual([null, '営業1号']);
    expect(of('unlabelled')).toEqual([null, '080-1111-2222']);
    expect(of('foreign')).toEqual([null, null]);
    expect(of('none')).toEqual([null, null]);
    // The ids stay: saved searches and links filter by them.
    expect(byId.get(calls['foreign'])).toMatchObject({ siteId: ids['siteB'], lineId: ids['lineB'] });
  });

  it('names them on the call detail', async () => {
    const tokyo = await admin.get(`/api/v1/calls/${calls['tokyo']}`);
    expect(tokyo.body).toMatchObject({
      siteId: ids['siteA'],
      siteName: '東京本社',
      lineId: '東京店',
      lineName: '東京店',
    });
    const foreign = await admin.get(`/api/v1/calls/${calls['foreign']}`);
    expect(names(foreign.body)).toEqual([null, null]);
  });

  it('writes the names into the CSV export, the id where the name is unknown', async () => {
    const res = await admin.get(`/api/v1/calls/export.csv?${DAY}&sort=asc`);
    expect(res.status).toBe(200);
    const [header, ...rows] = res.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    const columns = header.split(',');
    const site = columns.indexOf('site');
    const line = columns.indexOf('line');
    expect([site, line].every((i) => i > 0)).toBe(true);
    const cells = rows.map((r) => r.split(','));
    expect(cells.map((c) => [c[site], c[line]])).toEqual([
      ['東京本社', '東京店'],
      ['東京本社', '東京店'],
      ['東京本社', '大阪店'],
      ['', '営業1号'],
      ['', '080-1111-2222'],
      [ids['siteB'], ids['lineB']],
      ['', ''],
    ]);
    expect(res.text).not.toContain('大阪支社');
    expect(res.text).not.toContain('B社携帯');
  });

  it('names the busiest lines on the dashboard', async () => {
    const res = await admin.get(`/api/v1/recordings/dashboard?${DAY}`);
    expect(res.status).toBe(200);
    const lines = res.body.busiestLines as Array<Record<string, unknown>>;
    expect(lines[0]).toEqual({
      siteId: ids['siteA'],
      siteName: '東京本社',
      lineId: '東京店',
      lineName: '東京店',
      calls: 2,
      talkSeconds: 120,
    });
    const named = (id: string | null) => lines.find((l) => l['lineId'] === id);
    expect(named(ids['labelled'])).toMatchObject({ siteName: null, lineName: '営業1号' });
    expect(named(ids['lineB'])).toMatchObject({ siteId: ids['siteB'], siteName: null, lineName: null });
    expect(named(null)).toMatchObject({ siteName: null, lineName: null, calls: 1 });
  });

  it('lists the tenant own sites and lines with names for the filters, and no other tenant', async () => {
    const mine = await supervisor.get('/api/v1/recordings/places');
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual({
      sites: [{ id: ids['siteA'], name: '東京本社' }],
      lines: expect.arrayContaining([
        { id: '東京店', name: '東京店', siteId: ids['siteA'] },
        { id: '採用回線', name: '採用回線', siteId: ids['siteA'] },
        { id: ids['labelled'], name: '営業1号', siteId: null },
        { id: ids['unlabelled'], name: '080-1111-2222', siteId: null },
      ]),
    });
    expect(mine.body.lines).toHaveLength(4);
    const theirs = await other.get('/api/v1/recordings/places');
    expect(theirs.body).toEqual({
      sites: [{ id: ids['siteB'], name: '大阪支社' }],
      lines: [
        { id: ids['lineB'], name: 'B社携帯', siteId: null },
        { id: '大阪店', name: '大阪店', siteId: ids['siteB'] },
      ],
    });
    expect((await t.client().get('/api/v1/recordings/places')).status).toBe(401);
  });

  it('keeps filtering by ids, so saved searches and links still work', async () => {
    const bySite = await admin.get(
      `/api/v1/calls?${DAY}&siteId=${ids['siteA']}&lineId=${encodeURIComponent('東京店')}`,
    );
    expect(bySite.body.items.map((v: { id: string }) => v.id).sort()).toEqual([calls['tokyo'], calls['tokyo2']].sort());
  });
});
