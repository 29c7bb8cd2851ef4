import { completeSetup, startTestApp, TestApp } from './support/test-app';
import { HttpClient } from './support/http-client';
import { testDatabases } from './support/test-databases';

describe.each(testDatabases())('bad input on $name', (db) => {
  let t: TestApp;
  let admin: HttpClient;
  beforeAll(async () => {
    t = await startTestApp(db, { BODY_LIMIT: '16kb' });
    admin = await completeSetup(t);
  });
  afterAll(async () => t?.close());

  const userCount = async () => Number((await t.dataSource.query('SELECT COUNT(*) AS n FROM users'))[0].n);
  const good = { email: 'new@example.jp', displayName: '新規', roles: ['operator'], password: 'Good-Passw0rd!' };

  it.each([
    ['malformed JSON', '{"email": "x@example.jp",', 400, '(body)'],
    ['an unknown field', { ...good, isAdmin: true }, 400, 'isAdmin'],
    ['a wrong type', { ...good, displayName: 42 }, 400, 'displayName'],
    ['a wrong array member', { ...good, roles: ['operator', 'superuser'] }, 400, 'roles'],
    ['an over-long string', { ...good, displayName: 'あ'.repeat(101) }, 400, 'displayName'],
    ['a bad e-mail', { ...good, email: 'not-an-email' }, 400, 'email'],
    ['a weak password', { ...good, password: 'password' }, 400, 'password'],
    ['an oversized body', { ...good, displayName: 'x'.repeat(20_000) }, 413, '(body)'],
  ])('refuses %s with a field-level message and writes nothing', async (_label, body, status, field) => {
    const before = await userCount();
    const res = await admin.post('/api/v1/users', body);
    expect(res.status).toBe(status);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await userCount()).toBe(before);
  });

  it('refuses a duplicate e-mail with 409 and keeps one row', async () => {
    expect((await admin.post('/api/v1/users', good)).status).toBe(201);
    const dup = await admin.post('/api/v1/users', { ...good, email: 'NEW@example.jp' });
    expect(dup.status).toBe(409);
    expect(dup.body.message).toContain('email');
  });

  it('refuses a malformed id in the path', async () => {
    expect((await admin.get('/api/v1/users/not-a-uuid')).status).toBe(400);
  });

  it('sends security headers and keeps CORS closed', async () => {
    const res = await t.client({ origin: 'https://evil.example' }).get('/api/health');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('serves the OpenAPI document and Prometheus metrics', async () => {
    const doc = await t.client().get('/api/openapi.json');
    expect(doc.body.paths['/api/v1/users']).toBeDefined();
    const metrics = await t.client().get('/api/metrics');
    expect(metrics.text).toContain('appliance_http_request_duration_seconds_bucket');
  });
});
