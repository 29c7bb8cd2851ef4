import { JobsService } from '../src/core/jobs/jobs.service';
import { RequestContext } from '../src/core/tenancy/request-context';
import { completeSetup, startTestApp, TestApp } from './support/test-app';
import { HttpClient } from './support/http-client';
import { seedCalls } from './support/call-seed';
import { testDatabases } from './support/test-databases';
import { storeTestRecording } from './support/recording-seed';
import { uploadCall } from './support/ingest-upload';
import { glide, wavFile } from '../src/platform/transcoder/testing/signals';

describe.each(testDatabases())('recording policy and jobs on $name', (db) => {
  let t: TestApp;
  let admin: HttpClient;
  let operator: HttpClient;
  let auditor: HttpClient;
  let other: HttpClient;
  let tenantId: string;
  let callId: string;

  const login = async (email: string, roles: string[]) => {
    await admin.post('/api/v1/users', { email, displayName: email, roles, password: 'Us3r-Passw0rd!' });
    const c = t.client();
    await c.post('/api/v1/auth/login', { email, password: 'Us3r-Passw0rd!' });
    return c;
  };

  beforeAll(async () => {
    t = await startTestApp(db);
    admin = await completeSetup(t, 'multi');
    tenantId = (await admin.get('/api/v1/auth/me')).body.tenant.id;
    operator = await login('op@example.jp', ['operator']);
    auditor = await login('audit@example.jp', ['auditor']);
    await admin.post('/api/v1/tenants', {
      name: 'B',
      products: ['flexlog'],
      admin: { email: 'b@example.jp', displayName: 'B', password: 'Tenant-Adm1n!' },
    });
    other = t.client();
    await other.post('/api/v1/auth/login', { email: 'b@example.jp', password: 'Tenant-Adm1n!' });
    const [call] = await seedCalls(t.dataSource, tenantId, [
      { caller: '03-1234-5678', callee: '201', startedAt: '2026-11-01T00:00:00Z' },
    ]);
    callId = call.id;
    await storeTestRecording(t, tenantId, callId, Buffer.alloc(5000, 7));
  });
  afterAll(async () => t?.close());

  it('answers the defaults to tenant admins and auditors, nothing to operators', async () => {
    const res = await admin.get('/api/v1/recordings/policy');
    expect(res.body).toEqual({
      capacityBytes: null,
      whenFull: 'reject',
      retentionDays: null,
      retentionBySource: {},
      operatorsSeeOwnCallsOnly: true,
      shareLinkMaxHours: 168,
      audioQuality: 'telephone',
    });
    expect((await auditor.get('/api/v1/recordings/policy')).status).toBe(200);
    expect((await operator.get('/api/v1/recordings/policy')).status).toBe(403);
    expect((await auditor.patch('/api/v1/recordings/policy', { retentionDays: 30 })).status).toBe(403);
  });

  it('names the field of a bad change and keeps the policy as it was', async () => {
    for (const [body, field] of [
      [{ whenFull: 'explode' }, 'whenFull'],
      [{ retentionDays: 0 }, 'retentionDays'],
      [{ retentionBySource: { upload: -1 } }, 'retentionBySource'],
      [{ shareLinkMaxHours: 24 * 8 }, 'shareLinkMaxHours'],
      [{ audioQuality: 'cd' }, 'audioQuality'],
      [{ somethingElse: 1 }, 'somethingElse'],
    ] as const) {
      const res = await admin.patch('/api/v1/recordings/policy', body);
      expect(res.status).toBe(400);
      expect(res.text).toContain(field);
    }
    expect((await admin.get('/api/v1/recordings/policy')).body.retentionDays).toBeNull();
  });

  it('leaves the capacity to the contract in the hosted service', async () => {
    const res = await other.patch('/api/v1/recordings/policy', { capacityBytes: 10 ** 12 });
    expect(res.status).toBe(403);
    expect(res.text).toContain('capacityBytes');
  });

  it("changes one tenant's policy only, audited", async () => {
    const changed = await other.patch('/api/v1/recordings/policy', {
      retentionDays: 90,
      retentionBySource: { flexdplayer: 30 },
      shareLinkMaxHours: 1,
    });
    expect(changed.body).toMatchObject({
      retentionDays: 90,
      retentionBySource: { flexdplayer: 30 },
      shareLinkMaxHours: 1,
    });
    expect((await admin.get('/api/v1/recordings/policy')).body).toMatchObject({
      retentionDays: null,
      shareLinkMaxHours: 168,
    });
    const audit = await other.get('/api/v1/audit?limit=5');
    expect(audit.body.items[0]).toMatchObject({ action: 'recordings.policy.changed' });
  });

  it('lets operators see every call only when the tenant allows it', async () => {
    expect((await operator.get('/api/v1/calls')).body.items).toHaveLength(0);
    expect((await operator.get(`/api/v1/calls/${callId}/peaks`)).status).toBe(404);
    await admin.patch('/api/v1/recordings/policy', { operatorsSeeOwnCallsOnly: false });
    expect((await operator.get('/api/v1/calls')).body.items.map((c: { id: string }) => c.id)).toEqual([callId]);
    expect((await operator.get(`/api/v1/calls/${callId}/peaks`)).status).toBe(200);
    expect((await other.get(`/api/v1/calls/${callId}/peaks`)).status).toBe(404);
    await admin.patch('/api/v1/recordings/policy', { operatorsSeeOwnCallsOnly: true });
    expect((await operator.get(`/api/v1/calls/${callId}/peaks`)).status).toBe(404);
  });

  it('caps share links at the tenant maximum', async () => {
    await admin.patch('/api/v1/recordings/policy', { shareLinkMaxHours: 2 });
    const tooLong = await admin.post(`/api/v1/calls/${callId}/share`, { expiresInHours: 3 });
    expect(tooLong.status).toBe(400);
    expect(tooLong.text).toContain('expiresInHours');
    expect((await admin.post(`/api/v1/calls/${callId}/share`, { expiresInHours: 2 })).status).toBe(201);
  });

  // Last of the plain tests: the calls it uploads would change the call counts above.
  it('keeps wideband audio for a tenant that asks for it, telephone quality otherwise', async () => {
    const key = (await admin.post('/api/v1/api-keys', { name: 'quality' })).body.key;
    // HD voice: speech-like glides up to 6 kHz, which narrowband storage cuts away.
    const hd = wavFile('pcm16', 16000, [glide(300, 6000, 16000, 20)]);
    const sizeOf = async (id: string) => {
      const res = await uploadCall(t, key, id, hd);
      expect(res.status).toBe(201);
      return res.body.bytes as number;
    };
    const telephone = await sizeOf('quality-telephone');
    expect((await admin.patch('/api/v1/recordings/policy', { audioQuality: 'wideband' })).body.audioQuality).toBe(
      'wideband',
    );
    const wideband = await sizeOf('quality-wideband');
    await admin.patch('/api/v1/recordings/policy', { audioQuality: 'telephone' });
    // 16 against 7 kbit/s per channel.
    expect(wideband / telephone).toBeGreaterThan(1.6);
    expect(wideband / telephone).toBeLessThan(3);
  });

  describe('jobs', () => {
    let jobId: string;
    let failedId: string;

    beforeAll(async () => {
      const jobs = t.app.get(JobsService);
      jobs.register<{ n: number }, { doubled: number }>('test.double', async (run) => {
        await run.progress(50, 'halfway');
        return { doubled: run.params.n * 2 };
      });
      jobs.register('test.fail', async () => {
        throw new Error('the disk caught fire');
      });
      const context = t.app.get(RequestContext);
      jobId = (await context.runAsTenant(tenantId, () => jobs.start('test.double', { n: 21 }))).id;
      failedId = (await context.runAsTenant(tenantId, () => jobs.start('test.fail', {}))).id;
      await jobs.settled(jobId);
      await jobs.settled(failedId);
    });

    it('reports the result or the error of a job to its tenant', async () => {
      const done = await admin.get(`/api/v1/jobs/${jobId}`);
      expect(done.body).toMatchObject({
        status: 'succeeded',
        progress: 100,
        result: { doubled: 42 },
        params: { n: 21 },
      });
      const failed = await auditor.get(`/api/v1/jobs/${failedId}`);
      expect(failed.body).toMatchObject({ status: 'failed', error: 'the disk caught fire' });
      expect((await admin.get('/api/v1/jobs?kind=test.double')).body.map((j: { id: string }) => j.id)).toEqual([jobId]);
    });

    it("shows nobody else's jobs: other tenants get 404, operators only their own", async () => {
      expect((await other.get(`/api/v1/jobs/${jobId}`)).status).toBe(404);
      expect((await other.get('/api/v1/jobs')).body).toEqual([]);
      expect((await operator.get(`/api/v1/jobs/${jobId}`)).status).toBe(404);
      expect((await operator.get('/api/v1/jobs')).body).toEqual([]);
      expect((await admin.get('/api/v1/jobs/not-a-uuid')).status).toBe(400);
    });
  });
});
