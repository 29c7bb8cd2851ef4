import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Job } from '../src/core/jobs/job.entity';
import { JobsService } from '../src/core/jobs/jobs.service';
import { AuditService } from '../src/core/audit/audit.service';
import { TenantKey } from '../src/core/tenancy/tenant-key.entity';
import { TenantKeysService } from '../src/core/tenancy/tenant-keys.service';
import { KeyRing } from '../src/platform/crypto/key-ring';
import { createDecryptStream } from '../src/platform/crypto/chunked-cipher';
import { tenantPrefix } from '../src/platform/storage/object-storage';
import { RecordingVault } from '../src/products/recordings/vault/recording-vault';
import { addDays, daysInclusive } from '../src/vendor/billing/civil-date';
import { Contract } from '../src/vendor/billing/contract';
import { lateEquipmentReturn } from '../src/vendor/billing/contract-end-charges';
import { runCertificateVerifyCli } from '../src/vendor/termination/certificate-verify-cli';
import { CONTRACT_END_JOB, ContractEndJobs, tokyoToday } from '../src/vendor/termination/contract-end.job';
import { verifyDeletionCertificate } from '../src/vendor/termination/deletion-certificate';
import {
  ENDED_CONTRACTS_SOURCE,
  EndedContract,
  EndedContractsSource,
} from '../src/vendor/termination/ended-contracts-source';
import { TenantShredder } from '../src/vendor/termination/tenant-shredder';
import { TenantInventoryService, tenantOwnedTables } from '../src/vendor/termination/tenant-inventory';
import { seedCalls } from './support/call-seed';
import { siteWithKey } from './support/flexlog-fixtures';
import { HttpClient } from './support/http-client';
import { storeTestRecording } from './support/recording-seed';
import { completeSetup, startTestApp, TestApp } from './support/test-app';
import { testDatabases } from './support/test-databases';

const PASSWORD = 'Tenant-Adm1n!';
const adminOf = (n: string) => ({ email: `admin@${n}.example.jp`, displayName: `${n} 管理者`, password: PASSWORD });

/** Decrypts a whole stored object with a data key; rejects when the key is not the one it was sealed with. */
async function decrypt(ciphertext: Buffer, dataKey: Buffer): Promise<Buffer> {
  const out: Buffer[] = [];
  const decryptor = createDecryptStream(dataKey);
  decryptor.on('data', (c: Buffer) => out.push(c));
  await pipeline(Readable.from([ciphertext]), decryptor);
  return Buffer.concat(out);
}

/**
 * Contract end (Art. 12.4) on a hosted instance with two customers: alpha's service has ended, beta's
 * has not. Alpha's accounts, objects, files, rows and data key go, a signed certificate says so, a
 * copy of its stored audio taken before stays unreadable, and beta is untouched.
 */
