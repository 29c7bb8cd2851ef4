import { RequestContext } from '../src/core/tenancy/request-context';
import { CallDeleter } from '../src/products/recordings/deletion/call-deleter';
import { CONFIRM_WINDOW_MS, DeletionService } from '../src/products/recordings/deletion/deletion.service';
import { RecordingVault } from '../src/products/recordings/vault/recording-vault';
import { SeedCall, seedCalls } from './support/call-seed';
import { HttpClient } from './support/http-client';
import { storeTestRecording } from './support/recording-seed';
import { callIds, loginAs, objectKeys, settledJob } from './support/store-probes';
import { completeSetup, startTestApp, TestApp } from './support/test-app';
import { testDatabases } from './support/test-databases';

const FILTER = { to: '2025-03-31', source: 'flexlog' as const };

describe.each(testDatabases())('deletion tool on $name', (db) => {
  let t: TestApp;
  let admin: HttpClient;
  let other: HttpClient;
  let operator: HttpClient;
  let auditor: HttpClient;
  let supervisor: HttpClient;
  let tenantId: string;
  let tenantB: string;
  let adminId: string;
  const ids: Record<string, string> = {};
  const keys: Record<string, string> = {};

  /** One call with a 1,000-byte recording, remembered by name (one insert each, as seedEach explains). */
  const seed = async (name: string, tenant: string, call: Omit<SeedCall, 'caller' | 'callee'>) => {
    const [row] = await seedCalls(t.dataSource, tenant, [{ caller: '03-5555-0000', callee: '201', ...call }]);
    ids[name] = row.id;
    keys[name] = (await storeTestRecording(t, tenant, row.id, Buffer.alloc(1000, 9))).storageKey;
  };
  const auditOf = async (c: HttpClient, action: string) =>
    (await c.get(`/api/v1/audit?action=${action}`)).body.items.map((a: { target: string; details: string }) => ({
      target: a.target,
      details: JSON.parse(a.details),
    }));

  beforeAll(async () => {
    t = await startTestApp(db);
    admin = await completeSetup(t, 'multi');
    const me = (await admin.get('/api/v1/auth/me')).body;
    tenantId = me.tenant.id;
    adminId = me.id;
    operator = await loginAs(t, admin, 'op@example.jp', ['operator']);
    auditor = await loginAs(t, admin, 'audit@example.jp', ['auditor']);
    supervisor = await loginAs(t, admin, 'super@example.jp', ['supervisor']);
    const b = await admin.post('/api/v1/tenants', {
      name: 'B',
      products: ['flexlog'],
      admin: { email: 'b@example.jp', displayName: 'B', password: 'Tenant-Adm1n!' },
    });
    tenantB = b.body.tenant.id;
    other = t.client();
    await other.post('/api/v1/auth/login', { email: 'b@example.jp', password: 'Tenant-Adm1n!' });

    for (const [i, day] of [
      '2025-01-05',
      '2025-01-20',
      '2025-02-03',
      '2025-02-14',
      '2025-03-01',
      '2025-03-31',
    ].entries()) {
      await seed(`old${i}`, tenantId, { startedAt: `${day}T03:00:00Z`, legalHold: i === 1 || i === 4 });
    }
    await seed('otherSource', tenantId, { startedAt: '2025-02-01T03:00:00Z', source: 'upload' });
    await seed('later', tenantId, { startedAt: '2025-06-01T03:00:00Z' });
    await seed('theirs', tenantB, { startedAt: '2025-01-10T03:00:00Z' });
  });
  afterAll(async () => t?.close());

  it('previews what the search finds: count and bytes to delete, held calls apart, nothing deleted', async () => {
    const before = await callIds(t, tenantId);
    const res = await admin.post('/api/v1/recordings/deletions/preview', { filter: FILTER });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ count: 4, bytes: 4000, heldExcluded: { count: 2, bytes: 2000 } });
    expect(typeof res.body.confirmToken).toBe('string');
    expect(Date.parse(res.body.expiresAt) - Date.now()).toBeGreaterThan(CONFIRM_WINDOW_MS - 60_000);
    const search = await admin.get('/api/v1/calls?to=2025-03-31&source=flexlog');
    expect(search.body.total).toEqual({ value: 6, exact: true });
    expect(await callIds(t, tenantId)).toEqual(before);
  });

  it('names the bad field of a filter or a confirmation', async () => {
    const bad = await admin.post('/api/v1/recordings/deletions/preview', { filter: { direction: 'sideways', x: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['filter.direction', 'filter.x']);
    expect((await admin.post('/api/v1/recordings/deletions/preview', {})).body.errors[0].field).toBe('filter');
    const noToken = await admin.post('/api/v1/recordings/deletions', { filter: FILTER });
    expect(noToken.status).toBe(400);
    expect(noToken.body.errors[0].field).toBe('confirmToken');
  });

  it('refuses a confirmation that is not of this very preview', async () => {
    const { confirmToken } = (await admin.post('/api/v1/recordings/deletions/preview', { filter: FILTER })).body;
    const confirm = (c: HttpClient, filter: object, token: string) =>
      c.post('/api/v1/recordings/deletions', { filter, confirmToken: token });

    const otherFilter = await confirm(admin, { ...FILTER, to: '2025-03-30' }, confirmToken);
    expect(otherFilter.status).toBe(409);
    expect(otherFilter.body.message).toContain('filter');
    const forged = await confirm(admin, FILTER, `${confirmToken.slice(0, -2)}xx`);
    expect(forged.status).toBe(400);
    expect(forged.body.errors[0].field).toBe('confirmToken');
    // Another tenant's admin cannot use it, even with the same filter.
    expect((await confirm(other, FILTER, confirmToken)).status).toBe(400);

    // The calls changed after the preview: a hold was set.
    await admin.patch(`/api/v1/calls/${ids.old0}`, { legalHold: true });
    const changed = await confirm(admin, FILTER, confirmToken);
    expect(changed.status).toBe(409);
    expect(changed.body.message).toContain('changed since the preview (4 calls, 4000 bytes; now 3 calls, 3000 bytes)');
    await admin.patch(`/api/v1/calls/${ids.old0}`, { legalHold: false });

    // A preview older than ten minutes.
    const principal = {
      kind: 'user' as const,
      id: adminId,
      tenantId,
      email: 'admin@example.jp',
      roles: ['tenantAdmin' as const],
    };
    const stale = await t.app
      .get(RequestContext)
      .runAsTenant(
        tenantId,
        () => t.app.get(DeletionService).preview(FILTER, Date.now() - CONFIRM_WINDOW_MS - 1000),
        principal,
      );
    const expired = await confirm(admin, FILTER, stale.confirmToken);
    expect(expired.status).toBe(409);
    expect(expired.body.message).toContain('expired');
    expect(await callIds(t, tenantId)).toHaveLength(8);
  });

  it('is for tenant admins only, and nobody sees or runs another tenant’s deletions', async () => {
    for (const c of [operator, auditor, supervisor]) {
      expect((await c.post('/api/v1/recordings/deletions/preview', { filter: FILTER })).status).toBe(403);
      expect((await c.post('/api/v1/recordings/deletions', { filter: FILTER, confirmToken: 'x.y' })).status).toBe(403);
    }
    expect((await t.client().post('/api/v1/recordings/deletions/preview', { filter: FILTER })).status).toBe(401);
    const key = (await admin.post('/api/v1/api-keys', { name: 'capture' })).body.key;
    const machine = t.client({ authorization: `Bearer ${key}` });
    expect([401, 403]).toContain(
      (await machine.post('/api/v1/recordings/deletions/preview', { filter: FILTER })).status,
    );
    // Tenant B's preview of the same filter counts tenant B's calls only.
    expect((await other.post('/api/v1/recordings/deletions/preview', { filter: FILTER })).body).toMatchObject({
      count: 1,
      bytes: 1000,
      heldExcluded: { count: 0, bytes: 0 },
    });
  });

  it('deletes in a job with progress, audited with the filter and the result, keeping held calls', async () => {
    const preview = (await admin.post('/api/v1/recordings/deletions/preview', { filter: FILTER })).body;
    const started = await admin.post('/api/v1/recordings/deletions', {
      filter: FILTER,
      confirmToken: preview.confirmToken,
    });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ kind: 'recordings.deletion', status: 'queued' });
    const job = await settledJob(admin, started.body.id);
    expect(job).toMatchObject({
      status: 'succeeded',
      progress: 100,
      result: {
        deleted: { count: 4, bytes: 4000 },
        heldSkipped: { count: 2, bytes: 2000 },
        previewed: { count: 4, bytes: 4000 },
      },
    });
    expect((await callIds(t, tenantId)).sort()).toEqual([ids.old1, ids.old4, ids.otherSource, ids.later].sort());
    const objects = await objectKeys(t, tenantId);
    for (const name of ['old0', 'old2', 'old3', 'old5']) expect(objects).not.toContain(keys[name]);
    for (const name of ['old1', 'old4', 'otherSource', 'later']) expect(objects).toContain(keys[name]);
    expect(await callIds(t, tenantB)).toEqual([ids.theirs]);

    const [startedEntry] = await auditOf(admin, 'recordings.deletion.started');
    expect(startedEntry).toEqual({ target: job.id, details: { filter: FILTER, previewed: { count: 4, bytes: 4000 } } });
    const [finished] = await auditOf(admin, 'recordings.deletion.finished');
    expect(finished).toEqual({ target: job.id, details: { filter: FILTER, ...job.result } });
    const [batch] = await auditOf(admin, 'recordings.deleted');
    expect(batch.details).toMatchObject({ reason: 'deletion-tool', jobId: job.id, count: 4, bytes: 4000 });

    // The job is this tenant's: tenant B sees nothing of it.
    expect((await other.get(`/api/v1/jobs/${job.id}`)).status).toBe(404);
    expect((await other.get('/api/v1/audit?action=recordings.deletion.started')).body.items).toEqual([]);
    // The same confirmation again starts nothing: what it confirmed is gone.
    const again = await admin.post('/api/v1/recordings/deletions', {
      filter: FILTER,
      confirmToken: preview.confirmToken,
    });
    expect(again.status).toBe(409);
  });

  it('works through thousands of calls in batches', async () => {
    const many = Array.from({ length: 450 }, (_, i) => ({
      caller: '03-7777-0000',
      callee: '201',
      startedAt: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
      tags: ['bulk'],
    }));
    await seedCalls(t.dataSource, tenantB, many);
    const filter = { tag: 'bulk' };
    const preview = (await other.post('/api/v1/recordings/deletions/preview', { filter })).body;
    expect(preview).toMatchObject({ count: 450, bytes: 0 });
    const started = await other.post('/api/v1/recordings/deletions', { filter, confirmToken: preview.confirmToken });
    const job = await settledJob(other, started.body.id);
    expect(job.result.deleted).toEqual({ count: 450, bytes: 0 });
    const batches = await auditOf(other, 'recordings.deleted');
    expect(batches.map((b: { details: { count: number } }) => b.details.count)).toEqual([50, 200, 200]);
    expect(await callIds(t, tenantB)).toEqual([ids.theirs]);
    const [{ n }] = await t.dataSource.query('SELECT COUNT(*) AS n FROM call_tags WHERE tenantId = ?', [tenantB]);
    expect(Number(n)).toBe(0);
  });

  it('never deletes a held call, even when asked by id, and retries objects storage failed to remove', async () => {
    const deleter = t.app.get(CallDeleter);
    const vault = t.app.get(RecordingVault);
    const failing = jest.spyOn(vault, 'remove').mockRejectedValueOnce(new Error('storage unreachable'));
    const batch = await deleter.deleteCalls(tenantId, [ids.old1, ids.later], 'deletion-tool');
    failing.mockRestore();
    expect(batch).toEqual({ count: 1, bytes: 1000, heldKept: 1 });
    expect(await callIds(t, tenantId)).toContain(ids.old1);
    expect(await callIds(t, tenantId)).not.toContain(ids.later);
    // The row is gone, the object waits in the pending table with the reason; the sweep removes it.
    expect(await objectKeys(t, tenantId)).toContain(keys.later);
    const pending = await t.dataSource.query('SELECT storageKey, attempts, lastError FROM pending_object_deletions');
    expect(pending).toEqual([{ storageKey: keys.later, attempts: 1, lastError: 'storage unreachable' }]);
    expect(await deleter.retryPendingObjects(0)).toBe(1);
    expect(await objectKeys(t, tenantId)).not.toContain(keys.later);
    expect(await t.dataSource.query('SELECT id FROM pending_object_deletions')).toEqual([]);
  });
});
