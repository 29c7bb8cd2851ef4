import { randomBytes } from 'node:crypto';
import { completeSetup, startTestApp, TestApp } from './support/test-app';
import { HttpClient } from './support/http-client';
import { seedCalls } from './support/call-seed';
import { storeTestRecording } from './support/recording-seed';
import { testDatabases } from './support/test-databases';

describe.each(testDatabases())('playback on $name', (db) => {
  let t: TestApp;
  let admin: HttpClient;
  let operator: HttpClient;
  let other: HttpClient;
  let callId: string;
  const audio = randomBytes(250_000);

  beforeAll(async () => {
    t = await startTestApp(db);
    admin = await completeSetup(t, 'multi');
    const tenantId = (await admin.get('/api/v1/auth/me')).body.tenant.id;
    await admin.post('/api/v1/users', {
      email: 'op@example.jp',
      displayName: 'op',
      roles: ['operator'],
      password: 'Operat0r-Pass!',
    });
    operator = t.client();
    await operator.post('/api/v1/auth/login', { email: 'op@example.jp', password: 'Operat0r-Pass!' });
    const [call] = await seedCalls(t.dataSource, tenantId, [
      { caller: '03-1234-5678', callee: '201', startedAt: '2026-11-01T00:00:00Z' },
    ]);
    callId = call.id;
    await storeTestRecording(t, tenantId, callId, audio);
    const b = await admin.post('/api/v1/tenants', {
      name: 'B',
      products: ['flexlog'],
      admin: { email: 'b@example.jp', displayName: 'B', password: 'Tenant-Adm1n!' },
    });
    other = t.client();
    await other.post('/api/v1/auth/login', { email: 'b@example.jp', password: 'Tenant-Adm1n!' });
    expect(b.status).toBe(201);
  });
  afterAll(async () => t?.close());

  const bytes = async (c: HttpClient, range?: string, query = '') => {
    const res = await fetch(`${t.baseUrl}/api/v1/calls/${callId}/audio${query}`, {
      headers: { cookie: `access_token=${c.cookie('access_token')}`, ...(range ? { range } : {}) },
    });
    return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
  };

  it('streams the whole recording with Accept-Ranges', async () => {
    const res = await bytes(admin);
    expect(res.status).toBe(200);
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.headers.get('content-type')).toContain('audio/ogg');
    expect(res.body.equals(audio)).toBe(true);
  });

  it.each([
    ['bytes=0-0', 0, 1],
    ['bytes=65530-65545', 65_530, 65_546],
    ['bytes=200000-', 200_000, 250_000],
    ['bytes=-1000', 249_000, 250_000],
  ])('answers %s with 206 and exactly those bytes', async (range, start, end) => {
    const res = await bytes(admin, range);
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes ${start}-${end - 1}/250000`);
    expect(res.body.equals(audio.subarray(start, end))).toBe(true);
  });

  it('answers an unsatisfiable range with 416', async () => {
    const res = await bytes(admin, 'bytes=999999-');
    expect(res.status).toBe(416);
    expect(res.headers.get('content-range')).toBe('bytes */250000');
  });

  it('audits plays and downloads, not seeks', async () => {
    const before = (await admin.get('/api/v1/audit?limit=500')).body.items.length;
    await bytes(admin, 'bytes=100-200');
    await bytes(admin, undefined, '?download=1');
    const items = (await admin.get('/api/v1/audit?limit=500')).body.items;
    expect(items.length - before).toBe(1);
    expect(items[0]).toMatchObject({ action: 'recording.downloaded', target: callId });
  });

  it("serves peaks, and nothing to an operator who may not see the call or another tenant's user", async () => {
    expect((await admin.get(`/api/v1/calls/${callId}/peaks`)).body).toEqual({
      durationMs: 60_000,
      peaks: [0.1, -0.1, 0.5, -0.4],
    });
    expect((await bytes(operator)).status).toBe(404);
    expect((await bytes(other)).status).toBe(404);
    expect((await other.get(`/api/v1/calls/${callId}/peaks`)).status).toBe(404);
  });

  it('shares an expiring link that plays without a login, audited, and refuses a tampered one', async () => {
    expect((await operator.post(`/api/v1/calls/${callId}/share`, { expiresInHours: 1 })).status).toBe(403);
    expect((await admin.post(`/api/v1/calls/${callId}/share`, { expiresInHours: 24 * 30 })).status).toBe(400);
    const created = await admin.post(`/api/v1/calls/${callId}/share`, { expiresInHours: 2 });
    expect(created.status).toBe(201);
    expect(new Date(created.body.expiresAt).getTime() - Date.now()).toBeGreaterThan(7_000_000);
    const res = await fetch(`${t.baseUrl}${created.body.url}`, { headers: { range: 'bytes=0-99' } });
    expect(res.status).toBe(206);
    expect(Buffer.from(await res.arrayBuffer()).equals(audio.subarray(0, 100))).toBe(true);
    const tampered = created.body.url.replace(/\.(.)/, (_m: string, c: string) => `.${c === 'A' ? 'B' : 'A'}`);
    expect((await fetch(`${t.baseUrl}${tampered}`)).status).toBe(404);
    expect((await fetch(`${t.baseUrl}/api/v1/shared/nonsense/audio`)).status).toBe(404);
    const audit = await admin.get('/api/v1/audit?limit=10');
    expect(audit.body.items.map((i: { action: string }) => i.action)).toEqual(
      expect.arrayContaining(['recording.shared', 'recording.played.shared']),
    );
  });
});
