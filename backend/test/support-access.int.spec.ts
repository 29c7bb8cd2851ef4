import { SupportGrant } from '../src/core/support/support-grant.entity';
import { completeSetup, startTestApp, TestApp } from './support/test-app';
import { HttpClient } from './support/http-client';
import { seedCalls } from './support/call-seed';
import { storeTestRecording } from './support/recording-seed';
import { testDatabases } from './support/test-databases';

describe.each(testDatabases())('support access on $name', (db) => {
  let t: TestApp;
  let vendor: HttpClient;
  let support: HttpClient;
  let b: HttpClient;
  let c: HttpClient;
  let bTenant: string;
  let callId: string;

  const login = async (email: string, password: string) => {
    const client = t.client();
    const res = await client.post('/api/v1/auth/login', { email, password });
    if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${res.text}`);
    return client;
  };
  const newTenant = async (name: string, email: string) => {
    const res = await vendor.post('/api/v1/tenants', {
      name,
      products: ['flexlog'],
      admin: { email, displayName: name, password: 'Tenant-Adm1n!' },
    });
    if (res.status !== 201) throw new Error(`tenant ${name}: ${res.status} ${res.text}`);
    return login(email, 'Tenant-Adm1n!');
  };
  /** A request under a grant: the header is all that changes. */
  const under = (grantId: string) => ({
    get: (path: string) => support.request('GET', path, undefined, { 'x-support-grant': grantId }),
    patch: (path: string, body: unknown) => support.request('PATCH', path, body, { 'x-support-grant': grantId }),
    post: (path: string, body: unknown) => support.request('POST', path, body, { 'x-support-grant': grantId }),
  });
  const grant = async (body: Record<string, unknown> = {}) => {
    const res = await b.post('/api/v1/support-grants', {
      scope: 'read',
      reason: 'チケット #123: 再生できない通話の調査',
      expiresInHours: 2,
      ...body,
    });
    if (res.status !== 201) throw new Error(`grant: ${res.status} ${res.text}`);
    return res.body.id as string;
  };

  beforeAll(async () => {
    t = await startTestApp(db);
    vendor = await completeSetup(t, 'multi');
    for (const email of ['support@vendor.jp', 'support2@vendor.jp']) {
      const res = await vendor.post('/api/v1/users', {
        email,
        displayName: 'サポート',
        roles: ['vendorSupport'],
        password: 'Supp0rt-Passw0rd!',
      });
      if (res.status !== 201) throw new Error(`support user: ${res.status} ${res.text}`);
    }
    support = await login('support@vendor.jp', 'Supp0rt-Passw0rd!');
    b = await newTenant('B', 'b@example.jp');
    c = await newTenant('C', 'c@example.jp');
    bTenant = (await b.get('/api/v1/auth/me')).body.tenant.id;
    [{ id: callId }] = await seedCalls(t.dataSource, bTenant, [
      { caller: '03-1234-5678', callee: '201', startedAt: '2026-11-01T00:00:00Z' },
    ]);
    await storeTestRecording(t, bTenant, callId, Buffer.alloc(4000, 3));
  });
  afterAll(async () => t?.close());

  it('sees no tenant data without a grant', async () => {
    expect((await support.get('/api/v1/calls')).status).toBe(403);
    expect((await support.get('/api/v1/vendor/support-grants')).body).toEqual([]);
    const made_up = under('5c0ffee0-0000-4000-8000-000000000000');
    expect((await made_up.get('/api/v1/calls')).status).toBe(403);
    expect((await under('nonsense').get('/api/v1/calls')).status).toBe(403);
  });

  it('refuses a bad grant, naming the field', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ scope: 'root' }, 'scope'],
      [{ reason: '' }, 'reason'],
      [{ expiresInHours: 24 * 30 }, 'expiresInHours'],
      [{ granteeEmail: 'b@example.jp' }, 'granteeEmail'],
    ];
    for (const [body, field] of cases) {
      const res = await b.post('/api/v1/support-grants', {
        scope: 'read',
        reason: 'ok reason',
        expiresInHours: 1,
        ...body,
      });
      expect(res.status).toBe(400);
      expect(res.text).toContain(field);
    }
    expect((await b.get('/api/v1/support-grants')).body).toEqual([]);
  });

  it('reads the granting tenant under a read grant, every request in its audit log', async () => {
    const id = await grant();
    const mine = (await support.get('/api/v1/vendor/support-grants')).body;
    expect(mine).toEqual([
      expect.objectContaining({ id, tenantId: bTenant, tenantName: 'B', scope: 'read', active: true }),
    ]);
    const s = under(id);
    expect((await s.get('/api/v1/calls')).body.items.map((x: { id: string }) => x.id)).toEqual([callId]);
    expect((await s.get(`/api/v1/calls/${callId}/audio`)).status).toBe(200);
    // read means read: no changes, and no grants made by the grantee
    expect((await s.patch('/api/v1/recordings/policy', { retentionDays: 1 })).status).toBe(403);
    expect(
      (await s.post('/api/v1/support-grants', { scope: 'admin', reason: 'more power', expiresInHours: 9 })).status,
    ).toBe(403);
    const audit = (await b.get('/api/v1/audit?limit=50')).body.items as Array<Record<string, unknown>>;
    const bySupport = audit.filter((e) => e['actorEmail'] === 'support@vendor.jp');
    expect(bySupport.map((e) => e['action'])).toEqual(expect.arrayContaining(['support.access', 'recording.played']));
    expect(bySupport.filter((e) => e['action'] === 'support.access').length).toBeGreaterThanOrEqual(4);
    expect(audit.find((e) => e['action'] === 'support.granted')).toBeTruthy();
    expect((await b.get('/api/v1/audit/verify')).body.ok).toBe(true);
  });

  it("gives nothing of another tenant, and other tenants cannot see or revoke B's grants", async () => {
    const [{ id }] = (await b.get('/api/v1/support-grants')).body;
    const [cCall] = await seedCalls(t.dataSource, (await c.get('/api/v1/auth/me')).body.tenant.id, [
      { caller: '06-1111-2222', callee: '300', startedAt: '2026-11-02T00:00:00Z' },
    ]);
    expect((await under(id).get(`/api/v1/calls/${cCall.id}`)).status).toBe(404);
    expect((await c.get('/api/v1/support-grants')).body).toEqual([]);
    expect((await c.delete(`/api/v1/support-grants/${id}`)).status).toBe(404);
    expect((await under(id).get('/api/v1/calls')).status).toBe(200);
    // a customer's own user cannot use a grant
    expect((await c.request('GET', '/api/v1/calls', undefined, { 'x-support-grant': id })).status).toBe(403);
  });

  it('stops at expiry and at revocation, and honours a named grantee', async () => {
    const expiring = await grant();
    expect((await under(expiring).get('/api/v1/calls')).status).toBe(200);
    await t.dataSource.getRepository(SupportGrant).update(expiring, { expiresAt: new Date(Date.now() - 1000) });
    expect((await under(expiring).get('/api/v1/calls')).status).toBe(403);

    const revoked = await grant({ scope: 'admin' });
    expect((await under(revoked).patch('/api/v1/recordings/policy', { retentionDays: 400 })).status).toBe(200);
    expect((await b.delete(`/api/v1/support-grants/${revoked}`)).body).toMatchObject({ active: false });
    expect((await under(revoked).get('/api/v1/calls')).status).toBe(403);

    const forOther = await grant({ granteeEmail: 'support2@vendor.jp' });
    expect((await under(forOther).get('/api/v1/calls')).status).toBe(403);
    const other = await login('support2@vendor.jp', 'Supp0rt-Passw0rd!');
    expect((await other.request('GET', '/api/v1/calls', undefined, { 'x-support-grant': forOther })).status).toBe(200);
    const actions = (await b.get('/api/v1/audit?limit=100')).body.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['support.revoked', 'recordings.policy.changed']));
  });
});
