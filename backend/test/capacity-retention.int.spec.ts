import { join } from 'node:path';
import { Job } from '../src/core/jobs/job.entity';
import { SETTING, SystemSettingsService } from '../src/core/setup/system-settings.service';
import { tone, wavFile } from '../src/platform/transcoder/testing/signals';
import { RecordingPolicy } from '../src/products/recordings/policy/recording-policy.entity';
import { RecordingPolicyService } from '../src/products/recordings/policy/recording-policy.service';
import { RetentionScheduler } from '../src/products/recordings/retention/retention.scheduler';
import { zonedToUtc } from '../src/products/recordings/search/zoned-time';
import { HttpClient } from './support/http-client';
import { uploadCall } from './support/ingest-upload';
import { storeTestRecording } from './support/recording-seed';
import { s3StorageSettings, startS3Server, TestS3Server } from './support/s3-server';
import { startSmtpProcess, subjectOf, TestSmtpServer } from './support/smtp-server-process';
import { callIds, eventually, loginAs, objectKeys, seedEach, settledJob } from './support/store-probes';
import { ADMIN, completeSetup, startTestApp, TestApp } from './support/test-app';
import { testDatabases } from './support/test-databases';

const audio = wavFile('mulaw', 8000, [tone(440, 8000, 3), tone(1250, 8000, 3)]);
const DAY = 24 * 3600 * 1000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const fmt = (n: number) => n.toLocaleString('en-US');
const B_ADMIN = { email: 'b@example.jp', displayName: 'B', password: 'Tenant-Adm1n!' };

const cases = testDatabases().flatMap((db) =>
  (['local', 's3'] as const).map((driver) => ({ db, driver, name: `${db.name}/${driver}` })),
);

