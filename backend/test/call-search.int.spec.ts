import { completeSetup, startTestApp, TestApp } from './support/test-app';
import { HttpClient } from './support/http-client';
import { seedCalls } from './support/call-seed';
import { testDatabases } from './support/test-databases';

describe.each(testDatabases())('call search on $name', (db) => {
  let t: TestApp;
  let admin: HttpClient;
  let operator: HttpClient;
  let other: HttpClient;
  let operatorId: string;
  let otherTenantCallId: string;

  beforeAll(async () => {
    t = await startTestApp(db);
    admin = await completeSetup(t, 'multi');
    const me = (await admin.get('/api/v1/auth/me')).body;
    const op = await admin.post('/api/v1/users', {
      email: 'op@example.jp',
      displayName: 'op',
      roles: ['operator'],
      password: 'Operat0r-Pass!',
    });
    operatorId = op.body.user.id;
    operator = t.client();
    await operator.post('/api/v1/auth/login', { email: 'op@example.jp', password: 'Operat0r-Pass!' });
    // Times are UTC; the tenant is in Asia/Tokyo (UTC+9).
    await seedCalls(t.dataSource, me.tenant.id, [
      {
        caller: '03-1234-5678',
        callee: '201',
        startedAt: '2026-11-01T00:30:00Z',
        extension: '201',
        userId: operatorId,
        tags: ['クレーム'],
      },
      {
        caller: '090-1111-2222',
        callee: '202',
        startedAt: '2026-11-01T01:00:00Z',
        extension: '202',
        notes: '折り返し希望',
      },
      {
        caller: '201',
        callee: '0312349999',
        startedAt: '2026-11-02T02:00:00Z',
        extension: '201',
        direction: 'outbound',
        userId: operatorId,
      },
      {
        caller: '06-6000-1111',
        callee: '203',
        startedAt: '2026-11-03T14:59:00Z',
        extension: '203',
        disposition: 'missed',
        talkSeconds: 0,
      },
      { caller: '06-6000-1111', callee: '203', startedAt: '2026-11-03T15:01:00Z', extension: '203', legalHold: true },
      { caller: 'anonymous', callee: '202', startedAt: '2026-11-04T03:00:00Z', extension: '202', talkSeconds: 600 },
    ]);
    const tenantB = await admin.post('/api/v1/tenants', {
      name: 'B社',
      products: ['flexlog'],
      admin: { email: 'b@example.jp', displayName: 'B', password: 'Tenant-Adm1n!' },
    });
    const [bCall] = await seedCalls(t.dataSource, tenantB.body.tenant.id, [
      { caller: '03-1234-5678', callee: '301', startedAt: '2026-11-01T00:40:00Z', extension: '301' },
    ]);
    otherTenantCallId = bCall.id;
    other = t.client();
    await other.post('/api/v1/auth/login', { email: 'b@example.jp', password: 'Tenant-Adm1n!' });
  });
  afterAll(async () => t?.close());

  const ids = async (c: HttpClient, query: string) => {
    const res = await c.get(`/api/v1/calls?${query}`);
    expect(res.status).toBe(200);
    return res.body.items.map(
      (i: { caller: { display: string }; startedAt: string }) => `${i.caller.display}@${i.startedAt.slice(5, 16)}`,
    );
  };

  it('lists newest first with formatted numbers and an exact count', async () => {
    const res = await admin.get('/api/v1/calls');
    expect(res.body.total).toEqual({ value: 6, exact: true });
    expect(res.body.items[0].caller.display).toBe('非通知');
    expect(res.body.items.map((i: { startedAt: string }) => i.startedAt)).toEqual(
      [...res.body.items.map((i: { startedAt: string }) => i.startedAt)].sort().reverse(),
    );
    expect(res.body.items.find((i: { tags: string[] }) => i.tags.length).tags).toEqual(['クレーム']);
  });

  it('finds a number typed in any Japanese format, on either party', async () => {
    for (const typed of ['03-1234', '0312', '+81 3 1234', '０３１２３４']) {
      expect(await ids(admin, `number=${encodeURIComponent(typed)}`)).toEqual([
        '201@11-02T02:00',
        '03-1234-5678@11-01T00:30',
      ]);
    }
    expect(await ids(admin, `number=${encodeURIComponent('03-1234-5678')}&numberMatch=exact`)).toEqual([
      '03-1234-5678@11-01T00:30',
    ]);
    expect(await ids(admin, 'number=5678&numberMatch=suffix')).toEqual(['03-1234-5678@11-01T00:30']);
    expect(await ids(admin, 'number=1111&numberMatch=contains')).toHaveLength(3);
  });

  it('reads dates in the tenant time zone (a date includes its whole day)', async () => {
    // 2026-11-04 JST = 2026-11-03T15:00Z .. 2026-11-04T15:00Z
    expect(await ids(admin, 'from=2026-11-04&to=2026-11-04')).toEqual([
      '非通知@11-04T03:00',
      '06-6000-1111@11-03T15:01',
    ]);
  });

  it('combines filters: extension, direction, disposition, talk time, tags, notes, hold', async () => {
    expect(await ids(admin, 'extension=201&direction=outbound')).toEqual(['201@11-02T02:00']);
    expect(await ids(admin, 'disposition=missed')).toEqual(['06-6000-1111@11-03T14:59']);
    expect(await ids(admin, 'minTalkSeconds=300')).toEqual(['非通知@11-04T03:00']);
    expect(await ids(admin, `tag=${encodeURIComponent('クレーム')}`)).toEqual(['03-1234-5678@11-01T00:30']);
    expect(await ids(admin, 'hasNotes=true')).toEqual(['090-1111-2222@11-01T01:00']);
    expect(await ids(admin, `q=${encodeURIComponent('折り返し')}`)).toEqual(['090-1111-2222@11-01T01:00']);
    expect(await ids(admin, 'legalHold=true')).toEqual(['06-6000-1111@11-03T15:01']);
  });

  it('pages with a cursor, both directions, without gaps or repeats', async () => {
    for (const sort of ['desc', 'asc']) {
      const seen: string[] = [];
      let cursor = '';
      do {
        const res = await admin.get(`/api/v1/calls?limit=2&sort=${sort}${cursor ? `&cursor=${cursor}` : ''}`);
        seen.push(...res.body.items.map((i: { id: string }) => i.id));
        cursor = res.body.nextCursor ?? '';
      } while (cursor);
      expect(new Set(seen).size).toBe(6);
    }
  });

  it('shows an operator only their own calls', async () => {
    const res = await operator.get('/api/v1/calls');
    expect(res.body.items.map((i: { userId: string }) => i.userId)).toEqual([operatorId, operatorId]);
    const foreign = (await admin.get('/api/v1/calls?extension=202')).body.items[0].id;
    expect((await operator.get(`/api/v1/calls/${foreign}`)).status).toBe(404);
  });

  it("never shows another tenant's calls", async () => {
    expect((await admin.get(`/api/v1/calls/${otherTenantCallId}`)).status).toBe(404);
    const theirs = await other.get('/api/v1/calls?number=0312');
    expect(theirs.body.items.map((i: { id: string }) => i.id)).toEqual([otherTenantCallId]);
    expect((await other.get('/api/v1/calls')).body.total.value).toBe(1);
  });

  it('exports the result set as CSV with a BOM, formatted in the tenant zone', async () => {
    const res = await admin.get('/api/v1/calls/export.csv?extension=203');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const lines = res.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain('2026-11-04 00:01:00');
    expect(lines[1]).toContain('06-6000-1111');
    const audit = await admin.get('/api/v1/audit?action=calls.exported.csv');
    expect(audit.body.items[0].details).toContain('"rows":2');
  });

  it('edits notes and tags, and only a tenant admin sets a legal hold', async () => {
    const target = (await admin.get('/api/v1/calls?extension=202&disposition=answered')).body.items[0].id;
    expect(
      (await admin.patch(`/api/v1/calls/${target}`, { notes: '要折り返し', tags: ['VIP', 'VIP', '至急'] })).status,
    ).toBe(204);
    const after = await admin.get(`/api/v1/calls/${target}`);
    expect(after.body).toMatchObject({ notes: '要折り返し', legalHold: false });
    expect([...after.body.tags].sort()).toEqual(['VIP', '至急']);
    const own = (await operator.get('/api/v1/calls')).body.items[0].id;
    expect((await operator.patch(`/api/v1/calls/${own}`, { legalHold: true })).status).toBe(403);
    expect((await operator.patch(`/api/v1/calls/${target}`, { notes: 'x' })).status).toBe(404);
    expect((await other.patch(`/api/v1/calls/${target}`, { notes: 'x' })).status).toBe(404);
    expect((await admin.patch(`/api/v1/calls/${target}`, { legalHold: 'yes' })).status).toBe(400);
    expect((await admin.patch(`/api/v1/calls/${target}`, { legalHold: true })).status).toBe(204);
    expect((await admin.get(`/api/v1/calls/${target}`)).body.legalHold).toBe(true);
    const audit = await admin.get('/api/v1/audit?action=call.legalHold.set');
    expect(audit.body.items[0].target).toBe(target);
    await admin.patch(`/api/v1/calls/${target}`, { legalHold: false, notes: '', tags: [] });
  });

  it('counts a number search exactly, a call matching on both sides once, on either plan', async () => {
    const tenantId = (await admin.get('/api/v1/auth/me')).body.tenant.id;
    await seedCalls(t.dataSource, tenantId, [
      { caller: '03-1231-0001', callee: '03-1232-0002', startedAt: '2026-12-01T01:00:00Z', extension: '204' },
      { caller: '03-1233-1111', callee: '204', startedAt: '2026-12-02T01:00:00Z', extension: '204' },
      { caller: '204', callee: '03-1238-8888', startedAt: '2026-12-03T01:00:00Z', extension: '204' },
    ]);
    const search = async (query: string) =>
      (await admin.get(`/api/v1/calls?from=2026-12-01&to=2026-12-31&${query}`)).body;
    for (const [query, plan] of [
      ['number=03123', 'party-index'],
      ['number=0312', 'time-index'],
    ]) {
      const page = await search(query);
      expect(page.plan).toBe(plan);
      expect(page.total).toEqual({ value: 3, exact: true });
      expect(page.items).toHaveLength(3);
    }
    expect((await search('number=0312310001&numberMatch=exact')).total).toEqual({ value: 1, exact: true });
    expect((await search('number=0002&numberMatch=suffix')).total).toEqual({ value: 1, exact: true });
    expect((await search('number=1238&numberMatch=contains')).total).toEqual({ value: 1, exact: true });
    expect((await search('number=03123&extension=205')).total).toEqual({ value: 0, exact: true });
  });

  it.each([
    ['from=yesterday', 'from'],
    ['number=03-abc', 'number'],
    ['cursor=bm90LWEtY3Vyc29y', 'cursor'],
    ['limit=1000', 'limit'],
    ['direction=sideways', 'direction'],
    ['unknown=1', 'unknown'],
  ])('refuses %s naming the field', async (query, field) => {
    const res = await admin.get(`/api/v1/calls?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });
});
