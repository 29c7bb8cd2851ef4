import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MasterKeyRotation } from '../src/core/setup/master-key-rotation';
import { SystemSettingsService } from '../src/core/setup/system-settings.service';
import { tone, wavFile } from '../src/platform/transcoder/testing/signals';
import { Recording } from '../src/products/recordings/recording.entity';
import { RecordingVault } from '../src/products/recordings/vault/recording-vault';
import { keyFingerprint } from '../src/products/recordings/evidence/evidence-format';
import { verifyEvidenceZip } from '../src/products/recordings/evidence/evidence-verifier';
import { runEvidenceVerifyCli } from '../src/products/recordings/evidence/evidence-verify-cli';
import { flipByteOf, readEntries, writeEntries } from '../src/products/recordings/evidence/testing/evidence-zips';
import { seedCalls } from './support/call-seed';
import { HttpClient } from './support/http-client';
import { completeSetup, startTestApp, TestApp } from './support/test-app';
import { testDatabases } from './support/test-databases';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const wav = wavFile('mulaw', 8000, [tone(440, 8000, 2), tone(1250, 8000, 2)]);
const NUMBER = '03-1234-5678';

describe.each(testDatabases())('evidence export on $name', (db) => {
  let t: TestApp;
  let admin: HttpClient;
  let supervisor: HttpClient;
  let auditor: HttpClient;
  let operator: HttpClient;
  let other: HttpClient;
  let tenantId: string;
  let dir: string;
  /** Calls of tenant A: [0] caller NUMBER with audio, [1] callee NUMBER with audio, [2] another number, no audio. */
  const callIds: string[] = [];
  let otherTenantCallId: string;

  const cookie = (c: HttpClient) => ({ cookie: `access_token=${c.cookie('access_token')}` });
  const login = async (email: string, password: string) => {
    const c = t.client();
    expect((await c.post('/api/v1/auth/login', { email, password })).status).toBe(200);
    return c;
  };
  const user = async (role: string) => {
    const email = `${role}@example.jp`;
    await admin.post('/api/v1/users', { email, displayName: role, roles: [role], password: 'Evid3nce-Pass!' });
    return login(email, 'Evid3nce-Pass!');
  };
  const ingest = async (caller: string, callee: string, startedAt: string) => {
    const form = new FormData();
    const metadata = {
      clientRecordingId: `ev-${startedAt}`,
      source: 'flexlog',
      direction: 'inbound',
      caller: { number: caller },
      callee: { number: callee },
      startedAt,
      disposition: 'answered',
      sha256: sha(wav),
      tags: ['証拠'],
    };
    form.append('metadata', JSON.stringify(metadata));
    form.append('audio', new Blob([new Uint8Array(wav)], { type: 'audio/wav' }), 'call.wav');
    const res = await fetch(`${t.baseUrl}/api/v1/ingest/calls`, { method: 'POST', headers: cookie(admin), body: form });
    expect(res.status).toBe(201);
    return ((await res.json()) as { callId: string }).callId;
  };
  /** Starts an export and waits for its job; answers the finished job view. */
  const exportAs = async (c: HttpClient, body: unknown) => {
    const started = await c.post('/api/v1/evidence/exports', body);
    expect(started.status).toBe(202);
    for (let i = 0; i < 300; i++) {
      const job = (await c.get(`/api/v1/jobs/${started.body.id}`)).body;
      if (job.status === 'succeeded' || job.status === 'failed') return job;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('export did not finish');
  };
  const download = async (c: HttpClient, jobId: string) => {
    const res = await fetch(`${t.baseUrl}/api/v1/evidence/exports/${jobId}/download`, { headers: cookie(c) });
    return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
  };
  const verifyUpload = async (c: HttpClient, zip: Buffer, field = 'file') => {
    const form = new FormData();
    form.append(field, new Blob([new Uint8Array(zip)], { type: 'application/zip' }), 'export.zip');
    const res = await fetch(`${t.baseUrl}/api/v1/evidence/verify`, { method: 'POST', headers: cookie(c), body: form });
    return { status: res.status, body: await res.json() };
  };
  const saved = (name: string, data: Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, data);
    return path;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'evidence-int-'));
    t = await startTestApp(db);
    admin = await completeSetup(t, 'multi');
    tenantId = (await admin.get('/api/v1/auth/me')).body.tenant.id;
    supervisor = await user('supervisor');
    auditor = await user('auditor');
    operator = await user('operator');
    callIds.push(await ingest(NUMBER, '201', '2026-11-01T01:00:00.000Z'));
    callIds.push(await ingest('202', '0312345678', '2026-11-02T01:00:00.000Z'));
    const [silent] = await seedCalls(t.dataSource, tenantId, [
      { caller: '06-6000-1111', callee: '203', startedAt: '2026-11-03T01:00:00Z', notes: '=HYPERLINK("x")' },
    ]);
    callIds.push(silent.id);
    const b = await admin.post('/api/v1/tenants', {
      name: 'B社',
      products: ['flexlog'],
      admin: { email: 'b@example.jp', displayName: 'B', password: 'Tenant-Adm1n!' },
    });
    const [bCall] = await seedCalls(t.dataSource, b.body.tenant.id, [
      { caller: NUMBER, callee: '301', startedAt: '2026-11-01T02:00:00Z' },
    ]);
    otherTenantCallId = bCall.id;
    other = await login('b@example.jp', 'Tenant-Adm1n!');
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes the signing key without a login, the same key every time', async () => {
    const a = await t.client().get('/api/v1/evidence/public-key');
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ algorithm: 'Ed25519', publicKeyPem: expect.stringContaining('BEGIN PUBLIC KEY') });
    expect(a.body.fingerprint).toBe(keyFingerprint(a.body.publicKeyPem));
    const pem = await t.client().get('/api/v1/evidence/public-key?format=pem');
    expect(pem.headers.get('content-type')).toContain('application/x-pem-file');
    expect(pem.text).toBe(a.body.publicKeyPem);
    // The private half is a sealed secret in the settings, never stored in the clear.
    const rows = await t.dataSource.query("SELECT value FROM system_settings WHERE `key` = 'evidence.signingKey'");
    expect(rows[0].value).not.toContain('PRIVATE KEY');
  });

  it('exports every call of a number typed in another format, signed; the download verifies', async () => {
    const job = await exportAs(admin, { number: '+81 3-1234-5678' });
    expect(job).toMatchObject({ kind: 'evidence-export', status: 'succeeded', progress: 100 });
    expect(job.result).toMatchObject({ calls: 2, skipped: [] });
    const zip = await download(admin, job.id);
    expect(zip.status).toBe(200);
    expect(zip.headers.get('content-type')).toBe('application/zip');
    expect(sha(zip.body)).toBe(job.result.sha256);
    expect(zip.headers.get('x-content-sha256')).toBe(job.result.sha256);

    const path = saved('number.zip', zip.body);
    const key = (await t.client().get('/api/v1/evidence/public-key')).body.publicKeyPem;
    const report = await verifyEvidenceZip(path, { trustedPublicKey: key });
    expect(report).toMatchObject({ ok: true, keySource: 'trusted', problems: [] });
    expect(report.manifest).toMatchObject({ calls: 2, query: { number: '+81 3-1234-5678' } });

    const byName = new Map((await readEntries(path)).map((e) => [e.name, e.data]));
    const entry = (name: string) => byName.get(name) ?? Buffer.alloc(0);
    const manifest = JSON.parse(entry('manifest.json').toString());
    expect(manifest.exportedBy.email).toBe('admin@example.jp');
    expect(manifest.tenant.id).toBe(tenantId);
    for (const id of callIds.slice(0, 2)) {
      const audio = entry(`calls/${id}/audio.opus`);
      expect(audio.subarray(0, 4).toString()).toBe('OggS');
      const stored = await t.dataSource.getRepository(Recording).findOneByOrFail({ callId: id });
      // The manifest proves against the hash kept since ingest.
      expect(manifest.files.find((f: { path: string }) => f.path === `calls/${id}/audio.opus`).sha256).toBe(
        stored.sha256,
      );
      const metadata = JSON.parse(entry(`calls/${id}/metadata.json`).toString());
      expect(metadata).toMatchObject({ id, tags: ['証拠'], recordings: [{ sha256: stored.sha256 }] });
    }
    expect([...byName.keys()].some((n) => n.includes(otherTenantCallId))).toBe(false);
    const csv = entry('calls.csv').toString('utf8');
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(3);
  });

  it('flags one flipped byte, and a swapped manifest, naming the file (upload endpoint and CLI)', async () => {
    const job = await exportAs(supervisor, { callIds: [callIds[2], callIds[0]] });
    expect(job.result).toMatchObject({ calls: 2 });
    const zip = (await download(supervisor, job.id)).body;
    const intact = saved('ids.zip', zip);
    const untouched = await verifyUpload(auditor, zip);
    expect(untouched.status).toBe(200);
    expect(untouched.body).toMatchObject({ ok: true, problems: [], upload: { sha256: sha(zip) } });

    const flipped = saved('flipped.zip', zip);
    await flipByteOf(flipped, `calls/${callIds[0]}/audio.opus`);
    const bad = await verifyUpload(supervisor, readFileSync(flipped));
    expect(bad.body.ok).toBe(false);
    expect(bad.body.problems).toEqual([
      expect.objectContaining({ file: `calls/${callIds[0]}/audio.opus`, problem: 'changed' }),
    ]);

    // Another genuine export's manifest and signature do not fit these files.
    const second = (await download(admin, (await exportAs(admin, { callIds: [callIds[1]] })).id)).body;
    const theirs = (await readEntries(saved('second.zip', second))).filter((e) => e.name.startsWith('manifest'));
    const mine = (await readEntries(intact)).filter((e) => !e.name.startsWith('manifest'));
    const swapped = join(dir, 'swapped.zip');
    await writeEntries(swapped, [...mine, ...theirs]);
    const report = await verifyUpload(admin, readFileSync(swapped));
    expect(report.body.problems.map((p: { file: string; problem: string }) => `${p.problem} ${p.file}`)).toEqual(
      expect.arrayContaining([`added calls/${callIds[0]}/audio.opus`, `missing calls/${callIds[1]}/audio.opus`]),
    );

    // The CLI, as someone with only the ZIP and the appliance's key URL would run it.
    const lines: string[] = [];
    const log = { log: (l: string) => lines.push(l), error: (l: string) => lines.push(l) };
    const keyUrl = `${t.baseUrl}/api/v1/evidence/public-key`;
    expect(await runEvidenceVerifyCli([intact, '--public-key', keyUrl], log)).toBe(0);
    expect(await runEvidenceVerifyCli([flipped, '--public-key', keyUrl], log)).toBe(1);
    expect(lines.join('\n')).toContain(`calls/${callIds[0]}/audio.opus`);
  });

  it('refuses calls of another tenant (404), bad selections (400) and operators (403)', async () => {
    const post = (c: HttpClient, body: unknown) => c.post('/api/v1/evidence/exports', body);
    const foreign = await post(admin, { callIds: [callIds[0], otherTenantCallId] });
    expect(foreign.status).toBe(404);
    expect(foreign.body.message).toContain(otherTenantCallId);
    expect((await post(other, { callIds: [callIds[0]] })).status).toBe(404);
    expect((await post(operator, { callIds: [callIds[0]] })).status).toBe(403);
    expect((await t.client().post('/api/v1/evidence/exports', { number: NUMBER })).status).toBe(401);

    const fields = async (body: unknown) =>
      (await post(admin, body)).body.errors?.map((e: { field: string }) => e.field) ?? [];
    expect(await fields({})).toEqual(['callIds']);
    expect(await fields({ callIds: [callIds[0]], number: NUMBER })).toEqual(['number']);
    expect(await fields({ callIds: ['not-a-uuid'] })).toEqual(['callIds']);
    expect(await fields({ filter: { direction: 'sideways' } })).toEqual(['filter.direction']);
    expect(await fields({ filter: { from: 'yesterday' } })).toEqual(['filter.from']);
    // Checked by the search itself (no digits), still named as the request's field.
    expect(await fields({ filter: { number: '---' } })).toEqual(['filter.number']);
    expect(await fields({ number: '---' })).toEqual(['number']);
    expect(await fields({ number: 'anonymous' })).toEqual(['number']);
    expect(await fields({ callIds: Array.from({ length: 1001 }, () => crypto.randomUUID()) })).toEqual(['callIds']);
  });

  it('refuses a filter matching more calls than one export holds', async () => {
    const many = Array.from({ length: 2001 }, (_, i) => ({
      caller: '090-0000-0000',
      callee: '201',
      startedAt: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString(),
    }));
    const seeded = [];
    for (let i = 0; i < many.length; i += 500)
      seeded.push(...(await seedCalls(t.dataSource, tenantId, many.slice(i, i + 500))));
    const res = await admin.post('/api/v1/evidence/exports', { filter: { from: '2025-01-01', to: '2025-01-31' } });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'filter', message: expect.stringContaining('at most 2000') }]);
    // The same filter narrowed to the first minute (tenant time, end exclusive) fits.
    const job = await exportAs(auditor, { filter: { from: '2025-01-01T09:00', to: '2025-01-01T09:01' } });
    expect(job.result.calls).toBe(60);
    // The most explicit ids one request takes: they fit the job row and the audit entry on both databases.
    const most = await exportAs(admin, { callIds: seeded.slice(0, 1000).map((c) => c.id) });
    expect(most).toMatchObject({ status: 'succeeded', result: { calls: 1000, skipped: [] } });
    const audited = (await admin.get('/api/v1/audit?action=evidence.exported&limit=1')).body.items[0];
    expect(JSON.parse(audited.details).query.callIds).toHaveLength(1000);
  });

  it("lets admins and auditors fetch any export, others only their own, and no other tenant's", async () => {
    const job = await exportAs(admin, { callIds: [callIds[1]] });
    expect((await download(auditor, job.id)).status).toBe(200);
    expect((await download(supervisor, job.id)).status).toBe(404);
    expect((await download(other, job.id)).status).toBe(404);
    expect((await other.get(`/api/v1/jobs/${job.id}`)).status).toBe(404);
    expect((await download(operator, job.id)).status).toBe(403);
    expect((await download(admin, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('fails the export, audited, with nothing stored, when stored audio no longer matches its hash', async () => {
    const repo = t.dataSource.getRepository(Recording);
    const rec = await repo.findOneByOrFail({ callId: callIds[1] });
    await repo.update({ id: rec.id }, { sha256: '0'.repeat(64) });
    try {
      const job = await exportAs(admin, { callIds: [callIds[1]] });
      expect(job.status).toBe('failed');
      expect(job.error).toContain(`calls/${callIds[1]}/audio.opus`);
      expect((await download(admin, job.id)).status).toBe(409);
      const left: string[] = [];
      for await (const o of (await t.app.get(RecordingVault).objectStorage()).list(`tenants/${tenantId}/exports/`))
        left.push(o.key);
      expect(left.some((k) => k.includes(job.id))).toBe(false);
      const audit = (await admin.get('/api/v1/audit?limit=50')).body.items;
      expect(audit).toEqual(
        expect.arrayContaining([expect.objectContaining({ action: 'evidence.export.failed', target: job.id })]),
      );
    } finally {
      await repo.update({ id: rec.id }, { sha256: rec.sha256 });
    }
  });

  it('stores the ZIP encrypted, and audits exports, downloads and verifications', async () => {
    const job = await exportAs(admin, { callIds: [callIds[0]] });
    const zip = (await download(admin, job.id)).body;
    const storage = await t.app.get(RecordingVault).objectStorage();
    const stored: Buffer[] = [];
    for await (const chunk of await storage.get(job.result.stored.storageKey)) stored.push(chunk as Buffer);
    expect(Buffer.concat(stored).includes(zip.subarray(0, 64))).toBe(false);
    await verifyUpload(admin, zip);
    const items = (await admin.get('/api/v1/audit?limit=20')).body.items;
    const of = (action: string) => items.find((i: { action: string; target: string }) => i.action === action);
    expect(JSON.parse(of('evidence.exported').details)).toMatchObject({
      query: { callIds: [callIds[0]] },
      calls: 1,
      zipSha256: sha(zip),
    });
    expect(of('evidence.exported')).toMatchObject({ target: job.id, actorEmail: 'admin@example.jp' });
    expect(JSON.parse(of('evidence.downloaded').details)).toMatchObject({ zipSha256: sha(zip) });
    expect(JSON.parse(of('evidence.verified').details)).toMatchObject({ ok: true, uploadSha256: sha(zip) });
  });

  it('keeps the same key through a master-key rotation: the private half is re-sealed, not lost', async () => {
    const before = (await t.client().get('/api/v1/evidence/public-key')).body.fingerprint;
    await t.app.get(MasterKeyRotation).rotate();
    const [row] = await t.dataSource.query("SELECT value FROM system_settings WHERE `key` = 'evidence.signingKey'");
    expect(JSON.parse(row.value).privateKeyPem.sealed).toMatch(/^v2\./);
    const settings = t.app.get(SystemSettingsService);
    settings.forget('evidence.signingKey');
    const stored = await settings.get<{ privateKeyPem: string }>('evidence.signingKey');
    expect(keyFingerprint(createPublicKey(createPrivateKey(stored?.privateKeyPem ?? '')))).toBe(before);
  });

  it('checks uploads only from the roles that export, as multipart with one "file", keeping nothing', async () => {
    const zip = Buffer.from('PK not really');
    expect((await verifyUpload(operator, zip)).status).toBe(403);
    expect((await verifyUpload(other, zip)).body).toMatchObject({ ok: false });
    expect((await verifyUpload(admin, zip, 'zip')).body.errors).toEqual([
      { field: 'zip', message: 'unknown part (expected "file")' },
    ]);
    const json = await admin.post('/api/v1/evidence/verify', { file: 'x' });
    expect(json.status).toBe(415);
    const unauthenticated = await fetch(`${t.baseUrl}/api/v1/evidence/verify`, { method: 'POST' });
    expect(unauthenticated.status).toBe(401);
    const spool = join(t.dataDir, 'tmp');
    expect(existsSync(spool) ? readdirSync(spool) : []).toEqual([]);
  });
});
