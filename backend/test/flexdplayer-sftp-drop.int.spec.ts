import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashPassword } from '../src/core/auth/password';
import {
  SftpDropServer,
  type SftpAccount,
  type SftpFileReceived,
  type SftpLoginEvent,
} from '../src/products/flexdplayer/sftp';
import {
  keygenFingerprint,
  makeClientKey,
  remote,
  scp,
  sftpBatch,
  type ClientKey,
  type OpenSshLogin,
} from './support/openssh-client';
import { sftpStatus, ssh2Login, ssh2Sftp, ssh2Upload } from './support/ssh2-client';
import { eventually } from './support/store-probes';

// The SFTP drop against Debian's real OpenSSH clients: uploads land complete in the right inbox,
// accounts are chrooted to their own inbox, and password guessing is locked out.

const PASSWORD_A = 'Tenant-A-secret-1';
const PASSWORD_B = 'Tenant-B-secret-1';

describe('FlexDPlayer SFTP drop server', () => {
  let dir: string;
  let work: string;
  let inboxA: string;
  let inboxB: string;
  let hostKeyPath: string;
  let keyA: ClientKey;
  let keyB: ClientKey;
  let server: SftpDropServer;
  let port: number;
  let clock = Date.now();
  const received: (SftpFileReceived & { sizeWhenAnnounced: number })[] = [];
  const logins: SftpLoginEvent[] = [];
  const accounts = new Map<string, SftpAccount>();

  const loginA = (): OpenSshLogin => ({ port, user: 'carrier-a', identityFile: keyA.privateKeyPath });
  const filesIn = (inbox: string) => readdirSync(inbox).sort();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fdp-sftp-drop-'));
    work = join(dir, 'client');
    inboxA = join(dir, 'tenant-a', 'inbox');
    inboxB = join(dir, 'tenant-b', 'inbox');
    for (const d of [work, inboxA, inboxB]) mkdirSync(d, { recursive: true });
    hostKeyPath = join(dir, 'keys', 'sftp_host_ed25519');
    keyA = makeClientKey(work, 'id_a');
    keyB = makeClientKey(work, 'id_b');
    accounts.set('carrier-a', {
      tenantId: 'tenant-a',
      connectorId: 'connector-a',
      inboxDir: inboxA,
      passwordHash: await hashPassword(PASSWORD_A),
      authorizedKeys: [keyA.publicKey],
    });
    accounts.set('carrier-b', {
      tenantId: 'tenant-b',
      connectorId: 'connector-b',
      inboxDir: inboxB,
      passwordHash: await hashPassword(PASSWORD_B),
      authorizedKeys: [keyB.publicKey],
    });
    server = new SftpDropServer({
      host: '127.0.0.1',
      port: 0,
      hostKeyPath,
      findSftpAccount: async (username) => accounts.get(username) ?? null,
      // The size on disk when the callback runs: proves it fires only once the file is whole.
      onFileReceived: (event) => void received.push({ ...event, sizeWhenAnnounced: statSync(event.path).size }),
      onLogin: (event) => void logins.push(event),
      lockout: { maxFailures: 3, windowMs: 60_000, lockoutMs: 60_000, now: () => clock },
    });
    ({ port } = await server.start());
  });

  afterAll(async () => {
    await server?.close({ graceMs: 0 });
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    received.length = 0;
    logins.length = 0;
  });

  it('keeps its host key in a 0600 file and presents the same key after a restart', async () => {
    expect(statSync(hostKeyPath).mode & 0o777).toBe(0o600);
    expect(server.hostKeyFingerprint).toBe(keygenFingerprint(hostKeyPath));
    const again = new SftpDropServer({ host: '127.0.0.1', port: 0, hostKeyPath, findSftpAccount: async () => null });
    await again.start();
    expect(again.hostKeyFingerprint).toBe(server.hostKeyFingerprint);
    await again.close();
  });

  it('lands a batch uploaded with sftp -b in the account inbox and announces each file once, complete', async () => {
    const files = {
      'call-0001.wav': randomBytes(1_500_000),
      'call-0001.csv': Buffer.from('from,to\n0901,0312\n'),
      'call-0002.wav': randomBytes(70_000),
    };
    for (const [name, body] of Object.entries(files)) writeFileSync(join(work, name), body);
    const run = await sftpBatch(work, loginA(), [
      ...Object.keys(files).map((name) => `put ${name}`),
      'mkdir day1',
      'put call-0002.wav day1/call-0002.wav',
      'ls -l',
    ]);
    expect(run).toMatchObject({ code: 0 });
    expect(run.stdout).toContain('call-0001.wav');
    for (const [name, body] of Object.entries(files)) expect(readFileSync(join(inboxA, name)).equals(body)).toBe(true);
    expect(filesIn(inboxA)).toEqual(['call-0001.csv', 'call-0001.wav', 'call-0002.wav', 'day1']); // no temp leftovers
    expect(filesIn(inboxB)).toEqual([]);
    const announced = received.map((e) => [e.relativePath, e.size, e.sizeWhenAnnounced, e.tenantId, e.connectorId]);
    expect(announced).toEqual([
      ['call-0001.wav', 1_500_000, 1_500_000, 'tenant-a', 'connector-a'],
      ['call-0001.csv', files['call-0001.csv'].length, files['call-0001.csv'].length, 'tenant-a', 'connector-a'],
      ['call-0002.wav', 70_000, 70_000, 'tenant-a', 'connector-a'],
      ['day1/call-0002.wav', 70_000, 70_000, 'tenant-a', 'connector-a'],
    ]);
    expect(received[0]?.path).toBe(join(inboxA, 'call-0001.wav'));
    expect(logins).toEqual([
      expect.objectContaining({ username: 'carrier-a', method: 'publickey', success: true, tenantId: 'tenant-a' }),
    ]);
  });

  it('accepts scp (SFTP protocol) uploads and refuses legacy scp -O, which needs a shell', async () => {
    writeFileSync(join(work, 'scp.wav'), randomBytes(40_000));
    expect(await scp(work, loginA(), ['scp.wav', remote(loginA(), '/scp-copy.wav')])).toMatchObject({ code: 0 });
    expect(statSync(join(inboxA, 'scp-copy.wav')).size).toBe(40_000);
    expect(received.map((e) => e.relativePath)).toEqual(['scp-copy.wav']);
    const legacy = await scp(work, loginA(), ['-O', 'scp.wav', remote(loginA(), '/legacy.wav')]);
    expect(legacy.code).not.toBe(0);
    expect(existsSync(join(inboxA, 'legacy.wav'))).toBe(false);
  });

  it('logs in with a password through OpenSSH and refuses a wrong one', async () => {
    writeFileSync(join(work, 'pw.json'), '{"caller":"0901"}');
    const ok = await sftpBatch(work, { port, user: 'carrier-b', password: PASSWORD_B }, ['put pw.json']);
    expect(ok).toMatchObject({ code: 0 });
    expect(filesIn(inboxB)).toEqual(['pw.json']);
    expect(received.map((e) => [e.tenantId, e.relativePath])).toEqual([['tenant-b', 'pw.json']]);
    const wrong = await sftpBatch(work, { port, user: 'carrier-b', password: PASSWORD_A }, ['put pw.json wrong.json']);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/Permission denied/);
    expect(existsSync(join(inboxB, 'wrong.json'))).toBe(false);
    expect(logins.map((e) => [e.username, e.method, e.success, e.reason])).toEqual([
      ['carrier-b', 'password', true, undefined],
      ['carrier-b', 'password', false, 'bad-credentials'],
    ]);
  });

  it("keeps tenant A's credentials out of tenant B's inbox", async () => {
    writeFileSync(join(inboxB, 'b-secret.wav'), 'tenant B audio');
    writeFileSync(join(work, 'intruder.wav'), 'from A');
    // A's key and A's password do not open B's account.
    expect(
      (await sftpBatch(work, { port, user: 'carrier-b', identityFile: keyA.privateKeyPath }, ['ls'])).code,
    ).not.toBe(0);
    expect((await sftpBatch(work, { port, user: 'carrier-b', password: PASSWORD_A }, ['ls'])).code).not.toBe(0);
    // Inside A's account, B's inbox is not reachable by any name.
    const listing = await sftpBatch(work, loginA(), ['ls -1 /']);
    expect(listing.stdout).not.toContain('b-secret');
    for (const attempt of [
      [`get ${join(inboxB, 'b-secret.wav')} stolen.wav`],
      [`put intruder.wav ${join(inboxB, 'intruder.wav')}`],
      ['get ../../tenant-b/inbox/b-secret.wav stolen.wav'],
      ['put intruder.wav ../../tenant-b/inbox/intruder.wav'],
    ]) {
      expect((await sftpBatch(work, loginA(), attempt)).code).not.toBe(0);
    }
    expect(existsSync(join(work, 'stolen.wav'))).toBe(false);
    expect(filesIn(inboxB)).toEqual(['b-secret.wav', 'pw.json']);
  });

  it('refuses path traversal: .., cd .., absolute paths and symlinks out of the inbox', async () => {
    writeFileSync(join(work, 'x.wav'), 'x');
    symlinkSync(inboxB, join(inboxA, 'to-b'));
    symlinkSync('/etc/passwd', join(inboxA, 'passwd'));
    const refusals: [string, RegExp][] = [
      ['put x.wav ../../etc/x.wav', /Permission denied/],
      ['cd ..', /Permission denied|refused/],
      ['get passwd passwd-copy', /not found/], // sftp globs first; the server's STAT refusal reads as 'not found'
      ['ls to-b', /not found/],
      ['put x.wav to-b/x.wav', /Permission denied/],
      ['put x.wav /etc/x.wav', /No such file/], // '/etc' here is inside the inbox, where it does not exist
    ];
    for (const [command, message] of refusals) {
      const run = await sftpBatch(work, loginA(), [command]);
      expect({ command, code: run.code }).toEqual({ command, code: 1 });
      expect(run.stderr).toMatch(message);
    }
    expect(existsSync('/etc/x.wav')).toBe(false);
    expect(existsSync(join(dir, 'etc'))).toBe(false);
    expect(existsSync(join(work, 'passwd-copy'))).toBe(false);
    expect(filesIn(inboxB)).toEqual(['b-secret.wav', 'pw.json']);
    expect(received).toEqual([]);

    // What the server answers underneath OpenSSH's messages: SSH_FX_PERMISSION_DENIED (3) every time.
    const { sftp, end } = await ssh2Sftp(port, 'carrier-a', PASSWORD_A);
    const denied = await Promise.all([
      sftpStatus((done) => sftp.stat('/passwd', done)),
      sftpStatus((done) => sftp.lstat('/passwd', done)),
      sftpStatus((done) => sftp.readdir('/to-b', done)),
      sftpStatus((done) => sftp.open('/to-b/x.wav', 'w', done)),
      sftpStatus((done) => sftp.realpath('/..', done)),
      sftpStatus((done) => sftp.open('/../../etc/passwd', 'r', done)),
      sftpStatus((done) => sftp.mkdir('sub/../../escape', done)),
      sftpStatus((done) => sftp.symlink('/etc/passwd', '/link', done)),
    ]);
    end();
    expect(denied).toEqual(Array(denied.length).fill(3));
  });

  it('lets an account remove and rename only files it uploaded', async () => {
    writeFileSync(join(inboxA, 'placed-by-importer.wav'), 'not an upload');
    writeFileSync(join(work, 'mine.tmp'), 'mine');
    expect((await sftpBatch(work, loginA(), ['rm placed-by-importer.wav'])).stderr).toMatch(/Permission denied/);
    expect((await sftpBatch(work, loginA(), ['rename placed-by-importer.wav moved.wav'])).code).toBe(1);
    expect(existsSync(join(inboxA, 'placed-by-importer.wav'))).toBe(true);
    const own = await sftpBatch(work, loginA(), [
      'put mine.tmp',
      'rename mine.tmp mine.wav',
      'put mine.tmp other.tmp',
      'rm other.tmp',
    ]);
    expect(own).toMatchObject({ code: 0 });
    expect(existsSync(join(inboxA, 'mine.wav'))).toBe(true);
    expect(existsSync(join(inboxA, 'other.tmp'))).toBe(false);
    // The rename is a delivery too: a sender that uploads x.tmp and renames it delivers x.wav then.
    expect(received.map((e) => e.relativePath)).toEqual(['mine.tmp', 'mine.wav', 'other.tmp']);
  });

  it('locks out an address + user name after repeated wrong passwords, even for the right one', async () => {
    for (let i = 0; i < 3; i++) expect(await ssh2Login(port, 'carrier-a', 'wrong-guess-' + i)).toBe('refused');
    expect(await ssh2Login(port, 'carrier-a', PASSWORD_A)).toBe('refused');
    expect(logins.map((e) => e.reason)).toEqual([
      'bad-credentials',
      'bad-credentials',
      'bad-credentials',
      'locked-out',
    ]);
    expect(logins[2]?.lockedOut).toBe(true);
    // Another source address and another user name are not affected by this lockout.
    expect(await ssh2Login(port, 'carrier-a', PASSWORD_A, '127.0.0.2')).toBe('ok');
    expect(await ssh2Login(port, 'carrier-b', PASSWORD_B)).toBe('ok');
    // OpenSSH's key login from the locked address is refused too, until the lockout expires.
    expect((await sftpBatch(work, loginA(), ['ls'])).code).not.toBe(0);
    clock += 60_001;
    expect(await ssh2Login(port, 'carrier-a', PASSWORD_A)).toBe('ok');
    // An unknown user name costs a guess too, and is reported as such.
    expect(await ssh2Login(port, 'nobody', 'x')).toBe('refused');
    expect(logins.at(-1)).toMatchObject({ username: 'nobody', success: false, reason: 'unknown-user' });
  });

  it('deletes an unfinished upload on close instead of publishing half a file', async () => {
    const inbox = join(dir, 'tenant-c', 'inbox');
    mkdirSync(inbox, { recursive: true });
    const announced: string[] = [];
    const accountC = { ...(accounts.get('carrier-a') as SftpAccount), tenantId: 'tenant-c', inboxDir: inbox };
    const other = new SftpDropServer({
      host: '127.0.0.1',
      port: 0,
      hostKeyPath: join(dir, 'keys', 'other_host_key'),
      findSftpAccount: async (u) => (u === 'carrier-c' ? accountC : null),
      onFileReceived: (e) => void announced.push(e.path),
    });
    const { port: otherPort } = await other.start();
    const upload = await ssh2Upload(otherPort, 'carrier-c', PASSWORD_A, '/half.wav', randomBytes(64_000));
    expect(readdirSync(inbox)).toHaveLength(1); // the in-progress name only
    expect(readdirSync(inbox)[0]).toMatch(/^\.incoming-.*\.part$/);
    await other.close({ graceMs: 0 });
    await upload.closed;
    expect(readdirSync(inbox)).toEqual([]);
    expect(announced).toEqual([]);
  });

  it('deletes the upload of a client that disconnects without closing it', async () => {
    const upload = await ssh2Upload(port, 'carrier-a', PASSWORD_A, '/abandoned.wav', randomBytes(64_000));
    expect(readdirSync(inboxA).filter((name) => name.startsWith('.incoming-'))).toHaveLength(1);
    upload.drop();
    await upload.closed;
    await eventually(
      async () => (readdirSync(inboxA).some((n) => n.startsWith('.incoming-')) ? undefined : true),
      'the temp file to go',
    );
    expect(existsSync(join(inboxA, 'abandoned.wav'))).toBe(false);
    expect(received).toEqual([]);
  });
});