describe.each(testDatabases())('contract end on $name', (db) => {
  let t: TestApp;
  let vendor: HttpClient;
  let alpha: HttpClient;
  let beta: HttpClient;
  let alphaId: string;
  let betaId: string;
  let keyDir: string;
  const today = tokyoToday();
  let ended: EndedContract[] = [];
  const audio = Buffer.from('OggS fake opus payload '.repeat(4000));
  let backup: Buffer;
  let alphaKeyId: string;
  let betaRecording: Awaited<ReturnType<typeof storeTestRecording>>;
  const before: Record<string, number> = {};
  const betaBefore: Record<string, number> = {};

  const login = async (email: string) => {
    const c = t.client();
    expect((await c.post('/api/v1/auth/login', { email, password: PASSWORD })).status).toBe(200);
    return c;
  };
  const counts = (tenantId: string) => t.app.get(TenantInventoryService).take(tenantId);
  const rowsLeft = async (tenantId: string) => {
    const inventory = t.app.get(TenantInventoryService);
    const left: Record<string, number> = {};
    for (const table of tenantOwnedTables(t.dataSource)) left[table] = await inventory.countRows(table, tenantId);
    return left;
  };
  /** Waits for the latest contract-end job and answers it. */
  const lastJob = async () => {
    const [job] = await t.dataSource
      .getRepository(Job)
      .find({ where: { kind: CONTRACT_END_JOB }, order: { createdAt: 'DESC' }, take: 1 });
    return t.app.get(JobsService).settled(job.id);
  };

  beforeAll(async () => {
    keyDir = mkdtempSync(join(tmpdir(), 'certificate-'));
    t = await startTestApp(db);
    vendor = await completeSetup(t, 'multi');
    const ids: Record<string, string> = {};
    for (const name of ['alpha', 'beta']) {
      const res = await vendor.post('/api/v1/tenants', { name, products: ['flexlog'], admin: adminOf(name) });
      expect(res.status).toBe(201);
      ids[name] = res.body.tenant.id;
    }
    [alphaId, betaId] = [ids['alpha'], ids['beta']];
    alpha = await login(adminOf('alpha').email);
    beta = await login(adminOf('beta').email);
    for (const [c, tenantId] of [
      [alpha, alphaId],
      [beta, betaId],
    ] as const) {
      await c.post('/api/v1/users', { email: `op@${tenantId}.example.jp`, displayName: 'op', roles: ['operator'] });
      await siteWithKey(c, { name: '東京本社' });
      const [call] = await seedCalls(t.dataSource, tenantId, [
        { caller: '03-1234-5678', callee: '201', startedAt: '2026-11-01T01:00:00Z' },
      ]);
      const recording = await storeTestRecording(t, tenantId, call.id, audio);
      if (tenantId === betaId) betaRecording = recording;
      const exported = await c.post('/api/v1/evidence/exports', { callIds: [call.id] });
      expect(exported.status).toBe(202);
      expect((await t.app.get(JobsService).settled(exported.body.id)).status).toBe('succeeded');
      const inbox = join(t.dataDir, 'flexdplayer', tenantId, 'connector-1', 'inbox');
      mkdirSync(inbox, { recursive: true });
      writeFileSync(join(inbox, '20261101-0312345678.wav'), Buffer.alloc(1234, 1));
    }
    // A backup of alpha's storage, taken while its service still ran.
    const [alphaRecording] = await t.dataSource.query(
      `SELECT ${t.dataSource.driver.escape('storageKey')} AS k, ${t.dataSource.driver.escape('keyId')} AS kid FROM recordings WHERE ${t.dataSource.driver.escape('tenantId')} = ?`,
      [alphaId],
    );
    alphaKeyId = alphaRecording.kid;
    const storage = await t.app.get(RecordingVault).objectStorage();
    const chunks: Buffer[] = [];
    for await (const c of await storage.get(alphaRecording.k)) chunks.push(c as Buffer);
    backup = Buffer.concat(chunks);
    // The copy really is alpha's audio under alpha's key: the test below could fail.
    expect(await decrypt(backup, await t.app.get(TenantKeysService).byId(alphaId, alphaKeyId))).toEqual(audio);
    Object.assign(before, await rowsLeft(alphaId));
    Object.assign(betaBefore, await rowsLeft(betaId));
    const source = t.app.get<EndedContractsSource>(ENDED_CONTRACTS_SOURCE);
    jest
      .spyOn(source, 'endedOn')
      .mockImplementation((date) => Promise.resolve(ended.filter((c) => c.serviceEndDate < date)));
  });
  afterAll(async () => {
    await t?.close();
    rmSync(keyDir, { recursive: true, force: true });
  });

  it('answers 403 to tenant users on every contract-end endpoint', async () => {
    const paths: Array<[string, string]> = [
      ['GET', '/api/v1/vendor/contract-ends'],
      ['GET', `/api/v1/vendor/contract-ends/${alphaId}/preview`],
      ['POST', `/api/v1/vendor/contract-ends/${alphaId}`],
      ['GET', `/api/v1/vendor/deletion-certificates/${alphaId}`],
      ['GET', '/api/v1/vendor/equipment-returns'],
      ['POST', `/api/v1/vendor/equipment-returns/${alphaId}/returned`],
    ];
    for (const [method, path] of paths) {
      for (const c of [alpha, beta])
        expect([method, path, (await c.request(method, path, method === 'GET' ? undefined : {})).status]).toEqual([
          method,
          path,
          403,
        ]);
    }
  });

  it('refuses to run before the service has ended, naming why', async () => {
    ended = [{ tenantId: alphaId, contractId: 'C-ALPHA', serviceEndDate: today, equipment: [] }];
    const res = await vendor.post(`/api/v1/vendor/contract-ends/${alphaId}`);
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/has not ended/);
    expect((await rowsLeft(alphaId))['users']).toBe(before['users']);
  });

  it('previews what would be deleted', async () => {
    ended = [
      { tenantId: alphaId, contractId: 'C-ALPHA', serviceEndDate: addDays(today, -20), equipment: ['SN-1', 'SN-2'] },
    ];
    const res = await vendor.get(`/api/v1/vendor/contract-ends/${alphaId}/preview`);
    expect(res.status).toBe(200);
    expect(res.body.serviceEnded).toBe(true);
    const would = res.body.wouldDelete;
    expect(would.rows).toMatchObject({ users: 2, calls: 1, recordings: 1, flexlog_sites: 1, api_keys: 1 });
    expect(would.objects.recordings.count).toBe(1);
    expect(Object.keys(would.objects).length).toBeGreaterThanOrEqual(2); // recordings and the evidence export
    expect(would.files).toEqual({ count: 1, bytes: 1234 });
    expect(would.dataKeys).toBe(1);
  });

  it('stops at a crash in the objects step, then at one half-way through the rows, and finishes on the next runs', async () => {
    const storage = await t.app.get(RecordingVault).objectStorage();
    jest.spyOn(storage, 'deletePrefix').mockRejectedValueOnce(new Error('power cut'));
    await t.app.get(ContractEndJobs).tick();
    expect((await lastJob()).status).toBe('failed');
    const shredder = t.app.get(TenantShredder);
    let calls = 0;
    const real = shredder.deleteRowsOf.bind(shredder);
    const rows = jest.spyOn(shredder, 'deleteRowsOf').mockImplementation(async (table, tenantId) => {
      if (++calls === 4) throw new Error('disk full');
      return real(table, tenantId);
    });
    let list = (await vendor.get('/api/v1/vendor/contract-ends')).body;
    expect(list[0]).toMatchObject({ tenantId: alphaId, stepsDone: ['accounts', 'connectors'], finishedAt: null });
    expect(list[0].lastError).toContain('power cut');
    // Accounts went first: alpha's session and login are dead already.
    expect((await alpha.get('/api/v1/auth/me')).status).toBe(401);
    expect(
      (await t.client().post('/api/v1/auth/login', { email: adminOf('alpha').email, password: PASSWORD })).status,
    ).toBe(401);

    expect((await vendor.post(`/api/v1/vendor/contract-ends/${alphaId}`)).status).toBe(202);
    expect((await lastJob()).status).toBe('failed');
    list = (await vendor.get('/api/v1/vendor/contract-ends')).body;
    expect(list[0].stepsDone).toEqual(['accounts', 'connectors', 'objects', 'files']);
    expect(list[0].lastError).toContain('disk full');
    rows.mockRestore();

    expect((await vendor.post(`/api/v1/vendor/contract-ends/${alphaId}`)).status).toBe(202);
    const done = await lastJob();
    expect(done.status).toBe('succeeded');
    list = (await vendor.get('/api/v1/vendor/contract-ends')).body;
    expect(list[0].stepsDone).toEqual(['accounts', 'connectors', 'objects', 'files', 'rows', 'key', 'certificate']);
    expect(list[0].finishedAt).not.toBeNull();
    // Finished tenants are not started again by the daily check.
    const jobsBefore = await t.dataSource.getRepository(Job).count({ where: { kind: CONTRACT_END_JOB } });
    await t.app.get(ContractEndJobs).tick();
    expect(await t.dataSource.getRepository(Job).count({ where: { kind: CONTRACT_END_JOB } })).toBe(jobsBefore);
  });

  it("leaves no row, object, file or key of alpha's; keeps the tenant row", async () => {
    for (const table of [
      'users',
      'calls',
      'recordings',
      'api_keys',
      'flexlog_sites',
      'jobs',
      'audit_entries',
      'tenant_keys',
    ])
      expect([table, before[table] > 0]).toEqual([table, true]);
    const left = await rowsLeft(alphaId);
    for (const [table, n] of Object.entries(left)) expect([table, n]).toEqual([table, 0]);
    const storage = await t.app.get(RecordingVault).objectStorage();
    const objects: string[] = [];
    for await (const o of storage.list(tenantPrefix(alphaId))) objects.push(o.key);
    expect(objects).toEqual([]);
    expect(existsSync(join(t.dataDir, 'flexdplayer', alphaId))).toBe(false);
    expect(await t.dataSource.getRepository(TenantKey).count({ where: { tenantId: alphaId } })).toBe(0);
    await expect(t.app.get(TenantKeysService).byId(alphaId, alphaKeyId)).rejects.toThrow(/not found/);
    const [tenant] = await t.dataSource.query('SELECT name FROM tenants WHERE id = ?', [alphaId]);
    expect(tenant.name).toBe('alpha');
    // The vendor's own records of alpha stay: they are not among the tables shredded.
    expect(tenantOwnedTables(t.dataSource).filter((table) => table.startsWith('vendor_'))).toEqual([]);
    for (const table of ['vendor_tenant_shreddings', 'vendor_deletion_certificates', 'vendor_equipment_returns']) {
      const [row] = await t.dataSource.query(
        `SELECT COUNT(*) AS n FROM ${table} WHERE ${t.dataSource.driver.escape('tenantId')} = ?`,
        [alphaId],
      );
      expect([table, Number(row.n) > 0]).toEqual([table, true]);
    }
  });

  it('cannot decrypt the backed-up recording with anything the system still holds', async () => {
    const keys = t.app.get(TenantKeysService);
    const candidates: Buffer[] = [t.app.get(KeyRing).masterKey];
    for (const row of await t.dataSource.getRepository(TenantKey).find())
      candidates.push(await keys.byId(row.tenantId, row.id));
    expect(candidates.length).toBeGreaterThanOrEqual(2); // beta's key (and the master key) are still there
    for (const key of candidates) await expect(decrypt(backup, key)).rejects.toThrow();
  });

  it("leaves beta's data whole", async () => {
    expect(await rowsLeft(betaId)).toEqual(betaBefore);
    const chunks: Buffer[] = [];
    for await (const c of await t.app.get(RecordingVault).read(betaId, betaRecording)) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks)).toEqual(audio);
    expect(existsSync(join(t.dataDir, 'flexdplayer', betaId, 'connector-1', 'inbox'))).toBe(true);
    expect((await beta.get('/api/v1/auth/me')).status).toBe(200);
    expect((await counts(betaId)).objects['recordings'].count).toBe(1);
  });

  it('issues a certificate that verifies with the evidence key, and a tampered one that does not', async () => {
    const [record] = (await vendor.get('/api/v1/vendor/contract-ends')).body;
    const doc = await vendor.get(`/api/v1/vendor/deletion-certificates/${record.certificateId}`);
    expect(doc.status).toBe(200);
    const sig = (await vendor.get(`/api/v1/vendor/deletion-certificates/${record.certificateId}/signature`)).text;
    const publicKey = (await t.client().get('/api/v1/evidence/public-key')).body.publicKeyPem;
    const check = verifyDeletionCertificate(doc.text, sig, publicKey);
    expect(check.problems).toEqual([]);
    expect(check.certificate).toMatchObject({
      tenant: { id: alphaId, name: 'alpha' },
      contractId: 'C-ALPHA',
      serviceEndDate: addDays(today, -20),
      destroyedKeyIds: [alphaKeyId],
      files: { count: 1, bytes: 1234 },
    });
    expect(check.certificate?.rows).toMatchObject({ users: 2, calls: 1, recordings: 1, api_keys: 1 });
    expect(check.certificate?.objects['recordings']).toEqual({ count: 1, bytes: backup.length });

    const tampered = doc.text.replace('"recordings": 1', '"recordings": 0');
    expect(tampered).not.toBe(doc.text);
    expect(verifyDeletionCertificate(tampered, sig, publicKey).ok).toBe(false);

    const file = join(keyDir, 'cert.json');
    writeFileSync(file, doc.text);
    writeFileSync(`${file}.sig`, sig);
    writeFileSync(join(keyDir, 'key.pem'), publicKey);
    const quiet = { log: () => undefined, error: () => undefined };
    expect(await runCertificateVerifyCli([file, '--public-key', join(keyDir, 'key.pem')], quiet)).toBe(0);
    writeFileSync(file, tampered);
    expect(await runCertificateVerifyCli([file, '--public-key', join(keyDir, 'key.pem')], quiet)).toBe(1);
    expect(await runCertificateVerifyCli([file], quiet)).toBe(2);

    const html = await vendor.get(`/api/v1/vendor/deletion-certificates/${record.certificateId}/html`);
    expect(html.text).toContain('データ削除証明書');
    expect(html.text).toContain(alphaKeyId);
  });

  it("records every step in the vendor's audit chain, which stays intact", async () => {
    const actions = (await vendor.get('/api/v1/audit?limit=500')).body.items.map((e: { action: string }) => e.action);
    for (const step of [
      'started',
      'accounts',
      'connectors',
      'objects',
      'files',
      'rows',
      'key',
      'certificate',
      'completed',
      'failed',
    ])
      expect(actions).toContain(`vendor.termination.${step}`);
    const vendorTenant = (await vendor.get('/api/v1/auth/me')).body.tenant.id;
    expect((await t.app.get(AuditService).verify(vendorTenant)).ok).toBe(true);
  });

  it('tracks the equipment return deadline and gives billing the late-return figures', async () => {
    const serviceEnd = addDays(today, -20);
    const deadline = addDays(serviceEnd, 14);
    const overdue = (await vendor.get('/api/v1/vendor/equipment-returns?overdue=true')).body;
    expect(overdue.map((r: { serialNumber: string }) => r.serialNumber)).toEqual(['SN-1', 'SN-2']);
    expect(overdue[0]).toMatchObject({ contractId: 'C-ALPHA', deadline, returnedOn: null });
    const bad = await vendor.post(`/api/v1/vendor/equipment-returns/${overdue[0].id}/returned`, { returnedOn: 'soon' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('returnedOn');
    const arrived = addDays(deadline, 3);
    for (const [item, on] of [
      [overdue[0], addDays(deadline, -1)],
      [overdue[1], arrived],
    ])
      expect(
        (await vendor.post(`/api/v1/vendor/equipment-returns/${item.id}/returned`, { returnedOn: on })).status,
      ).toBe(200);
    expect((await vendor.get('/api/v1/vendor/equipment-returns?overdue=true')).body).toEqual([]);
    const status = (await vendor.get('/api/v1/vendor/equipment-returns/contracts/C-ALPHA')).body;
    // Arrived 3 days after the deadline: the charge runs from the day after the end, 14 + 3 days.
    expect(status).toMatchObject({
      equipmentReturnDeadline: deadline,
      equipmentReturnedOn: arrived,
      daysLate: 3,
      chargeableDays: 17,
    });
    const contract: Contract = {
      product: 'FlexLog',
      cycle: 'monthly',
      serviceStart: '2026-01-10',
      billingStart: '2026-01-11',
      minimumTermEnd: '2026-04-10',
      plans: [{ from: '2026-01-11', plan: { code: 'S', monthlyFee: 10000, initialFee: 0 } }],
      ending: null,
      serviceEnd,
      equipmentReturnDeadline: status.equipmentReturnDeadline,
      equipmentReturnedOn: status.equipmentReturnedOn,
    };
    // The engine bills exactly the days the figures name.
    const lines = lateEquipmentReturn(contract)?.lines ?? [];
    const billedDays = lines.map((l) => ('from' in l && 'to' in l ? daysInclusive(l.from, l.to) : 0));
    expect(billedDays.reduce((a, b) => a + b, 0)).toBe(status.chargeableDays);
  });
});
