import { completeSetup, startTestApp, TestApp } from './support/test-app';
import { HttpClient } from './support/http-client';
import { testDatabases } from './support/test-databases';

describe.each(testDatabases())('audit chain on $name', (db) => {
  let t: TestApp;
  let admin: HttpClient;
  beforeAll(async () => {
    t = await startTestApp(db);
    admin = await completeSetup(t);
    for (let i = 0; i < 3; i++) {
      await admin.post('/api/v1/users', { email: `u${i}@example.jp`, displayName: `u${i}`, roles: ['operator'] });
    }
  });
  afterAll(async () => t?.close());

  it('records actor, action, target and IP, chained by hash', async () => {
    const { items } = (await admin.get('/api/v1/audit?action=user.created')).body;
    // Newest first: three by the administrator, then the wizard's creation of the administrator.
    expect(items).toHaveLength(4);
    expect(items[3]).toMatchObject({ seq: 1, actorId: null, prevHash: '0'.repeat(64) });
    expect(items[0]).toMatchObject({ actorEmail: 'admin@example.jp', action: 'user.created' });
    expect(items[0].ip).toMatch(/127\.0\.0\.1/);
    expect((await admin.get('/api/v1/audit/verify')).body).toMatchObject({ ok: true, firstBroken: null });
  });

  it('reports the first altered entry', async () => {
    const { items } = (await admin.get('/api/v1/audit?action=user.created')).body;
    const victim = items[items.length - 1];
    await t.dataSource.query('UPDATE audit_entries SET target = ? WHERE id = ?', ['someone-else', victim.id]);
    const verify = await admin.get('/api/v1/audit/verify');
    expect(verify.body.ok).toBe(false);
    expect(verify.body.firstBroken).toMatchObject({ seq: victim.seq, reason: expect.stringContaining('altered') });
  });

  it('reports a deleted entry as a gap', async () => {
    const { items } = (await admin.get('/api/v1/audit?limit=500')).body;
    const middle = items[Math.floor(items.length / 2)];
    await t.dataSource.query('DELETE FROM audit_entries WHERE id = ?', [middle.id]);
    const verify = await admin.get('/api/v1/audit/verify');
    expect(verify.body.ok).toBe(false);
    expect(verify.body.firstBroken.seq).toBeLessThanOrEqual(middle.seq + 1);
  });
});
