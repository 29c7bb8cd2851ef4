import { tone, wavFile } from '../src/platform/transcoder/testing/signals';
import { completeSetup, startTestApp, TestApp } from './support/test-app';
import { HttpClient } from './support/http-client';
import { seedCalls } from './support/call-seed';
import { uploadCall } from './support/ingest-upload';
import { testDatabases } from './support/test-databases';

const audio = wavFile('mulaw', 8000, [tone(440, 8000, 1)]);

describe.each(testDatabases())('extensions of users on $name', (db) => {
  let t: TestApp;
  let admin: HttpClient;
  let other: HttpClient;
  let tenantId: string;
  let key: string;

  const operator = async (email: string, extensions: string[]) => {
    const created = await admin.post('/api/v1/users', {
      email,
      displayName: email,
      roles: ['operator'],
      password: 'Operat0r-Pass!',
      extensions,
    });
    const client = t.client();
    await client.post('/api/v1/auth/login', { email, password: 'Operat0r-Pass!' });
    return { created, client };
  };
  const ids = async (c: HttpClient) => (await c.get('/api/v1/calls')).body.items.map((x: { id: string }) => x.id);

  beforeAll(async () => {
    t = await startTestApp(db);
    admin = await completeSetup(t, 'multi');
    tenantId = (await admin.get('/api/v1/auth/me')).body.tenant.id;
    key = (await admin.post('/api/v1/api-keys', { name: 'pbx' })).body.key;
    await admin.post('/api/v1/tenants', {
      name: 'B',
      products: ['flexlog'],
      admin: { email: 'b@example.jp', displayName: 'B', password: 'Tenant-Adm1n!' },
    });
    other = t.client();
    await other.post('/api/v1/auth/login', { email: 'b@example.jp', password: 'Tenant-Adm1n!' });
  });
  afterAll(async () => t?.close());

  it('gives each call to the user of its extension, and operators see only theirs', async () => {
    const a = await operator('a@example.jp', ['201']);
    expect(a.created.body.user.extensions).toEqual(['201']);
    const b = await operator('b-op@example.jp', ['202']);
    const mine = await uploadCall(t, key, 'ext-201', audio, { extension: '201' });
    const theirs = await uploadCall(t, key, 'ext-202', audio, { extension: '202', callee: { number: '202' } });
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect(await ids(a.client)).toEqual([mine.body.callId]);
    expect(await ids(b.client)).toEqual([theirs.body.callId]);
    expect((await a.client.get(`/api/v1/calls/${theirs.body.callId}`)).status).toBe(404);
  });

  it('refuses an extension another user has, or one that is not an extension, naming it', async () => {
    const clash = await admin.post('/api/v1/users', {
      email: 'c@example.jp',
      displayName: 'c',
      roles: ['operator'],
      password: 'Operat0r-Pass!',
      extensions: ['201'],
    });
    expect(clash.status).toBe(409);
    expect(clash.text).toContain('201');
    const users = (await admin.get('/api/v1/users')).body;
    expect(users.find((u: { email: string }) => u.email === 'c@example.jp')).toBeUndefined();
    const bad = await admin.post('/api/v1/users', {
      email: 'd@example.jp',
      displayName: 'd',
      roles: ['operator'],
      password: 'Operat0r-Pass!',
      extensions: ['desk phone'],
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('extensions');
    // Another tenant's numbering is its own business: the same extension is free there.
    const elsewhere = await other.post('/api/v1/users', {
      email: 'op@b.example.jp',
      displayName: 'op',
      roles: ['operator'],
      password: 'Operat0r-Pass!',
      extensions: ['201'],
    });
    expect(elsewhere.status).toBe(201);
  });

  it('hands an extension’s earlier calls to the user it is given to', async () => {
    const [old] = await seedCalls(t.dataSource, tenantId, [
      { caller: '06-1111-2222', callee: '203', extension: '203', startedAt: '2026-11-01T00:00:00Z' },
    ]);
    const users = (await admin.get('/api/v1/users')).body as Array<{ id: string; email: string }>;
    const b = users.find((u) => u.email === 'b-op@example.jp') as { id: string };
    const changed = await admin.patch(`/api/v1/users/${b.id}`, { extensions: ['202', '203'] });
    expect(changed.body.extensions).toEqual(['202', '203']);
    const client = t.client();
    await client.post('/api/v1/auth/login', { email: 'b-op@example.jp', password: 'Operat0r-Pass!' });
    expect(await ids(client)).toContain(old.id);
    expect((await other.patch(`/api/v1/users/${b.id}`, { extensions: ['999'] })).status).toBe(404);
  });

  it('creates and edits users with extensions at the same time, each ending with exactly its own extensions', async () => {
    // The popup benchmark and bulk set-ups create and edit many operators at once: every one must land.
    const made = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        admin.post('/api/v1/users', {
          email: `bulk${i}@example.jp`,
          displayName: `bulk ${i}`,
          roles: ['operator'],
          password: 'Operat0r-Pass!',
          extensions: [`5${String(i).padStart(2, '0')}`, `6${String(i).padStart(2, '0')}`],
        }),
      ),
    );
    expect(made.map((r) => r.status)).toEqual(made.map(() => 201));
    // Edits carry no password hashing to spread them out: these overlap for real.
    const moved = await Promise.all(
      made.map((r, i) =>
        admin.patch(`/api/v1/users/${r.body.user.id}`, { extensions: [`8${String(i).padStart(2, '0')}`] }),
      ),
    );
    expect(moved.map((r) => r.status)).toEqual(moved.map(() => 200));
    const back = await Promise.all(
      made.map((r, i) =>
        admin.patch(`/api/v1/users/${r.body.user.id}`, {
          extensions: [`5${String(i).padStart(2, '0')}`, `6${String(i).padStart(2, '0')}`],
        }),
      ),
    );
    expect(back.map((r) => r.status)).toEqual(back.map(() => 200));
    const first = made[0].body.user;
    const edited = await admin.patch(`/api/v1/users/${first.id}`, { extensions: ['600', '700'] });
    expect(edited.status).toBe(200);
    const fetched = (await admin.get(`/api/v1/users/${first.id}`)).body;
    expect(((fetched.user ?? fetched).extensions as string[]).slice().sort()).toEqual(['600', '700']);
    const reused = await admin.post('/api/v1/users', {
      email: 'reuse@example.jp',
      displayName: 'reuse',
      roles: ['operator'],
      password: 'Operat0r-Pass!',
      extensions: ['500'],
    });
    expect(reused.status).toBe(201);
  });

  it('answers "who touched this call" from the audit log by target', async () => {
    const [{ id }] = (await admin.get('/api/v1/calls?limit=1')).body.items;
    await fetch(`${t.baseUrl}/api/v1/calls/${id}/audio`, {
      headers: { cookie: `access_token=${admin.cookie('access_token')}` },
    }).then((r) => r.arrayBuffer());
    const entries = (await admin.get(`/api/v1/audit?target=${id}`)).body.items as Array<{ target: string }>;
    expect(entries.length).toBeGreaterThanOrEqual(2); // ingested, played
    expect(entries.every((e) => e.target === id)).toBe(true);
    expect((await other.get(`/api/v1/audit?target=${id}`)).body.items).toEqual([]);
  });
});
