import { randomBytes } from 'node:crypto';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  JsonFilePullStateStore,
  SftpDropServer,
  SftpPuller,
  SftpPullFailure,
  type SftpFileReceived,
  type SftpPullError,
  type SftpPullerOptions,
} from '../src/products/flexdplayer/sftp';
import { makeClientKey, type ClientKey } from './support/openssh-client';
import { ssh2Sftp } from './support/ssh2-client';

// The puller against a real SFTP server on this machine (the drop server playing the carrier's
// side): complete files are fetched once, growing ones wait, and a changed host key is refused.

const PASSWORD = 'Carrier-side-secret-1';

describe('FlexDPlayer SFTP puller', () => {
  let dir: string;
  let remoteRoot: string;
  let remoteServer: SftpDropServer;
  let remotePort: number;
  let clientKey: ClientKey;
  let testNo = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fdp-sftp-pull-'));
    remoteRoot = join(dir, 'carrier-side');
    mkdirSync(remoteRoot);
    clientKey = makeClientKey(dir, 'puller_key');
    const { hashPassword } = await import('../src/core/auth/password');
    const passwordHash = await hashPassword(PASSWORD);
    remoteServer = new SftpDropServer({
      host: '127.0.0.1',
      port: 0,
      hostKeyPath: join(dir, 'carrier_host_key'),
      findSftpAccount: async (u) =>
        u === 'appliance'
          ? {
              tenantId: 'carrier',
              connectorId: 'carrier',
              inboxDir: remoteRoot,
              passwordHash,
              authorizedKeys: [clientKey.publicKey],
            }
          : null,
    });
    ({ port: remotePort } = await remoteServer.start());
  });

  afterAll(async () => {
    await remoteServer?.close({ graceMs: 0 });
    rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh remote outbox, local inbox and state file per test, and a puller over them. */
  function setUp(overrides: Partial<SftpPullerOptions> = {}) {
    const n = ++testNo;
    const outbox = join(remoteRoot, `outbox${n}`);
    const inbox = join(dir, `inbox${n}`);
    mkdirSync(outbox);
    mkdirSync(inbox);
    const received: SftpFileReceived[] = [];
    const errors: SftpPullError[] = [];
    const options: SftpPullerOptions = {
      tenantId: 'tenant-a',
      connectorId: `pull-${n}`,
      host: '127.0.0.1',
      port: remotePort,
      username: 'appliance',
      privateKey: readFileSync(clientKey.privateKeyPath),
      hostKeyFingerprint: remoteServer.hostKeyFingerprint,
      remoteDir: `/outbox${n}`,
      inboxDir: inbox,
      stateStore: new JsonFilePullStateStore(join(dir, `state${n}.json`)),
      onFileReceived: (e) => void received.push(e),
      onError: (e) => void errors.push(e),
      ...overrides,
    };
    return { outbox, inbox, received, errors, options, puller: new SftpPuller(options) };
  }

  /** Puts a file on the remote the way the carrier would, through SFTP (so it may delete it later). */
  async function upload(remotePath: string, body: Buffer) {
    const { sftp, end } = await ssh2Sftp(remotePort, 'appliance', PASSWORD);
    await new Promise<void>((resolve, reject) => {
      const stream = sftp.createWriteStream(remotePath);
      stream.on('close', () => resolve()).on('error', reject);
      stream.end(body);
    });
    end();
  }

  it('fetches each complete file once, also across a restart', async () => {
    const { outbox, inbox, received, errors, options, puller } = setUp();
    const a = randomBytes(300_000);
    const b = Buffer.from('caller,callee\n09012345678,0312345678\n');
    writeFileSync(join(outbox, 'call-1.wav'), a);
    writeFileSync(join(outbox, 'call-1.csv'), b);
    // First sight: nothing is known to be complete yet.
    expect(await puller.pollOnce()).toEqual({ fetched: [], waiting: ['call-1.csv', 'call-1.wav'].sort(), failed: [] });
    const second = await puller.pollOnce();
    expect(second.fetched.sort()).toEqual(['call-1.csv', 'call-1.wav']);
    expect(readFileSync(join(inbox, 'call-1.wav')).equals(a)).toBe(true);
    expect(readFileSync(join(inbox, 'call-1.csv')).equals(b)).toBe(true);
    expect(readdirSync(inbox).sort()).toEqual(['call-1.csv', 'call-1.wav']);
    expect(received.map((e) => [e.tenantId, e.connectorId, e.relativePath, e.size]).sort()).toEqual([
      ['tenant-a', options.connectorId, 'call-1.csv', b.length],
      ['tenant-a', options.connectorId, 'call-1.wav', a.length],
    ]);
    expect(await puller.pollOnce()).toEqual({ fetched: [], waiting: [], failed: [] });

    // (A pinned fingerprint may carry base64's '=' padding, as some tools print it.)
    const restarted = new SftpPuller({ ...options, hostKeyFingerprint: `${remoteServer.hostKeyFingerprint}=` });
    await restarted.pollOnce();
    expect(await restarted.pollOnce()).toEqual({ fetched: [], waiting: [], failed: [] });
    expect(received).toHaveLength(2);
    // A new delivery under an old name (new size and time) is fetched again.
    writeFileSync(join(outbox, 'call-1.csv'), 'caller,callee\n09099999999,0311111111\n');
    utimesSync(join(outbox, 'call-1.csv'), new Date(), new Date(Date.now() + 5000));
    await restarted.pollOnce();
    expect((await restarted.pollOnce()).fetched).toEqual(['call-1.csv']);
    expect(readFileSync(join(inbox, 'call-1.csv'), 'utf8')).toContain('09099999999');
    expect(errors).toEqual([]);
    expect(puller.status()).toMatchObject({
      consecutiveFailures: 0,
      hostKeyFingerprint: remoteServer.hostKeyFingerprint,
    });
  });

  it('leaves a file alone while it is still growing', async () => {
    const { outbox, inbox, puller } = setUp();
    const path = join(outbox, 'long-call.wav');
    writeFileSync(path, randomBytes(10_000));
    expect((await puller.pollOnce()).waiting).toEqual(['long-call.wav']);
    appendFileSync(path, randomBytes(10_000));
    expect(await puller.pollOnce()).toEqual({ fetched: [], waiting: ['long-call.wav'], failed: [] });
    expect(readdirSync(inbox)).toEqual([]);
    appendFileSync(path, randomBytes(10_000));
    expect((await puller.pollOnce()).fetched).toEqual([]);
    // Unchanged since the previous poll: now it is complete.
    expect((await puller.pollOnce()).fetched).toEqual(['long-call.wav']);
    expect(readFileSync(join(inbox, 'long-call.wav')).equals(readFileSync(path))).toBe(true);
  });

  it('waits for a completion marker when configured so, and deletes fetched files when asked', async () => {
    const { outbox, inbox, puller } = setUp({
      completion: { kind: 'marker', suffix: '.done' },
      afterDownload: { kind: 'delete' },
    });
    const n = testNo;
    await upload(`/outbox${n}/m.wav`, randomBytes(5000));
    expect((await puller.pollOnce()).waiting).toEqual(['m.wav']);
    expect((await puller.pollOnce()).waiting).toEqual(['m.wav']); // stable is not enough here
    await upload(`/outbox${n}/m.wav.done`, Buffer.alloc(0));
    expect((await puller.pollOnce()).fetched).toEqual(['m.wav']);
    expect(readdirSync(inbox)).toEqual(['m.wav']);
    expect(readdirSync(outbox)).toEqual([]); // the file and its marker are gone from the remote
  });

  it('moves fetched files into a remote folder when asked', async () => {
    const { outbox, inbox, puller } = setUp({ afterDownload: { kind: 'move', dir: 'done' } });
    await upload(`/outbox${testNo}/moved.wav`, randomBytes(4000));
    await puller.pollOnce();
    expect((await puller.pollOnce()).fetched).toEqual(['moved.wav']);
    expect(readdirSync(inbox)).toEqual(['moved.wav']);
    expect(readdirSync(outbox)).toEqual(['done']);
    expect(readdirSync(join(outbox, 'done'))).toEqual(['moved.wav']);
  });

  it('reports a remote file it could not delete, without fetching it twice', async () => {
    const { outbox, puller, errors } = setUp({ afterDownload: { kind: 'delete' } });
    writeFileSync(join(outbox, 'not-ours.wav'), randomBytes(1000)); // the remote refuses to delete this
    await puller.pollOnce();
    const result = await puller.pollOnce();
    expect(result.fetched).toEqual(['not-ours.wav']);
    expect(result.failed).toEqual([
      { file: 'not-ours.wav', reason: expect.stringMatching(/could not delete .*permission denied/) },
    ]);
    expect(errors).toEqual([expect.objectContaining({ file: 'not-ours.wav', consecutiveFailures: 0 })]);
    expect((await puller.pollOnce()).fetched).toEqual([]);
  });

  it('refuses a changed host key with a clear error, pinned or learned on first use', async () => {
    const impostor = new SftpDropServer({
      host: '127.0.0.1',
      port: 0,
      hostKeyPath: join(dir, 'impostor_host_key'),
      findSftpAccount: async () => ({
        tenantId: 'x',
        connectorId: 'x',
        inboxDir: remoteRoot,
        passwordHash: null,
        authorizedKeys: [clientKey.publicKey],
      }),
    });
    const { port: impostorPort } = await impostor.start();
    try {
      const pinned = setUp({ port: impostorPort });
      writeFileSync(join(pinned.outbox, 'x.wav'), 'x');
      const failure = await pinned.puller.pollOnce().catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(SftpPullFailure);
      expect((failure as SftpPullFailure).reason).toBe(
        `host key of 127.0.0.1:${impostorPort} changed: expected ${remoteServer.hostKeyFingerprint}, got ${impostor.hostKeyFingerprint}; ` +
          'refusing to connect (confirm the new key with the carrier, then update the pinned fingerprint)',
      );
      expect(pinned.errors).toEqual([
        expect.objectContaining({ consecutiveFailures: 1, reason: (failure as SftpPullFailure).reason }),
      ]);
      expect(pinned.puller.status()).toMatchObject({
        consecutiveFailures: 1,
        lastError: (failure as SftpPullFailure).reason,
      });

      // No configured fingerprint: the first key seen is pinned, and a different one later is refused.
      const learned: string[] = [];
      const tofu = setUp({ hostKeyFingerprint: undefined, onHostKeyLearned: (fp) => void learned.push(fp) });
      await tofu.puller.pollOnce();
      expect(learned).toEqual([remoteServer.hostKeyFingerprint]);
      const moved = new SftpPuller({ ...tofu.options, port: impostorPort });
      await expect(moved.pollOnce()).rejects.toThrow(/host key of .* changed/);
      expect(existsSync(join(tofu.inbox, 'x.wav'))).toBe(false);
    } finally {
      await impostor.close({ graceMs: 0 });
    }
  });

  it('reports a refused login per connector and counts failures in a row', async () => {
    const { puller, errors } = setUp({ privateKey: undefined, password: 'not-the-password' });
    await expect(puller.pollOnce()).rejects.toThrow('login refused for user appliance at 127.0.0.1:' + remotePort);
    await expect(puller.pollOnce()).rejects.toThrow(SftpPullFailure);
    expect(errors.map((e) => [e.connectorId, e.consecutiveFailures])).toEqual([
      [`pull-${testNo}`, 1],
      [`pull-${testNo}`, 2],
    ]);
    const missingDir = setUp({ remoteDir: '/no-such-dir' });
    await expect(missingDir.puller.pollOnce()).rejects.toThrow('remote path not found (remote directory /no-such-dir)');
  });

  it('rejects bad settings with the field named', () => {
    const { options } = setUp();
    expect(() => new SftpPuller({ ...options, host: '' })).toThrow('host is required');
    expect(() => new SftpPuller({ ...options, privateKey: undefined, password: undefined })).toThrow(
      'password or privateKey',
    );
    expect(() => new SftpPuller({ ...options, hostKeyFingerprint: 'aa:bb' })).toThrow('hostKeyFingerprint');
    expect(() => new SftpPuller({ ...options, inboxDir: 'relative' })).toThrow('inboxDir');
    expect(() => new SftpPuller({ ...options, port: 70000 })).toThrow('port');
  });
});
