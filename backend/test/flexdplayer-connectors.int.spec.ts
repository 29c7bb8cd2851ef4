import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConnectorsService } from '../src/products/flexdplayer/connectors/connectors.service';
import { verifyPassword } from '../src/core/auth/password';
import { setupTenants, Tenants } from './support/flexlog-fixtures';
import {
  csvSidecar,
  folderConnector,
  MOBILE,
  scanUntilSettled,
  ulawWav,
  watchedFolder,
} from './support/flexdplayer-fixtures';
import { startTestApp, TestApp } from './support/test-app';
import { testDatabases } from './support/test-databases';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl carrier';

describe.each(testDatabases())('FlexDPlayer connectors, profiles and push on $name', (db) => {
  let t: TestApp;
  let u: Tenants;

  beforeAll(async () => {
    t = await startTestApp(db);
    u = await setupTenants(t, undefined, ['flexlog', 'flexdplayer']);
    await u.admin.post('/api/v1/flexdplayer/lines', { number: MOBILE });
  });
  afterAll(async () => t?.close());

  it('creates an SFTP drop account the SFTP server can look up, and names every bad field', async () => {
    const bad = await u.admin.post('/api/v1/flexdplayer/connectors', {
      type: 'sftp-drop',
      name: 'x',
      sftpDrop: { username: 'A', password: 'short', authorizedKeys: ['ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIOMq'] },
      folder: { path: '/tmp' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ field: 'folder', message: 'not a setting of a sftp-drop connector' }]);
    const semantic = await u.admin.post('/api/v1/flexdplayer/connectors', {
      type: 'sftp-drop',
      name: 'x',
      sftpDrop: { username: 'A', password: 'short', authorizedKeys: ['ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIOMq'] },
    });
    expect(semantic.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'sftpDrop.username',
      'sftpDrop.password',
      'sftpDrop.authorizedKeys[0]',
    ]);
    const created = await u.admin.post('/api/v1/flexdplayer/connectors', {
      type: 'sftp-drop',
      name: 'ドコモ SFTP',
      sftpDrop: { username: 'docomo-tokyo', password: 'Carrier-Passw0rd', authorizedKeys: [KEY] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      sftpDrop: { username: 'docomo-tokyo', passwordSet: true, authorizedKeys: [KEY] },
    });
    const account = await t.app.get(ConnectorsService).findSftpAccount('docomo-tokyo');
    expect(account).toMatchObject({ tenantId: u.tenantId, connectorId: created.body.id, authorizedKeys: [KEY] });
    expect(account?.inboxDir).toBe(join(t.dataDir, 'flexdplayer', u.tenantId, created.body.id, 'inbox'));
    expect(await verifyPassword('Carrier-Passw0rd', account?.passwordHash ?? '')).toBe(true);
    const taken = await u.other.post('/api/v1/flexdplayer/connectors', {
      type: 'sftp-drop',
      name: 'B',
      sftpDrop: { username: 'docomo-tokyo', password: 'Another-Passw0rd' },
    });
    expect(taken.body.errors).toEqual([{ field: 'sftpDrop.username', message: 'already taken' }]);
    await u.admin.patch(`/api/v1/flexdplayer/connectors/${created.body.id}`, { enabled: false });
    expect(await t.app.get(ConnectorsService).findSftpAccount('docomo-tokyo')).toBeNull();
  });

  it('seals SFTP pull secrets and refuses folders inside the data directory', async () => {
    const pull = await u.admin.post('/api/v1/flexdplayer/connectors', {
      type: 'sftp-pull',
      name: 'キャリア SFTP',
      sftpPull: { host: 'sftp.carrier.example.jp', username: 'tenant-a', password: 'pull-secret-1', remoteDir: '/out' },
    });
    expect(pull.body.sftpPull).toMatchObject({
      host: 'sftp.carrier.example.jp',
      port: 22,
      passwordSet: true,
      privateKeySet: false,
    });
    const [row] = await t.dataSource.query('SELECT secret FROM flexdplayer_connectors WHERE id = ?', [pull.body.id]);
    expect(row.secret).not.toContain('pull-secret-1');
    const targets = await t.app.get(ConnectorsService).sftpPullTargets();
    expect(targets.find((x) => x.connectorId === pull.body.id)).toMatchObject({
      password: 'pull-secret-1',
      remoteDir: '/out',
    });
    const inside = await u.admin.post('/api/v1/flexdplayer/connectors', {
      type: 'folder',
      name: 'x',
      folder: { path: t.dataDir },
    });
    expect(inside.body.errors).toEqual([
      { field: 'folder.path', message: 'must be outside the appliance data directory' },
    ]);
    const etc = await u.admin.post('/api/v1/flexdplayer/connectors', {
      type: 'folder',
      name: 'x',
      folder: { path: '/etc' },
    });
    expect(etc.body.errors[0].field).toBe('folder.path');
  });

  it('tests a mapping profile against a sample and reports each bad field', async () => {
    const ok = await u.admin.post('/api/v1/flexdplayer/mapping-profiles/default/test', {
      fileName: '09012345678_0312345678_20261124093000_out.wav',
    });
    expect(ok.body).toMatchObject({
      ok: true,
      fields: {
        ownE164: '+819012345678',
        otherNumber: '0312345678',
        direction: 'outbound',
        startedAt: '2026-11-24T00:30:00.000Z',
      },
    });
    const profile = await u.admin.post('/api/v1/flexdplayer/mapping-profiles', {
      name: 'XML 形式',
      fileNamePattern: 'REC-{callId}',
      sidecar: {
        format: 'xml',
        fields: { ownNumber: 'Own', otherNumber: 'Peer', direction: 'Dir', startedAt: 'Start' },
      },
    });
    expect(profile.status).toBe(201);
    const bad = await u.admin.post(`/api/v1/flexdplayer/mapping-profiles/${profile.body.id}/test`, {
      fileName: 'REC-77.amr',
      sidecarContent: '<call><Own>090-1234-5678</Own><Dir>sideways</Dir><Start>2026/13/01 10:00:00</Start></call>',
    });
    expect(bad.body.ok).toBe(false);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'direction',
      'otherNumber',
      'startedAt',
    ]);
    const wrong = await u.admin.post('/api/v1/flexdplayer/mapping-profiles', {
      name: 'y',
      fileNamePattern: '{own}_{when}',
    });
    expect(wrong.body.errors[0].field).toBe('fileNamePattern');
  });

  it('takes an HTTPS push with its token only, imports it, and keeps limits', async () => {
    const created = await u.admin.post('/api/v1/flexdplayer/connectors', { type: 'https-push', name: 'プッシュ' });
    const token = created.body.pushToken as string;
    expect(token).toMatch(/^fdp_/);
    expect((await u.admin.get(`/api/v1/flexdplayer/connectors/${created.body.id}`)).body.pushToken).toBeUndefined();
    const push = (bearer: string, audio: Buffer, audioName: string, csv?: string) => {
      const form = new FormData();
      form.append('audio', new Blob([new Uint8Array(audio)]), audioName);
      if (csv) form.append('metadata', new Blob([csv]), 'meta.csv');
      return fetch(`${t.baseUrl}/api/v1/flexdplayer/push/${created.body.id}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bearer}` },
        body: form,
      });
    };
    expect((await push('fdp_wrong', ulawWav(1), 'a.wav')).status).toBe(401);
    const sidecar = csvSidecar({
      own: MOBILE,
      other: '0311112222',
      direction: 'out',
      start: '2026-11-24T10:00:00+09:00',
    });
    const ok = await push(token, ulawWav(1, 880), 'push-1.wav', sidecar);
    expect(ok.status).toBe(201);
    const body = await ok.json();
    expect(body).toMatchObject({ status: 'imported', fileName: 'push-1.wav' });
    const call = (await u.admin.get(`/api/v1/calls/${body.callId}`)).body;
    expect(call).toMatchObject({ startedAt: '2026-11-24T01:00:00.000Z', callee: { number: '0311112222' } });
    expect((await push(token, ulawWav(1, 880), 'push-1.wav', sidecar)).status).toBe(200);
    expect((await push(token, ulawWav(1), 'notes.txt')).status).toBe(400);
    const rotated = await u.admin.post(`/api/v1/flexdplayer/connectors/${created.body.id}/push-token`);
    expect((await push(token, ulawWav(1, 900), 'x.wav', sidecar)).status).toBe(401);
    expect(rotated.body.pushToken).not.toBe(token);
  });

  it('answers 403 to a tenant whose contract lacks FlexDPlayer, on every screen’s endpoint', async () => {
    const admin = { email: 'gamma@example.jp', displayName: 'Gamma', password: 'Tenant-Adm1n!' };
    expect((await u.admin.post('/api/v1/tenants', { name: 'Gamma', products: ['flexlog'], admin })).status).toBe(201);
    const gamma = t.client();
    await gamma.post('/api/v1/auth/login', { email: admin.email, password: admin.password });
    for (const list of ['connectors', 'lines', 'mapping-profiles', 'files', 'opening-test', 'sftp-server']) {
      const res = await gamma.get(`/api/v1/flexdplayer/${list}`);
      expect([list, res.status, res.body.message]).toEqual([
        list,
        403,
        "this tenant's contract does not include flexdplayer",
      ]);
    }
  });

  it('keeps connectors, lines, profiles, failed and quarantined files to their tenant', async () => {
    const folder = watchedFolder();
    const c = await folderConnector(u.admin, '隔離テスト', folder);
    writeFileSync(join(folder, '08055556666_0311112222_20261124100000_out.wav'), ulawWav(1, 300));
    writeFileSync(join(folder, 'garbage_20261124100000.wav'), ulawWav(1, 310));
    await scanUntilSettled(u.admin, c.id);
    const files = (await u.admin.get(`/api/v1/flexdplayer/files?connectorId=${c.id}`)).body;
    expect(files.map((f: { status: string }) => f.status).sort()).toEqual(['failed', 'quarantined']);
    const line = (await u.admin.get('/api/v1/flexdplayer/lines')).body[0];
    const profile = (await u.admin.get('/api/v1/flexdplayer/mapping-profiles')).body.find(
      (p: { builtIn: boolean }) => !p.builtIn,
    );
    for (const path of [
      `/api/v1/flexdplayer/connectors/${c.id}`,
      `/api/v1/flexdplayer/lines/${line.id}`,
      `/api/v1/flexdplayer/mapping-profiles/${profile.id}`,
      ...files.map((f: { id: string }) => `/api/v1/flexdplayer/files/${f.id}`),
    ]) {
      expect((await u.other.get(path)).status).toBe(404);
      expect((await u.other.patch(path, {})).status).toBeGreaterThanOrEqual(404);
    }
    expect((await u.other.post(`/api/v1/flexdplayer/connectors/${c.id}/scan`)).status).toBe(404);
    for (const f of files) {
      expect((await u.other.post(`/api/v1/flexdplayer/files/${f.id}/retry`)).status).toBe(404);
      expect((await u.other.post(`/api/v1/flexdplayer/files/${f.id}/assign`, { lineId: line.id })).status).toBe(404);
    }
    for (const list of ['connectors', 'lines', 'files', 'files?status=quarantined', 'files?status=failed']) {
      const theirs = (await u.other.get(`/api/v1/flexdplayer/${list}`)).body;
      expect(
        theirs.filter((x: { tenantId?: string }) => x.tenantId !== undefined && x.tenantId !== u.otherTenantId),
      ).toEqual([]);
      expect(JSON.stringify(theirs)).not.toContain(c.id);
    }
    expect((await u.other.get('/api/v1/flexdplayer/lines')).body).toEqual([]);
    expect((await u.auditor.get(`/api/v1/flexdplayer/connectors/${c.id}`)).status).toBe(200);
    expect((await u.auditor.post('/api/v1/flexdplayer/lines', { number: '09099998888' })).status).toBe(403);
    expect((await u.operator.get('/api/v1/flexdplayer/connectors')).status).toBe(403);
    expect((await u.other.delete(`/api/v1/flexdplayer/connectors/${c.id}`)).status).toBe(404);
  });
});
