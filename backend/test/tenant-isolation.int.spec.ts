import { completeSetup, startTestApp, TestApp } from './support/test-app';
import { HttpClient } from './support/http-client';
import { testDatabases } from './support/test-databases';

const TENANT_ADMIN = (n: string) => ({
  email: `admin@${n}.example.jp`,
  displayName: `${n} 管理者`,
  password: 'Tenant-Adm1n!',
});

/**
 * Two customer tenants on one hosted instance. For every endpoint of the core, tenant A's
 * administrator must not list, read, change or delete anything of tenant B's.
 */
describe.each(testDatabases())('tenant isolation on $name', (db) => {
  let t: TestApp;
  let vendor: HttpClient;
  let a: HttpClient;
  let b: HttpClient;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp(db);
    vendor = await completeSetup(t, 'multi');
    for (const name of ['alpha', 'beta']) {
      const res = await vendor.post('/api/v1/tenants', { name, products: ['flexlog'], admin: TENANT_ADMIN(name) });
      expect(res.status).toBe(201);
      ids[`${name}Tenant`] = res.body.tenant.id;
      ids[`${name}Admin`] = res.body.admin.id;
    }
    a = t.client();
    b = t.client();
    expect(
      (await a.post('/api/v1/auth/login', { email: TENANT_ADMIN('alpha').email, password: 'Tenant-Adm1n!' })).status,
    ).toBe(200);
    expect(
      (await b.post('/api/v1/auth/login', { email: TENANT_ADMIN('beta').email, password: 'Tenant-Adm1n!' })).status,
    ).toBe(200);
    const user = await b.post('/api/v1/users', {
      email: 'staff@beta.example.jp',
      displayName: 'B staff',
      roles: ['operator'],
    });
    ids['betaUser'] = user.body.user.id;
    const key = await b.post('/api/v1/api-keys', { name: 'beta site' });
    ids['betaKey'] = key.body.id;
    await b.patch('/api/v1/settings', { organizationName: 'Beta 株式会社' });
  });
  afterAll(async () => t?.close());

  it('lists only its own users, keys and audit entries', async () => {
    const users = (await a.get('/api/v1/users')).body.map((u: { email: string }) => u.email);
    expect(users).toEqual([TENANT_ADMIN('alpha').email]);
    expect((await a.get('/api/v1/api-keys')).body).toEqual([]);
    const audit = (await a.get('/api/v1/audit?limit=500')).body.items;
    expect(audit.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit)).not.toMatch(/beta/i);
    expect((await a.get('/api/v1/settings')).body.organizationName).toBe('alpha');
  });

  it("answers 404 for another tenant's user, whatever the verb", async () => {
    const path = `/api/v1/users/${ids['betaUser']}`;
    expect((await a.get(path)).status).toBe(404);
    expect((await a.patch(path, { displayName: 'hijacked', roles: ['tenantAdmin'] })).status).toBe(404);
    expect((await a.post(`${path}/reset-password`)).status).toBe(404);
    expect((await a.delete(path)).status).toBe(404);
    expect((await a.get(`/api/v1/users/${ids['betaAdmin']}`)).status).toBe(404);
    const still = await b.get(path);
    expect(still.status).toBe(200);
    expect(still.body.displayName).toBe('B staff');
  });

  it("cannot revoke another tenant's API key", async () => {
    expect((await a.delete(`/api/v1/api-keys/${ids['betaKey']}`)).status).toBe(404);
    expect((await b.get('/api/v1/api-keys')).body.map((k: { id: string }) => k.id)).toEqual([ids['betaKey']]);
  });

  it("cannot see or change another tenant's settings or audit chain", async () => {
    await a.patch('/api/v1/settings', { organizationName: 'Alpha 合同会社' });
    expect((await b.get('/api/v1/settings')).body.organizationName).toBe('Beta 株式会社');
    const verifyA = await a.get('/api/v1/audit/verify');
    const verifyB = await b.get('/api/v1/audit/verify');
    expect(verifyA.body.ok && verifyB.body.ok).toBe(true);
    const bCount = (await b.get('/api/v1/audit?limit=500')).body.items.length;
    expect(verifyB.body.checked).toBe(bCount);
    // Filtering by another tenant's actor finds nothing.
    expect((await a.get(`/api/v1/audit?actorId=${ids['betaAdmin']}`)).body.items).toEqual([]);
  });

  it('keeps customer tenants out of the vendor console', async () => {
    expect((await a.get('/api/v1/tenants')).status).toBe(403);
    expect(
      (await a.post('/api/v1/tenants', { name: 'x', products: ['flexlog'], admin: TENANT_ADMIN('x') })).status,
    ).toBe(403);
    const list = await vendor.get('/api/v1/tenants');
    expect(list.body.map((x: { name: string }) => x.name)).toEqual(
      expect.arrayContaining(['Alpha 合同会社', 'Beta 株式会社']),
    );
  });

  it("refuses an API key of one tenant as a login to another's data", async () => {
    const key = (await a.post('/api/v1/api-keys', { name: 'alpha site' })).body.key;
    const machine = t.client({ authorization: `Bearer ${key}` });
    expect((await machine.get(`/api/v1/users/${ids['betaUser']}`)).status).toBe(403);
  });
});
