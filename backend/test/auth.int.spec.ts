import { ADMIN, completeSetup, startTestApp, TestApp } from './support/test-app';
import { HttpClient } from './support/http-client';
import { testDatabases } from './support/test-databases';

const OPERATOR = {
  email: 'op@example.jp',
  displayName: 'オペレーター',
  roles: ['operator'],
  password: 'Operat0r-Pass!',
};

describe.each(testDatabases())('authentication on $name', (db) => {
  let t: TestApp;
  let admin: HttpClient;
  beforeAll(async () => {
    t = await startTestApp(db, { LOCKOUT_MINUTES: '15' });
    admin = await completeSetup(t);
    expect((await admin.post('/api/v1/users', OPERATOR)).status).toBe(201);
  });
  afterAll(async () => t?.close());

  const login = (c: HttpClient, email: string, password: string) => c.post('/api/v1/auth/login', { email, password });

  it('logs in with httpOnly SameSite cookies and answers /me', async () => {
    const c = t.client();
    const res = await login(c, ADMIN.email.toUpperCase(), ADMIN.password);
    expect(res.status).toBe(200);
    const cookies = res.headers.getSetCookie().join('\n');
    expect(cookies).toMatch(/access_token=[^;]+;.*HttpOnly/);
    expect(cookies).toMatch(/SameSite=Strict/);
    expect(cookies).toMatch(/refresh_token=[^;]+;.*Path=\/api\/v1\/auth/);
    const me = await c.get('/api/v1/auth/me');
    expect(me.body).toMatchObject({ email: ADMIN.email, roles: ['tenantAdmin'], tenant: { name: '株式会社テスト' } });
  });

  it('locks an account for 15 minutes after 5 wrong passwords, refusing even the right one', async () => {
    const c = t.client();
    for (let i = 1; i <= 4; i++) expect((await login(c, OPERATOR.email, `Wrong-${i}-Pass!`)).status).toBe(401);
    const fifth = await login(c, OPERATOR.email, 'Wrong-5-Pass!');
    expect(fifth.status).toBe(401);
    const sixth = await login(c, OPERATOR.email, OPERATOR.password);
    expect(sixth.status).toBe(423);
    const until = new Date(sixth.body.lockedUntil).getTime();
    expect(until - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(until - Date.now()).toBeLessThanOrEqual(15 * 60_000);
    const users = await admin.get('/api/v1/users');
    expect(users.body.find((u: { email: string }) => u.email === OPERATOR.email).lockedUntil).toBeTruthy();
    const audit = await admin.get('/api/v1/audit?action=auth.account.locked');
    expect(audit.body.items).toHaveLength(1);
    // An administrator's password reset lifts the lock.
    const id = users.body.find((u: { email: string }) => u.email === OPERATOR.email).id;
    const reset = await admin.post(`/api/v1/users/${id}/reset-password`);
    expect((await login(t.client(), OPERATOR.email, reset.body.temporaryPassword)).status).toBe(200);
  });

  it('rotates refresh tokens, refuses a reused one and revokes on logout', async () => {
    const c = t.client();
    await login(c, ADMIN.email, ADMIN.password);
    const firstRefresh = c.cookie('refresh_token') as string;
    expect((await c.post('/api/v1/auth/refresh')).status).toBe(200);
    expect(c.cookie('refresh_token')).not.toBe(firstRefresh);
    // The old token presented again is a theft signal: refused, and the whole family is revoked.
    const thief = t.client();
    thief.setCookie('refresh_token', firstRefresh);
    expect((await thief.post('/api/v1/auth/refresh')).status).toBe(401);
    expect((await c.post('/api/v1/auth/refresh')).status).toBe(401);

    const d = t.client();
    await login(d, ADMIN.email, ADMIN.password);
    const kept = d.cookie('refresh_token') as string;
    expect((await d.post('/api/v1/auth/logout')).status).toBe(204);
    expect(d.cookie('access_token')).toBeUndefined();
    const replay = t.client();
    replay.setCookie('refresh_token', kept);
    expect((await replay.post('/api/v1/auth/refresh')).status).toBe(401);
  });

  it('changes a password: policy enforced, other sessions ended, this one kept', async () => {
    const email = 'pw@example.jp';
    await admin.post('/api/v1/users', { ...OPERATOR, email, password: 'First-Passw0rd!' });
    const a = t.client();
    const b = t.client();
    await login(a, email, 'First-Passw0rd!');
    await login(b, email, 'First-Passw0rd!');
    const weak = await a.post('/api/v1/auth/password', { currentPassword: 'First-Passw0rd!', newPassword: 'abc' });
    expect(weak.status).toBe(400);
    expect(weak.body.errors[0].field).toBe('newPassword');
    expect(
      (await a.post('/api/v1/auth/password', { currentPassword: 'nope', newPassword: 'Second-Passw0rd!' })).status,
    ).toBe(401);
    await new Promise((r) => setTimeout(r, 1100));
    expect(
      (await a.post('/api/v1/auth/password', { currentPassword: 'First-Passw0rd!', newPassword: 'Second-Passw0rd!' }))
        .status,
    ).toBe(204);
    expect((await a.get('/api/v1/auth/me')).status).toBe(200);
    expect((await b.post('/api/v1/auth/refresh')).status).toBe(401);
    expect((await login(t.client(), email, 'First-Passw0rd!')).status).toBe(401);
    expect((await login(t.client(), email, 'Second-Passw0rd!')).status).toBe(200);
  });

  it('enforces roles: an operator cannot manage users, keys, settings or audit', async () => {
    const op = t.client();
    const email = 'role@example.jp';
    await admin.post('/api/v1/users', { ...OPERATOR, email });
    await login(op, email, OPERATOR.password);
    for (const path of ['/api/v1/users', '/api/v1/api-keys', '/api/v1/settings', '/api/v1/audit', '/api/v1/tenants']) {
      expect((await op.get(path)).status).toBe(403);
    }
    expect((await op.post('/api/v1/users', { ...OPERATOR, email: 'x@example.jp' })).status).toBe(403);
    expect((await t.client().get('/api/v1/users')).status).toBe(401);
    // A tenant admin cannot hand out vendor roles.
    const vendor = await admin.post('/api/v1/users', { ...OPERATOR, email: 'v@example.jp', roles: ['vendorAdmin'] });
    expect(vendor.status).toBe(400);
    expect(vendor.body.errors[0].field).toBe('roles');
  });

  it('authenticates machine clients by API key, shown once and stored hashed', async () => {
    const created = await admin.post('/api/v1/api-keys', { name: '東京拠点 capture' });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^ak_[A-Za-z0-9_-]{8}_[A-Za-z0-9_-]{43}$/);
    const listed = await admin.get('/api/v1/api-keys');
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key);
    const rows = await t.dataSource.query('SELECT keyHash FROM api_keys');
    expect(JSON.stringify(rows)).not.toContain(created.body.key.slice(12));
    // Keys are for machine endpoints only: user-management endpoints refuse them.
    const machine = t.client({ authorization: `Bearer ${created.body.key}` });
    expect((await machine.get('/api/v1/users')).status).toBe(403);
    expect((await t.client({ authorization: 'Bearer ak_nonsense' }).get('/api/v1/users')).status).toBe(403);
    expect((await admin.delete(`/api/v1/api-keys/${created.body.id}`)).status).toBe(204);
  });

  it('rate-limits authentication per IP address', async () => {
    const limited = await startTestApp(db, { AUTH_RATE_LIMIT_PER_MINUTE: '5' });
    try {
      await completeSetup(limited);
      const c = limited.client();
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await login(c, 'nobody@example.jp', 'Whatever-123!')).status);
      expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
      expect(statuses.slice(5)).toEqual([429, 429]);
    } finally {
      await limited.close();
    }
  });
});
