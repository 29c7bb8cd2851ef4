import { renameSync } from 'node:fs';
import { APP_CONFIG, AppConfig } from '../src/config/app-config';
import { MasterKeyRotation } from '../src/core/setup/master-key-rotation';
import { SystemSettingsService } from '../src/core/setup/system-settings.service';
import { TenantKeysService } from '../src/core/tenancy/tenant-keys.service';
import { KeyRing } from '../src/platform/crypto/key-ring';
import { LocalKeyProvider } from '../src/platform/crypto/local-key-provider';
import { completeSetup, startTestApp, TestApp } from './support/test-app';
import { HttpClient } from './support/http-client';
import { seedCalls } from './support/call-seed';
import { storeTestRecording } from './support/recording-seed';
import { testDatabases } from './support/test-databases';

describe.each(testDatabases())('master key rotation on $name', (db) => {
  let t: TestApp;
  let admin: HttpClient;
  let other: HttpClient;
  const audio = { a: Buffer.alloc(150_000, 0x41), b: Buffer.alloc(90_000, 0x42) };
  const calls: Record<'a' | 'b', string> = { a: '', b: '' };

  const play = async (c: HttpClient, callId: string) => {
    const res = await fetch(`${t.baseUrl}/api/v1/calls/${callId}/audio`, {
      headers: { cookie: `access_token=${c.cookie('access_token')}` },
    });
    return Buffer.from(await res.arrayBuffer());
  };

  beforeAll(async () => {
    t = await startTestApp(db);
    admin = await completeSetup(t, 'multi');
    await admin.post('/api/v1/tenants', {
      name: 'B',
      products: ['flexlog'],
      admin: { email: 'b@example.jp', displayName: 'B', password: 'Tenant-Adm1n!' },
    });
    other = t.client();
    await other.post('/api/v1/auth/login', { email: 'b@example.jp', password: 'Tenant-Adm1n!' });
    for (const [name, client] of [
      ['a', admin],
      ['b', other],
    ] as const) {
      const tenantId = (await client.get('/api/v1/auth/me')).body.tenant.id;
      const [call] = await seedCalls(t.dataSource, tenantId, [
        { caller: '03-1234-5678', callee: '201', startedAt: '2026-11-01T00:00:00Z' },
      ]);
      calls[name] = call.id;
      await storeTestRecording(t, tenantId, call.id, audio[name]);
    }
    await t.app.get(SystemSettingsService).set('test.relay', { host: 'smtp.example.jp', password: 'relay-secret-7' });
  });
  afterAll(async () => t?.close());

  it('re-wraps every data key and re-seals every secret under the new version; everything still plays', async () => {
    const report = await t.app.get(MasterKeyRotation).rotate();
    expect(report).toMatchObject({ version: 2, rewrappedDataKeys: 2 });
    expect(report.resealedSecrets).toBeGreaterThanOrEqual(1);
    expect(report.retirable.map((r) => r.version)).toEqual([1]);
    const refs = await t.dataSource.query('SELECT keyRef FROM tenant_keys');
    expect(refs.map((r: { keyRef: string }) => r.keyRef)).toEqual(['local:v2', 'local:v2']);
    const [sealed] = await t.dataSource.query("SELECT value FROM system_settings WHERE `key` = 'test.relay'");
    expect(JSON.parse(sealed.value).password.sealed).toMatch(/^v2\./);
    (t.app.get(TenantKeysService) as unknown as { cache: Map<string, Buffer> }).cache.clear();
    expect((await play(admin, calls.a)).equals(audio.a)).toBe(true);
    expect((await play(other, calls.b)).equals(audio.b)).toBe(true);
    const system = await t.dataSource.query("SELECT action FROM audit_entries WHERE chain = 'system'");
    expect(system.map((e: { action: string }) => e.action)).toContain('keys.master-rotated');
  });

  it('needs nothing of the retired version once its file is gone', async () => {
    const config = t.app.get<AppConfig>(APP_CONFIG);
    renameSync(config.masterKeyFile, `${config.masterKeyFile}.offline-backup`);
    const ring = new KeyRing(config);
    expect([...ring.localKeys.keys.keys()]).toEqual([2]);
    const provider = new LocalKeyProvider(ring.localKeys.keys, ring.currentVersion);
    const rows = await t.dataSource.query('SELECT tenantId, wrapped, keyRef FROM tenant_keys');
    for (const row of rows) {
      const key = await provider.unwrap(Buffer.from(row.wrapped, 'base64'), row.keyRef, {
        tenant: row.tenantId,
        purpose: 'tenant-data',
      });
      expect(key).toHaveLength(32);
    }
    const [sealed] = await t.dataSource.query("SELECT value FROM system_settings WHERE `key` = 'test.relay'");
    expect(ring.settingsBox.open(JSON.parse(sealed.value).password.sealed)).toBe('relay-secret-7');
    // a second rotation moves on to v3 and finds v2 retirable
    const next = await t.app.get(MasterKeyRotation).rotate();
    expect(next.version).toBe(3);
    expect(next.retirable.map((r) => r.version)).toEqual([1, 2]);
  });
});
