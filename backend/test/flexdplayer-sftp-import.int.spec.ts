import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setupTenants, Tenants } from './support/flexlog-fixtures';
import { csvSidecar, MOBILE, MOBILE_E164, scanUntilSettled, ulawWav } from './support/flexdplayer-fixtures';
import { makeClientKey, sftpBatch } from './support/openssh-client';
import { startTestApp, TestApp } from './support/test-app';
import { testDatabases } from './support/test-databases';

// The carrier's side of issue 8 end to end: Debian's OpenSSH `sftp` uploads recordings with their
// sidecars into the appliance's own SFTP server (started by the app, as in production), and they
// come out as calls: searchable with the right numbers and times, playable; a corrupt file fails
// alone with its reason; the same file sent twice is one call; another tenant's account is refused.

jest.setTimeout(180_000);

const fileName = (other: string, time: string, direction: string) => `${MOBILE}_${other}_${time}_${direction}.wav`;

describe.each(testDatabases())('FlexDPlayer over the built-in SFTP server on $name', (db) => {
  let t: TestApp;
  let u: Tenants;
  let port: number;
  const work = mkdtempSync(join(tmpdir(), 'fdp-sftp-e2e-'));
  const key = makeClientKey(work, 'carrier');
  const otherKey = makeClientKey(work, 'other-carrier');

  beforeAll(async () => {
    t = await startTestApp(db, { FLEXDPLAYER_SFTP_PORT: '0', FLEXDPLAYER_SFTP_HOST: '127.0.0.1' });
    u = await setupTenants(t, undefined, ['flexlog', 'flexdplayer']);
    const server = await u.admin.get('/api/v1/flexdplayer/sftp-server');
    expect(server.body).toMatchObject({ enabled: true, hostKeyFingerprint: expect.stringMatching(/^SHA256:/) });
    port = server.body.port;
    expect((await u.admin.post('/api/v1/flexdplayer/lines', { number: MOBILE, label: '営業' })).status).toBe(201);
  });
  afterAll(async () => t?.close());

  async function dropConnector(admin: Tenants['admin'], username: string, publicKey: string) {
    const res = await admin.post('/api/v1/flexdplayer/connectors', {
      type: 'sftp-drop',
      name: `docomo ${username}`,
      settleSeconds: 1,
      sftpDrop: { username, authorizedKeys: [publicKey] },
    });
    expect(res.status).toBe(201);
    return res.body as { id: string };
  }

  it('a batch uploaded with sftp becomes searchable, playable calls; corrupt fails alone; twice is once', async () => {
    const connector = await dropConnector(u.admin, 'docomo-a', key.publicKey);
    const first = fileName('0312345678', '20261124093000', 'out');
    const second = fileName('0612345678', '20261124100500', 'in');
    const corrupt = fileName('0452223333', '20261124110000', 'in');
    writeFileSync(join(work, first), ulawWav(2));
    writeFileSync(join(work, second), ulawWav(3, 660));
    const sidecar = second.replace('.wav', '.csv');
    writeFileSync(
      join(work, sidecar),
      csvSidecar({ own: MOBILE, other: '0612345678', direction: '着信', start: '2026/11/24 10:05:07', duration: 3 }),
    );
    writeFileSync(join(work, corrupt), Buffer.from('RIFF\x10\x00\x00\x00WAVEjunk-that-is-no-audio'));
    const upload = await sftpBatch(work, { port, user: 'docomo-a', identityFile: key.privateKeyPath }, [
      `put ${first}`,
      `put ${sidecar}`,
      `put ${second}`,
      `put ${corrupt}`,
    ]);
    expect(upload).toMatchObject({ code: 0 });

    const result = await scanUntilSettled(u.admin, connector.id);
    expect(result).toMatchObject({ imported: 2, failed: 1, quarantined: 0 });
    const failed = (await u.admin.get(`/api/v1/flexdplayer/files?status=failed&connectorId=${connector.id}`)).body;
    expect(failed).toEqual([
      expect.objectContaining({
        fileName: corrupt,
        status: 'failed',
        reason: expect.stringMatching(/could not decode/),
      }),
    ]);

    const search = await u.admin.get('/api/v1/calls?source=flexdplayer&number=06-1234-5678');
    const [inbound] = search.body.items;
    expect(inbound).toMatchObject({
      direction: 'inbound',
      caller: { e164: '+81612345678' },
      callee: { e164: MOBILE_E164 },
      startedAt: '2026-11-24T01:05:07.000Z',
      talkSeconds: 3,
    });
    const outbound = (await u.admin.get('/api/v1/calls?source=flexdplayer&number=03-1234-5678')).body.items[0];
    expect(outbound).toMatchObject({ direction: 'outbound', startedAt: '2026-11-24T00:30:00.000Z' });
    const audio = await fetch(`${t.baseUrl}/api/v1/calls/${inbound.id}/audio`, {
      headers: { cookie: `access_token=${u.admin.cookie('access_token')}` },
    });
    expect(audio.status).toBe(200);
    expect(Buffer.from(await audio.arrayBuffer()).toString('latin1', 0, 4)).toBe('OggS');

    // The carrier resends the first file (a retry after a lost acknowledgement): one call still.
    expect(
      await sftpBatch(work, { port, user: 'docomo-a', identityFile: key.privateKeyPath }, [`put ${first}`]),
    ).toMatchObject({
      code: 0,
    });
    const again = await scanUntilSettled(u.admin, connector.id);
    expect(again).toMatchObject({ imported: 2, duplicates: 1 });
    expect((await u.admin.get('/api/v1/calls?source=flexdplayer&number=03-1234-5678')).body.items).toHaveLength(1);

    const audit = await u.admin.get('/api/v1/audit?action=flexdplayer.sftp.login');
    expect(audit.body.items.length).toBeGreaterThanOrEqual(2);
  });

  it("another tenant's carrier key cannot log in as this tenant's account, nor see its inbox", async () => {
    await dropConnector(u.other, 'docomo-b', otherKey.publicKey);
    const wrongKey = await sftpBatch(work, { port, user: 'docomo-a', identityFile: otherKey.privateKeyPath }, ['ls']);
    expect(wrongKey.code).not.toBe(0);
    const own = await sftpBatch(work, { port, user: 'docomo-b', identityFile: otherKey.privateKeyPath }, [
      'ls',
      'get ../docomo-a/x.wav',
    ]);
    expect(own.code).not.toBe(0); // the traversal fails the batch
    expect(own.stdout + own.stderr).not.toContain('_20261124');
    // B's own login worked, in B's audit chain, not A's.
    const bLogins = (await u.other.get('/api/v1/audit?action=flexdplayer.sftp.login')).body.items;
    expect(bLogins.map((e: { actorEmail: string }) => e.actorEmail)).toEqual(['sftp:docomo-b']);
    const aLogins = (await u.admin.get('/api/v1/audit?action=flexdplayer.sftp.login')).body.items;
    expect(aLogins.every((e: { actorEmail: string }) => e.actorEmail === 'sftp:docomo-a')).toBe(true);
  });

  it('reports the server to readers only; another tenant reads its own connectors, never these', async () => {
    expect((await u.operator.get('/api/v1/flexdplayer/sftp-server')).status).toBe(403);
    expect((await u.auditor.get('/api/v1/flexdplayer/sftp-server')).status).toBe(200);
    const mine = (await u.admin.get('/api/v1/flexdplayer/connectors')).body as Array<{ id: string }>;
    for (const c of mine) {
      expect((await u.other.get(`/api/v1/flexdplayer/connectors/${c.id}/pull-status`)).status).toBe(404);
    }
  });
});
