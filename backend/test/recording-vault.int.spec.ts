import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { LocalKeyProvider } from '../src/platform/crypto/local-key-provider';
import { KeyRing } from '../src/platform/crypto/key-ring';
import { KmsStandIn } from '../src/platform/crypto/testing/kms-stand-in';
import { tenantPrefix } from '../src/platform/storage/object-storage';
import { SETTING, SystemSettingsService } from '../src/core/setup/system-settings.service';
import { TenantKeyDestroyedError, TenantKeysService } from '../src/core/tenancy/tenant-keys.service';
import { RecordingVault } from '../src/products/recordings/vault/recording-vault';
import { completeSetup, startTestApp, TestApp } from './support/test-app';
import { HttpClient } from './support/http-client';
import { s3StorageSettings, startS3Server, TestS3Server } from './support/s3-server';
import { testDatabases } from './support/test-databases';

const PATTERN = Buffer.from('PLAINTEXT-AUDIO-PATTERN-あいうえお-0123456789|');
const patterned = (bytes: number) =>
  Buffer.concat(Array(Math.ceil(bytes / PATTERN.length)).fill(PATTERN)).subarray(0, bytes);
const drain = async (r: Readable) => {
  const parts: Buffer[] = [];
  for await (const c of r) parts.push(c as Buffer);
  return Buffer.concat(parts);
};

const cases = testDatabases().flatMap((db) =>
  (['local', 's3'] as const).map((driver) => ({ db, driver, name: `${db.name}/${driver}` })),
);

describe.each(cases)('recording vault on $name', ({ db, driver }) => {
  let t: TestApp;
  let admin: HttpClient;
  let s3: TestS3Server | undefined;
  let vault: RecordingVault;
  let keys: TenantKeysService;
  let tenantA: string;
  let tenantB: string;

  beforeAll(async () => {
    t = await startTestApp(db);
    admin = await completeSetup(t, 'multi');
    if (driver === 's3') {
      s3 = await startS3Server();
      const saved = await admin.request('PUT', '/api/setup/storage', {});
      expect(saved.status).toBe(409); // the wizard is closed: switch storage the way an operator's upgrade would
      await t.app.get(SystemSettingsService).set(SETTING.storage, s3StorageSettings(s3));
    }
    vault = t.app.get(RecordingVault);
    keys = t.app.get(TenantKeysService);
    tenantA = (await admin.get('/api/v1/auth/me')).body.tenant.id;
    const b = await admin.post('/api/v1/tenants', {
      name: 'B',
      products: ['flexlog'],
      admin: { email: 'b@example.jp', displayName: 'B', password: 'Tenant-Adm1n!' },
    });
    tenantB = b.body.tenant.id;
  });
  afterAll(async () => {
    await t?.close();
    await s3?.stop();
  });

  it('stores only ciphertext and reads back every byte and any range', async () => {
    const plain = patterned(300_000);
    const stored = await vault.write(tenantA, ['recordings', 'r1.opus.rce'], Readable.from([plain]));
    expect(stored).toMatchObject({ bytes: plain.length, storageKey: `tenants/${tenantA}/recordings/r1.opus.rce` });
    const raw = await drain(await (await vault.objectStorage()).get(stored.storageKey));
    expect(raw.length).toBe(stored.storedBytes);
    expect(raw.includes(PATTERN.subarray(0, 16))).toBe(false);
    expect((await drain(await vault.read(tenantA, stored))).equals(plain)).toBe(true);
    for (const [start, end] of [
      [0, 1],
      [65_535, 65_537],
      [299_999, 300_000],
      [12_345, 250_000],
    ]) {
      expect((await drain(await vault.read(tenantA, stored, { start, end }))).equals(plain.subarray(start, end))).toBe(
        true,
      );
    }
  });

  it('leaves no object behind when the source fails mid-stream', async () => {
    const failing = new Readable({
      read() {
        // data is pushed by the test below
      },
    });
    const writing = vault.write(tenantA, ['recordings', 'broken.rce'], failing);
    failing.push(randomBytes(200_000));
    setTimeout(() => failing.destroy(new Error('upload connection reset')), 20);
    await expect(writing).rejects.toThrow('upload connection reset');
    const left: string[] = [];
    for await (const o of (await vault.objectStorage()).list(tenantPrefix(tenantA))) left.push(o.key);
    expect(left.filter((k) => k.includes('broken'))).toEqual([]);
  });

  it('keeps recordings playable after the data keys are re-wrapped under a new provider', async () => {
    const plain = randomBytes(100_000);
    const stored = await vault.write(tenantB, ['recordings', 'r2.rce'], Readable.from([plain]));
    const kms = new KmsStandIn();
    const endpoint = await kms.start();
    const keyId = kms.createKey('alias/appliance');
    process.env['AWS_ACCESS_KEY_ID'] = 'stand-in';
    process.env['AWS_SECRET_ACCESS_KEY'] = 'stand-in';
    try {
      const local = new LocalKeyProvider(new Map([[1, t.app.get(KeyRing).masterKey]]), 1);
      await t.app
        .get(SystemSettingsService)
        .set(SETTING.encryption, { mode: 'kms', kmsKeyId: keyId, kmsRegion: kms.region, kmsEndpoint: endpoint });
      expect(await keys.rewrapAll(local)).toBeGreaterThanOrEqual(2);
      const rows = await t.dataSource.query('SELECT keyRef FROM tenant_keys');
      expect(rows.every((r: { keyRef: string }) => r.keyRef.startsWith('aws-kms:'))).toBe(true);
      (keys as unknown as { cache: Map<string, Buffer> }).cache.clear(); // prove it unwraps through KMS now
      expect((await drain(await vault.read(tenantB, stored))).equals(plain)).toBe(true);
    } finally {
      await t.app.get(SystemSettingsService).set(SETTING.encryption, { mode: 'local' });
      await keys.rewrapAll(
        new (await import('../src/platform/crypto/aws-kms-key-provider')).AwsKmsKeyProvider({
          keyId,
          region: kms.region,
          endpoint,
          maxAttempts: 1,
        }),
      );
      await kms.stop();
    }
  });

  it("shreds one tenant's key: its recordings are unreadable, the others play on", async () => {
    const a = await vault.write(tenantA, ['recordings', 'shred-me.rce'], Readable.from([randomBytes(70_000)]));
    const bPlain = randomBytes(70_000);
    const b = await vault.write(tenantB, ['recordings', 'keep-me.rce'], Readable.from([bPlain]));
    expect(await keys.shred(tenantA)).toBe(1);
    await expect(vault.read(tenantA, a)).rejects.toBeInstanceOf(TenantKeyDestroyedError);
    const [row] = await t.dataSource.query('SELECT wrapped FROM tenant_keys WHERE tenantId = ?', [tenantA]);
    expect(row.wrapped).toBe('');
    expect((await drain(await vault.read(tenantB, b))).equals(bPlain)).toBe(true);
  });
});
