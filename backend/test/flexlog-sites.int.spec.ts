import { tone, wavFile } from '../src/platform/transcoder/testing/signals';
import { uploadCall } from './support/ingest-upload';
import { heartbeat, postHeartbeat, setupTenants, siteWithKey, Tenants } from './support/flexlog-fixtures';
import { startTestApp, TestApp } from './support/test-app';
import { testDatabases } from './support/test-databases';

const TOKYO = {
  name: '東京本社',
  location: '東京都千代田区 3F',
  internalNetworks: ['192.168.0.0/16', 'FD00::/8'],
  extensionPatterns: ['200-299', '3xxx'],
  lines: [{ name: '東京店', numbers: ['03-1234-5678'], trunks: ['203.0.113.10'] }],
};

describe.each(testDatabases())('FlexLog sites on $name', (db) => {
  let t: TestApp;
  let u: Tenants;

  beforeAll(async () => {
    t = await startTestApp(db);
    u = await setupTenants(t);
  });
  afterAll(async () => t?.close());

  it('creates a site with normalised rules, audits it, and reads it back for every reader role', async () => {
    const created = await u.admin.post('/api/v1/flexlog/sites', TOKYO);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: '東京本社',
      internalNetworks: ['192.168.0.0/16', 'fd00::/8'],
      extensionPatterns: ['200-299', '3xxx'],
      lines: [{ name: '東京店', numbers: ['0312345678'], trunks: ['203.0.113.10'] }],
      offlineAfterSeconds: 60,
      dropAlertThreshold: 100,
      webhookUrl: null,
      webhookSecretSet: false,
    });
    expect(created.body.webhookSecret).toBeUndefined();
    for (const reader of [u.admin, u.supervisor, u.auditor]) {
      const one = await reader.get(`/api/v1/flexlog/sites/${created.body.id}`);
      expect(one.status).toBe(200);
      expect(one.body).toMatchObject({ name: '東京本社', status: { state: 'never', latest: null, alerts: [] } });
      expect((await reader.get('/api/v1/flexlog/sites')).body.map((s: { id: string }) => s.id)).toEqual([
        created.body.id,
      ]);
    }
    const audit = (await u.admin.get('/api/v1/audit?action=flexlog.site.created')).body.items;
    expect(JSON.parse(audit[0].details)).toMatchObject({
      name: '東京本社',
      internalNetworks: ['192.168.0.0/16', 'fd00::/8'],
    });
  });

  it('names every bad entry at once and stores nothing', async () => {
    const before = (await u.admin.get('/api/v1/flexlog/sites')).body.length;
    const bad = await u.admin.post('/api/v1/flexlog/sites', {
      name: '大阪支店',
      internalNetworks: ['10.0.0.0/8', '192.168.1.5/24', 'fd00::/129'],
      extensionPatterns: ['200-2999', '4xxx'],
      lines: [{ name: '大阪店', numbers: ['06-xx'] }, { name: '空回線' }],
      webhookUrl: 'http://hooks.example.jp/flexlog',
      offlineAfterSeconds: 5,
    });
    expect(bad.status).toBe(400);
    const fields = bad.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(['offlineAfterSeconds']);
    const semantic = await u.admin.post('/api/v1/flexlog/sites', {
      name: '大阪支店',
      internalNetworks: ['10.0.0.0/8', '192.168.1.5/24', 'fd00::/129'],
      extensionPatterns: ['200-2999', '4xxx'],
      lines: [{ name: '大阪店', numbers: ['06-xx'] }, { name: '空回線' }],
      webhookUrl: 'http://hooks.example.jp/flexlog',
    });
    expect(semantic.status).toBe(400);
    expect(semantic.body.errors).toEqual([
      { field: 'internalNetworks[1]', message: '192.168.1.5/24 has host bits set (did you mean 192.168.1.0/24?)' },
      { field: 'internalNetworks[2]', message: 'fd00::/129 prefix length must be 0-128' },
      {
        field: 'extensionPatterns[0]',
        message: '200-2999: both ends of a range need the same number of digits (e.g. 200-299, 0100-0199)',
      },
      { field: 'lines[0].numbers[0]', message: '06-xx must be a phone number (digits, +, - and spaces)' },
      { field: 'lines[1]', message: 'needs at least one number or trunk to recognise its calls' },
      { field: 'webhookUrl', message: 'must start with https:// (plain http only for localhost)' },
    ]);
    const unknown = await u.admin.post('/api/v1/flexlog/sites', { name: 'x', siteSecret: 'y' });
    expect(unknown.body.errors).toEqual([{ field: 'siteSecret', message: 'unknown field' }]);
    const twice = await u.admin.post('/api/v1/flexlog/sites', { name: '東京本社' });
    expect(twice.status).toBe(400);
    expect(twice.body.errors).toEqual([{ field: 'name', message: 'another site already has this name' }]);
    expect((await u.admin.get('/api/v1/flexlog/sites')).body).toHaveLength(before);
  });

  it('updates a site: a webhook URL brings a secret shown once; clearing the URL forgets it', async () => {
    const { site } = await siteWithKey(u.admin, { name: '名古屋営業所' });
    const path = `/api/v1/flexlog/sites/${site.id}`;
    const hooked = await u.admin.patch(path, { webhookUrl: 'https://hooks.example.jp/flexlog', dropAlertThreshold: 5 });
    expect(hooked.status).toBe(200);
    expect(hooked.body.webhookSecret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(hooked.body).toMatchObject({ webhookSecretSet: true, dropAlertThreshold: 5, name: '名古屋営業所' });
    expect((await u.admin.get(path)).body.webhookSecret).toBeUndefined();
    const [row] = await t.dataSource.query('SELECT webhookSecret FROM flexlog_sites WHERE id = ?', [site.id]);
    expect(row.webhookSecret).not.toContain(hooked.body.webhookSecret.slice(6));
    const again = await u.admin.patch(path, { location: '愛知県名古屋市' });
    expect(again.body.webhookSecret).toBeUndefined();
    const rotated = await u.admin.post(`${path}/webhook-secret`);
    expect(rotated.status).toBe(201);
    expect(rotated.body.webhookSecret).not.toBe(hooked.body.webhookSecret);
    const cleared = await u.admin.patch(path, { webhookUrl: null });
    expect(cleared.body).toMatchObject({ webhookUrl: null, webhookSecretSet: false });
    expect((await u.admin.post(`${path}/webhook-secret`)).body.errors[0].field).toBe('webhookUrl');
    expect((await u.admin.patch(path, { name: null })).body.errors).toEqual([
      { field: 'name', message: 'may not be null' },
    ]);
    const audit = (await u.admin.get('/api/v1/audit?action=flexlog.site.updated')).body.items;
    expect(audit.map((a: { details: string }) => JSON.parse(a.details).changed)).toContainEqual(['location']);
  });

  it('gives the capture its own site’s rules with one expression for the extensions, and nothing else', async () => {
    const tokyo = (await u.admin.get('/api/v1/flexlog/sites')).body.find(
      (s: { name: string }) => s.name === '東京本社',
    );
    const key = (await u.admin.post(`/api/v1/flexlog/sites/${tokyo.id}/api-keys`, { name: 'tokyo box' })).body.key;
    const other = await siteWithKey(u.admin, { name: '福岡支店' });
    const box = t.client({ authorization: `Bearer ${key}` });
    const config = await box.get('/api/v1/flexlog/config');
    expect(config.status).toBe(200);
    expect(config.body).toMatchObject({
      siteId: tokyo.id,
      internalNetworks: ['192.168.0.0/16', 'fd00::/8'],
      extensionPatterns: ['200-299', '3xxx'],
      extensionPattern: '^(?:2[0-9][0-9]|3[0-9]{3})$',
      lines: [{ name: '東京店', numbers: ['0312345678'], trunks: ['203.0.113.10'] }],
      heartbeatIntervalSeconds: 10,
    });
    expect((await box.get(`/api/v1/flexlog/sites/${tokyo.id}/config`)).body).toEqual(config.body);
    expect((await box.get(`/api/v1/flexlog/sites/${other.site.id}/config`)).status).toBe(404);
    expect((await u.supervisor.get(`/api/v1/flexlog/sites/${tokyo.id}/config`)).status).toBe(200);
    expect((await u.operator.get(`/api/v1/flexlog/sites/${tokyo.id}/config`)).status).toBe(403);
    // A key of the tenant that is bound to no site speaks for no site.
    const plain = (await u.admin.post('/api/v1/api-keys', { name: 'connector' })).body.key;
    const unbound = t.client({ authorization: `Bearer ${plain}` });
    expect((await unbound.get('/api/v1/flexlog/config')).status).toBe(403);
    expect((await unbound.get(`/api/v1/flexlog/sites/${tokyo.id}/config`)).status).toBe(403);
    // Site keys cannot manage sites.
    expect((await box.get('/api/v1/flexlog/sites')).status).toBe(403);
    expect((await box.post('/api/v1/flexlog/sites', { name: 'x' })).status).toBe(403);
  });

  it('lists and revokes a site’s keys only through that site; a revoked key is refused', async () => {
    const a = await siteWithKey(u.admin, { name: '札幌支店' });
    const b = await siteWithKey(u.admin, { name: '仙台支店' });
    const keys = await u.admin.get(`/api/v1/flexlog/sites/${a.site.id}/api-keys`);
    expect(keys.body).toEqual([expect.objectContaining({ id: a.keyId, siteId: a.site.id, name: '札幌支店 box' })]);
    expect(JSON.stringify(keys.body)).not.toContain(a.key);
    expect((await u.auditor.get(`/api/v1/flexlog/sites/${a.site.id}/api-keys`)).status).toBe(200);
    expect((await u.supervisor.get(`/api/v1/flexlog/sites/${a.site.id}/api-keys`)).status).toBe(403);
    expect((await u.admin.delete(`/api/v1/flexlog/sites/${b.site.id}/api-keys/${a.keyId}`)).status).toBe(404);
    expect((await postHeartbeat(t, a.key, heartbeat())).status).toBe(200);
    expect((await u.admin.delete(`/api/v1/flexlog/sites/${a.site.id}/api-keys/${a.keyId}`)).status).toBe(204);
    expect((await postHeartbeat(t, a.key, heartbeat())).status).toBe(401);
    expect((await postHeartbeat(t, b.key, heartbeat())).status).toBe(200);
    const revoked = (await u.admin.get('/api/v1/audit?action=apiKey.revoked')).body.items;
    expect(JSON.parse(revoked[0].details)).toMatchObject({ siteId: a.site.id });
  });

  it('stores an upload under the site of the key that sent it', async () => {
    const { site, key } = await siteWithKey(u.admin, { name: '横浜支店' });
    const audio = wavFile('mulaw', 8000, [tone(440, 8000, 1), tone(1250, 8000, 1)]);
    const sent = await uploadCall(t, key, 'yokohama-1', audio, { siteId: 'somewhere-else' });
    expect(sent.status).toBe(201);
    const [row] = await t.dataSource.query('SELECT siteId FROM calls WHERE id = ?', [sent.body.callId]);
    expect(row.siteId).toBe(site.id);
    const plain = (await u.admin.post('/api/v1/api-keys', { name: 'importer' })).body.key;
    const imported = await uploadCall(t, plain, 'import-1', audio, { siteId: 'legacy-7' });
    const [legacy] = await t.dataSource.query('SELECT siteId FROM calls WHERE id = ?', [imported.body.callId]);
    expect(legacy.siteId).toBe('legacy-7');
  });

  it('deletes a site with its keys, health and history in one go, audited', async () => {
    const { site, key } = await siteWithKey(u.admin, { name: '廃止拠点' });
    expect((await postHeartbeat(t, key, heartbeat())).status).toBe(200);
    expect((await u.supervisor.delete(`/api/v1/flexlog/sites/${site.id}`)).status).toBe(403);
    expect((await u.admin.delete(`/api/v1/flexlog/sites/${site.id}`)).status).toBe(204);
    expect((await u.admin.get(`/api/v1/flexlog/sites/${site.id}`)).status).toBe(404);
    expect((await postHeartbeat(t, key, heartbeat())).status).toBe(401);
    for (const table of ['api_keys', 'flexlog_site_health', 'flexlog_heartbeat_minutes']) {
      const [{ n }] = await t.dataSource.query(`SELECT COUNT(*) AS n FROM ${table} WHERE siteId = ?`, [site.id]);
      expect(Number(n)).toBe(0);
    }
    const audit = (await u.admin.get('/api/v1/audit?action=flexlog.site.deleted')).body.items;
    expect(JSON.parse(audit[0].details)).toMatchObject({ name: '廃止拠点', revokedKeys: [key.slice(0, 11)] });
  });

  it('lets only tenant admins write, and readers read; operators and other tenants see nothing', async () => {
    const { site } = await siteWithKey(u.admin, { name: '神戸支店' });
    const path = `/api/v1/flexlog/sites/${site.id}`;
    for (const reader of [u.supervisor, u.auditor]) {
      expect((await reader.post('/api/v1/flexlog/sites', { name: 'x' })).status).toBe(403);
      expect((await reader.patch(path, { location: 'x' })).status).toBe(403);
      expect((await reader.post(`${path}/api-keys`, { name: 'x' })).status).toBe(403);
      expect((await reader.post(`${path}/webhook-secret`)).status).toBe(403);
      expect((await reader.get(`${path}/status`)).status).toBe(200);
    }
    for (const path2 of ['/api/v1/flexlog/sites', path, `${path}/status`, `${path}/api-keys`]) {
      expect((await u.operator.get(path2)).status).toBe(403);
    }
    // Tenant B's admin: A's site is not there, whatever the verb.
    expect((await u.other.get('/api/v1/flexlog/sites')).body).toEqual([]);
    expect((await u.other.get(path)).status).toBe(404);
    expect((await u.other.get(`${path}/status`)).status).toBe(404);
    expect((await u.other.get(`${path}/config`)).status).toBe(404);
    expect((await u.other.get(`${path}/api-keys`)).status).toBe(404);
    expect((await u.other.patch(path, { name: 'hijacked' })).status).toBe(404);
    expect((await u.other.post(`${path}/api-keys`, { name: 'x' })).status).toBe(404);
    expect((await u.other.post(`${path}/webhook-secret`)).status).toBe(404);
    expect((await u.other.delete(path)).status).toBe(404);
    expect((await u.admin.get(path)).body.name).toBe('神戸支店');
    // B's own site does not appear in A's list.
    const beta = await siteWithKey(u.other, { name: '神戸支店' });
    expect((await u.admin.get(`/api/v1/flexlog/sites/${beta.site.id}`)).status).toBe(404);
    expect((await u.admin.delete(`/api/v1/flexlog/sites/${beta.site.id}/api-keys/${beta.keyId}`)).status).toBe(404);
    expect((await u.admin.get('/api/v1/flexlog/sites')).body.map((s: { id: string }) => s.id)).not.toContain(
      beta.site.id,
    );
  });

  it('keeps sites for tenants with FlexLog or 応対力 only', async () => {
    const gammaAdmin = { email: 'admin@gamma.example.jp', displayName: 'C', password: 'Tenant-Adm1n!' };
    await u.admin.post('/api/v1/tenants', { name: 'Gamma', products: ['flexdplayer'], admin: gammaAdmin });
    const gamma = t.client();
    await gamma.post('/api/v1/auth/login', { email: gammaAdmin.email, password: gammaAdmin.password });
    const refused = await gamma.post('/api/v1/flexlog/sites', { name: '本社' });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe('FlexLog is not enabled for this tenant');
  });
});