describe.each(cases)('capacity rotation on $name', ({ db, driver }) => {
  let t: TestApp;
  let admin: HttpClient;
  let s3: TestS3Server | undefined;
  let key: string;
  let tenantId: string;

  beforeAll(async () => {
    t = await startTestApp(db);
    admin = await completeSetup(t, 'multi');
    if (driver === 's3') {
      s3 = await startS3Server();
      await t.app.get(SystemSettingsService).set(SETTING.storage, s3StorageSettings(s3));
    }
    key = (await admin.post('/api/v1/api-keys', { name: 'capture' })).body.key;
    tenantId = (await admin.get('/api/v1/auth/me')).body.tenant.id;
  });
  afterAll(async () => {
    await t?.close();
    await s3?.stop();
  });

  it('deletes the oldest calls not on hold, just enough for the new one, rows and objects', async () => {
    const first = await uploadCall(t, key, 'live-1', audio, { startedAt: ago(0.1) });
    expect(first.status).toBe(201);
    const x: number = first.body.bytes;
    const [held, oldest, older, old] = await seedEach(
      t,
      tenantId,
      ['2025-01-01', '2025-01-02', '2025-01-03', '2025-01-04'].map((day, i) => ({
        caller: `03-1111-000${i}`,
        callee: '201',
        startedAt: `${day}T00:00:00Z`,
        legalHold: i === 0,
      })),
    );
    const recordings = [];
    for (const c of [held, oldest, older, old]) {
      recordings.push(await storeTestRecording(t, tenantId, c.id, Buffer.alloc(10_000, 1)));
    }
    // The next upload needs 15,000 bytes freed: two 10,000-byte calls, the oldest ones not on hold.
    const capacity = x + 40_000 + x - 15_000;
    await t.app.get(RecordingPolicyService).setForTenant(tenantId, { capacityBytes: capacity, whenFull: 'rotate' });
    const objectsBefore = await objectKeys(t, tenantId);

    const second = await uploadCall(t, key, 'live-2', audio, { startedAt: ago(0.05) });
    expect(second.status).toBe(201);
    expect((await callIds(t, tenantId)).sort()).toEqual(
      [held.id, old.id, first.body.callId, second.body.callId].sort(),
    );
    const gone = [recordings[1].storageKey, recordings[2].storageKey];
    const after = await objectKeys(t, tenantId);
    expect(after.filter((k) => gone.includes(k))).toEqual([]);
    expect(after).toHaveLength(objectsBefore.length - 2 + 1);
    const usage = (await admin.get('/api/v1/recordings/usage')).body;
    expect(usage).toMatchObject({ count: 4, bytes: x + 20_000 + x, capacityBytes: capacity });
    expect(usage.bytes).toBeLessThanOrEqual(capacity);
    const [{ n }] = await t.dataSource.query('SELECT COUNT(*) AS n FROM pending_object_deletions');
    expect(Number(n)).toBe(0);
    const audit = (await admin.get('/api/v1/audit?action=recordings.deleted')).body.items;
    const details = JSON.parse(audit[0].details);
    expect(details).toMatchObject({ reason: 'capacity.rotate', count: 2, bytes: 20_000, heldKept: 0 });
    expect([...details.callIds].sort()).toEqual([oldest.id, older.id].sort());
  });

  it('refuses like reject when calls on hold alone fill the store, and deletes nothing', async () => {
    for (const id of await callIds(t, tenantId)) {
      expect((await admin.patch(`/api/v1/calls/${id}`, { legalHold: true })).status).toBe(204);
    }
    const used: number = (await admin.get('/api/v1/recordings/usage')).body.bytes;
    await t.app.get(RecordingPolicyService).setForTenant(tenantId, { capacityBytes: used + 100 });
    const [callsBefore, objectsBefore] = [await callIds(t, tenantId), await objectKeys(t, tenantId)];
    const refused = await uploadCall(t, key, 'live-3', audio, { startedAt: ago(0.01) });
    expect(refused.status).toBe(507);
    expect(refused.body.message).toContain(`${fmt(used)} of ${fmt(used + 100)} bytes used`);
    expect(refused.body.message).toContain('legal hold');
    expect(refused.body).toMatchObject({ usedBytes: used, capacityBytes: used + 100, heldBytes: used });
    expect((await callIds(t, tenantId)).sort()).toEqual(callsBefore.sort());
    expect(await objectKeys(t, tenantId)).toEqual(objectsBefore);
    // The running total the check reads agrees with the recordings themselves.
    const [counter] = await t.dataSource.query('SELECT usedBytes FROM recording_usage WHERE tenantId = ?', [tenantId]);
    expect(Number(counter.usedBytes)).toBe(used);
  });

  it('rotates a tenant back under a shrunk plan in the sweep, oldest first', async () => {
    const rows: Array<{ id: string; bytes: number }> = (
      await t.dataSource.query(
        'SELECT c.id, r.bytes FROM calls c JOIN recordings r ON r.callId = c.id WHERE c.tenantId = ? ORDER BY c.startedAt, c.id',
        [tenantId],
      )
    ).map((r: { id: string; bytes: string | number }) => ({ id: r.id, bytes: Number(r.bytes) }));
    // The oldest call is on hold: the sweep passes over it.
    const held = rows[0].id;
    for (const r of rows) await admin.patch(`/api/v1/calls/${r.id}`, { legalHold: r.id === held });
    const used = rows.reduce((sum, r) => sum + r.bytes, 0);
    const heldBytes = rows.find((r) => r.id === held)?.bytes ?? 0;
    // Room for the held call and the newest one only.
    const newest = rows[rows.length - 1];
    const capacity = heldBytes + newest.bytes;
    await t.app.get(RecordingPolicyService).setForTenant(tenantId, { capacityBytes: capacity, whenFull: 'rotate' });
    const run = await admin.post('/api/v1/recordings/retention/run');
    const job = await settledJob(admin, run.body.id);
    expect(job.result.capacity).toMatchObject({
      capacityBytes: capacity,
      usedBytes: capacity,
      rotated: { count: rows.length - 2, bytes: used - capacity },
      alerted: false,
    });
    expect((await callIds(t, tenantId)).sort()).toEqual([held, newest.id].sort());
  });
});

describe.each(testDatabases())('capacity alerts, retention and usage on $name', (db) => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let admin: HttpClient;
  let other: HttpClient;
  let operator: HttpClient;
  let auditor: HttpClient;
  let supervisor: HttpClient;
  let key: string;
  let tenantId: string;
  let tenantB: string;

  /** The wizard, with its mail step pointing at the SMTP server process. */
  async function setupWithMail(): Promise<HttpClient> {
    const c = t.client();
    const steps: Array<[string, string, unknown]> = [
      ['POST', '/api/setup/admin', ADMIN],
      [
        'PUT',
        '/api/setup/organization',
        { organizationName: '株式会社テスト', deploymentMode: 'multi', products: ['flexlog'] },
      ],
      ['PUT', '/api/setup/storage', { driver: 'local', localPath: join(t.dataDir, 'recordings') }],
      ['PUT', '/api/setup/encryption', { mode: 'local' }],
      ['PUT', '/api/setup/mail', { host: '127.0.0.1', port: smtp.port, secure: false, from: 'recorder@example.jp' }],
      ['POST', '/api/setup/complete', {}],
    ];
    for (const [method, path, body] of steps) {
      const res = await c.request(method, path, body);
      if (res.status >= 300) throw new Error(`${path}: ${res.status} ${res.text}`);
    }
    return c;
  }

  beforeAll(async () => {
    smtp = await startSmtpProcess();
    t = await startTestApp(db);
    admin = await setupWithMail();
    tenantId = (await admin.get('/api/v1/auth/me')).body.tenant.id;
    key = (await admin.post('/api/v1/api-keys', { name: 'capture' })).body.key;
    await loginAs(t, admin, 'admin2@example.jp', ['tenantAdmin']);
    operator = await loginAs(t, admin, 'op@example.jp', ['operator']);
    auditor = await loginAs(t, admin, 'audit@example.jp', ['auditor']);
    supervisor = await loginAs(t, admin, 'super@example.jp', ['supervisor']);
    tenantB = (await admin.post('/api/v1/tenants', { name: 'B', products: ['flexlog'], admin: B_ADMIN })).body.tenant
      .id;
    other = t.client();
    await other.post('/api/v1/auth/login', { email: B_ADMIN.email, password: B_ADMIN.password });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
  });

  it('rejects with 507 naming used and capacity, stores nothing, and mails each tenant admin once a day', async () => {
    const first = await uploadCall(t, key, 'r-1', audio, { startedAt: ago(0.1) });
    expect(first.status).toBe(201);
    const x: number = first.body.bytes;
    const capacity = Math.floor(x * 1.5);
    await t.app.get(RecordingPolicyService).setForTenant(tenantId, { capacityBytes: capacity, whenFull: 'reject' });
    const [callsBefore, objectsBefore] = [await callIds(t, tenantId), await objectKeys(t, tenantId)];

    const refused = await uploadCall(t, key, 'r-2', audio, { startedAt: ago(0.05) });
    expect(refused.status).toBe(507);
    expect(refused.body.message).toContain(`${fmt(x)} of ${fmt(capacity)} bytes used`);
    expect(refused.body.message).toContain(`needs ${fmt(x)} more`);
    expect(refused.body).toMatchObject({ usedBytes: x, capacityBytes: capacity, neededBytes: x });
    expect(await callIds(t, tenantId)).toEqual(callsBefore);
    expect(await objectKeys(t, tenantId)).toEqual(objectsBefore);

    for (const to of [ADMIN.email, 'admin2@example.jp']) {
      const mail = await smtp.waitFor((m) => m.to.includes(to));
      expect(mail.to).toEqual([to]);
      expect(mail.from).toBe('recorder@example.jp');
      expect(subjectOf(mail.raw)).toBe('[通話録音] 録音容量が上限に達しました / recording capacity full');
    }
    const alerted = await eventually(async () => {
      const items = (await admin.get('/api/v1/audit?action=recordings.capacity.alerted')).body.items;
      return items.length ? items : undefined;
    }, 'the alert audit entry');
    const details = JSON.parse(alerted[0].details);
    expect(details).toMatchObject({ usedBytes: x, capacityBytes: capacity, failed: [] });
    expect([...details.mailed].sort()).toEqual(['admin2@example.jp', ADMIN.email].sort());

    // More refusals the same day: no more mail. A day later: one more round.
    expect((await uploadCall(t, key, 'r-3', audio, { startedAt: ago(0.04) })).status).toBe(507);
    await new Promise((r) => setTimeout(r, 500));
    expect(smtp.received).toHaveLength(2);
    expect(smtp.received.flatMap((m) => m.to)).not.toContain('op@example.jp');
    expect(smtp.received.flatMap((m) => m.to)).not.toContain(B_ADMIN.email);
    await t.dataSource
      .getRepository(RecordingPolicy)
      .update({ tenantId }, { capacityAlertedAt: new Date(Date.now() - 25 * 3600 * 1000) });
    expect((await uploadCall(t, key, 'r-4', audio, { startedAt: ago(0.03) })).status).toBe(507);
    await eventually(async () => (smtp.received.length === 4 ? true : undefined), 'the next day’s alerts');
    await t.app.get(RecordingPolicyService).setForTenant(tenantId, { capacityBytes: null });
  });

  it('deletes calls older than the retention of their source, the override winning, never a held one', async () => {
    const seeded = await seedEach(t, tenantId, [
      { caller: '0311112201', callee: '201', startedAt: ago(45), source: 'flexlog' },
      { caller: '0311112202', callee: '201', startedAt: ago(45), source: 'flexlog', legalHold: true },
      { caller: '0311112203', callee: '201', startedAt: ago(5), source: 'flexlog' },
      { caller: '0311112204', callee: '201', startedAt: ago(10), source: 'flexdplayer' },
      { caller: '0311112205', callee: '201', startedAt: ago(100), source: 'flexdplayer' },
      { caller: '0311112206', callee: '201', startedAt: ago(40), source: 'upload' },
    ]);
    for (const c of seeded) await storeTestRecording(t, tenantId, c.id, Buffer.alloc(1000, 2));
    const [expired, held, recent, player10, player100, upload40] = seeded.map((c) => c.id);
    const set = await admin.patch('/api/v1/recordings/policy', {
      retentionDays: 30,
      retentionBySource: { flexdplayer: 7, upload: 60 },
    });
    expect(set.status).toBe(200);

    const started = await admin.post('/api/v1/recordings/retention/run');
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ kind: 'retention', status: 'queued', params: { trigger: 'manual' } });
    const job = await settledJob(admin, started.body.id);
    expect(job.status).toBe('succeeded');
    const bySource = Object.fromEntries(job.result.retention.map((r: { source: string }) => [r.source, r]));
    expect(bySource.flexlog).toMatchObject({ retentionDays: 30, deleted: { count: 1, bytes: 1000 }, heldKept: 1 });
    expect(bySource.flexdplayer).toMatchObject({ retentionDays: 7, deleted: { count: 2, bytes: 2000 }, heldKept: 0 });
    expect(bySource.upload).toMatchObject({ retentionDays: 60, deleted: { count: 0, bytes: 0 } });
    const left = await callIds(t, tenantId);
    expect(left).toEqual(expect.arrayContaining([held, recent, upload40]));
    for (const id of [expired, player10, player100]) expect(left).not.toContain(id);
    const audit = (await admin.get('/api/v1/audit?action=recordings.deleted')).body.items;
    expect(audit.map((a: { details: string }) => JSON.parse(a.details).reason)).toEqual(['retention', 'retention']);
  });

  it('lets tenant admins alone run the sweep, each for their own tenant', async () => {
    for (const c of [operator, auditor, supervisor]) {
      expect((await c.post('/api/v1/recordings/retention/run')).status).toBe(403);
    }
    const before = await callIds(t, tenantId);
    const theirs = await other.post('/api/v1/recordings/retention/run');
    expect(theirs.status).toBe(202);
    expect((await settledJob(other, theirs.body.id)).status).toBe('succeeded');
    expect((await admin.get(`/api/v1/jobs/${theirs.body.id}`)).status).toBe(404);
    const [mine] = (await admin.get('/api/v1/jobs?kind=retention')).body;
    expect((await other.get(`/api/v1/jobs/${mine.id}`)).status).toBe(404);
    expect(await callIds(t, tenantId)).toEqual(before);
  });

  it('schedules one sweep an hour for each tenant with a policy', async () => {
    await other.patch('/api/v1/recordings/policy', { retentionDays: 3650 });
    // Tenant B was swept on demand a moment ago: the hourly tick leaves it alone, as it does tenant A.
    const scheduler = t.app.get(RetentionScheduler);
    const scheduled = async (c: HttpClient) =>
      (await c.get('/api/v1/jobs?kind=retention')).body.filter((j: { createdBy: string | null }) => !j.createdBy);
    await scheduler.tick();
    expect(await scheduled(admin)).toEqual([]);
    expect(await scheduled(other)).toEqual([]);
    // Two hours later both are due, once each however often the timer fires.
    await t.dataSource
      .getRepository(Job)
      .update({ kind: 'retention' }, { createdAt: new Date(Date.now() - 2 * 3600 * 1000) });
    await Promise.all([scheduler.tick(), scheduler.tick()]);
    await scheduler.tick();
    for (const c of [admin, other]) {
      const jobs = await scheduled(c);
      expect(jobs).toHaveLength(1);
      expect(jobs[0].params).toEqual({ trigger: 'schedule' });
      expect((await settledJob(c, jobs[0].id)).status).toBe('succeeded');
    }
  });

  it('reports usage by month and source, holds, and the day the capacity is reached', async () => {
    // Tenant B: 1,000 bytes stored at noon (Tokyo) on each of the last 30 days, one call on hold.
    const localDay = (offset: number) =>
      new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(new Date(Date.now() + offset * DAY));
    const days = Array.from({ length: 30 }, (_, i) => localDay(i - 30));
    const calls = await seedEach(
      t,
      tenantB,
      days.map((day, i) => ({
        caller: '0311113300',
        callee: '201',
        startedAt: zonedToUtc(`${day}T11:00`, 'Asia/Tokyo').toISOString(),
        source: 'upload',
        legalHold: i === 0,
      })),
    );
    for (const [i, c] of calls.entries()) {
      await storeTestRecording(t, tenantB, c.id, Buffer.alloc(1000, 3), {
        createdAt: zonedToUtc(`${days[i]}T12:00`, 'Asia/Tokyo'),
      });
    }
    await t.app.get(RecordingPolicyService).setForTenant(tenantB, { capacityBytes: 40_000 });

    const res = await other.get('/api/v1/recordings/usage');
    expect(res.status).toBe(200);
    const u = res.body;
    expect(u).toMatchObject({ count: 30, bytes: 30_000, capacityBytes: 40_000, percent: 75, whenFull: 'reject' });
    expect(u.storedBytes).toBeGreaterThan(30_000); // ciphertext carries headers and tags
    expect(u.held).toEqual({ count: 1, bytes: 1000 });
    expect(u.bySource).toEqual([
      { source: 'flexlog', count: 0, bytes: 0 },
      { source: 'flexdplayer', count: 0, bytes: 0 },
      { source: 'upload', count: 30, bytes: 30_000 },
    ]);
    expect(u.months).toHaveLength(12);
    expect(u.months[11].month).toBe(localDay(0).slice(0, 7));
    const perMonth = new Map<string, number>();
    for (const day of days) perMonth.set(day.slice(0, 7), (perMonth.get(day.slice(0, 7)) ?? 0) + 1);
    for (const m of u.months) {
      expect(m.count).toBe(perMonth.get(m.month) ?? 0);
      expect(m.bytes).toBe((perMonth.get(m.month) ?? 0) * 1000);
    }
    // 1,000 a day with 10,000 bytes free: full at the end of the tenth day counting today.
    expect(u.forecast).toMatchObject({ daysUntilFull: 9, fullOn: localDay(9), basisDays: 30 });
    expect(u.forecast.bytesPerDay).toBeCloseTo(1000, 6);

    // Tenant A's numbers are its own; auditors may read them, operators and supervisors may not.
    const mine = (await auditor.get('/api/v1/recordings/usage')).body;
    expect(mine.bySource.find((s: { source: string }) => s.source === 'upload').count).toBe(1);
    expect(mine.capacityBytes).toBeNull();
    expect(mine.forecast.fullOn).toBeNull();
    expect((await operator.get('/api/v1/recordings/usage')).status).toBe(403);
    expect((await supervisor.get('/api/v1/recordings/usage')).status).toBe(403);
    expect((await t.client().get('/api/v1/recordings/usage')).status).toBe(401);
  });
});
