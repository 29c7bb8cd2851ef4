import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { ADMIN, startTestApp, TestApp } from './support/test-app';
import { testDatabases } from './support/test-databases';

/** A real SMTP server process listening on loopback, keeping what it receives. */
async function startSmtp() {
  const received: Array<{ from: string; to: string[]; raw: string }> = [];
  const server = new SMTPServer({
    // Plain AUTH on loopback; the credentials are checked, so a wrong password fails the test.
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (auth.username === 'relay' && auth.password === 'smtp-secret-9') return callback(null, { user: 'relay' });
      return callback(new Error('invalid credentials'));
    },
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (c: Buffer) => (raw += c.toString('utf8')));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe.each(testDatabases())('setup wizard on $name', (db) => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  beforeAll(async () => {
    t = await startTestApp(db);
    smtp = await startSmtp();
  });
  afterAll(async () => {
    await smtp?.close();
    await t?.close();
  });

  it('walks every step, tests the outside world, persists, then closes with 409', async () => {
    const anon = t.client();
    expect((await anon.get('/api/setup/status')).body).toEqual({ setupComplete: false });
    expect((await anon.get('/api/health')).body).toEqual({ status: 'ok' });
    // Before an administrator exists nothing but setup and health answers.
    expect((await anon.get('/api/v1/users')).status).toBe(503);
    expect((await anon.post('/api/v1/auth/login', { email: ADMIN.email, password: ADMIN.password })).status).toBe(503);

    // Step 1, with bad input first: a weak password is refused and nothing is written.
    const weak = await anon.post('/api/setup/admin', { ...ADMIN, password: 'short' });
    expect(weak.status).toBe(400);
    expect(weak.body.errors[0].field).toBe('password');
    expect((await anon.get('/api/v1/users')).status).toBe(503);

    const admin = t.client();
    const created = await admin.post('/api/setup/admin', ADMIN);
    expect(created.status).toBe(201);
    expect(created.body.user.roles).toEqual(['tenantAdmin']);
    expect(admin.cookie('access_token')).toBeTruthy();
    expect((await anon.post('/api/setup/admin', { ...ADMIN, email: 'second@example.jp' })).status).toBe(409);
    // Later steps need the administrator's session.
    expect((await anon.put('/api/setup/organization', {})).status).toBe(401);

    // Step 2.
    const badOrg = await admin.put('/api/setup/organization', {
      organizationName: '',
      deploymentMode: 'cloud',
      products: ['fax'],
    });
    expect(badOrg.status).toBe(400);
    expect(badOrg.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'deploymentMode',
      'organizationName',
      'products',
    ]);
    const org = await admin.put('/api/setup/organization', {
      organizationName: '株式会社フレックス',
      deploymentMode: 'single',
      timeZone: 'Asia/Tokyo',
      products: ['flexlog', 'flexvnote'],
    });
    expect(org.status).toBe(200);
    expect(org.body.organization).toMatchObject({
      organizationName: '株式会社フレックス',
      products: ['flexlog', 'flexvnote'],
    });

    // Step 3: a path that cannot be created fails the test and cannot be saved; a good one works.
    writeFileSync(join(t.dataDir, 'a-file'), 'x');
    const badStorage = { driver: 'local', localPath: join(t.dataDir, 'a-file', 'recordings') };
    expect((await admin.post('/api/setup/storage/test', { driver: 'local', localPath: '/proc/x' })).body.ok).toBe(
      false,
    );
    expect((await admin.post('/api/setup/storage/test', badStorage)).body.ok).toBe(false);
    expect((await admin.put('/api/setup/storage', badStorage)).status).toBe(422);
    const goodStorage = { driver: 'local', localPath: join(t.dataDir, 'recordings') };
    const tested = await admin.post('/api/setup/storage/test', goodStorage);
    expect(tested.body).toMatchObject({ ok: true });
    expect((await admin.put('/api/setup/storage', goodStorage)).status).toBe(200);
    const s3Missing = await admin.post('/api/setup/storage/test', { driver: 's3', region: 'ap-northeast-1' });
    expect(s3Missing.status).toBe(400);
    expect(s3Missing.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['bucket', 'accessKeyId', 'secretAccessKey']),
    );

    // Step 4: the local master key round-trips; KMS with no reachable endpoint reports why.
    expect((await admin.post('/api/setup/encryption/test', { mode: 'local' })).body.ok).toBe(true);
    const kms = await admin.post('/api/setup/encryption/test', {
      mode: 'kms',
      kmsKeyId: 'alias/appliance',
      kmsRegion: 'ap-northeast-1',
      kmsEndpoint: 'http://127.0.0.1:9',
    });
    expect(kms.body.ok).toBe(false);
    expect(kms.body.message).toContain('alias/appliance');
    expect((await admin.put('/api/setup/encryption', { mode: 'local' })).status).toBe(200);

    // Step 5: a real test mail arrives at a real SMTP server; the password is stored sealed.
    {
      const mail = {
        host: '127.0.0.1',
        port: smtp.port,
        secure: false,
        user: 'relay',
        password: 'smtp-secret-9',
        from: 'recorder@example.jp',
      };
      const sent = await admin.post('/api/setup/mail/test', { ...mail, testRecipient: 'it@example.jp' });
      expect(sent.body).toMatchObject({ ok: true });
      const wrongPassword = await admin.post('/api/setup/mail/test', {
        ...mail,
        password: 'nope',
        testRecipient: 'it@example.jp',
      });
      expect(wrongPassword.body.ok).toBe(false);
      expect(smtp.received).toHaveLength(1);
      expect(smtp.received[0].to).toEqual(['it@example.jp']);
      expect(smtp.received[0].raw).toContain('Subject:');
      const unreachable = await admin.post('/api/setup/mail/test', {
        ...mail,
        port: 1,
        testRecipient: 'it@example.jp',
      });
      expect(unreachable.body.ok).toBe(false);
      const saved = await admin.put('/api/setup/mail', mail);
      expect(saved.body.mail.password).toBe('********');
      // The wizard sends the mask back for an untouched secret: it means "keep the stored one".
      smtp.received.length = 0;
      const again = await admin.post('/api/setup/mail/test', {
        ...mail,
        password: '********',
        testRecipient: 'it@example.jp',
      });
      expect(again.body.ok).toBe(true);
      expect(smtp.received).toHaveLength(1);
      const [row] = await t.dataSource.query("SELECT value FROM system_settings WHERE `key` = 'mail'");
      expect(row.value).not.toContain('smtp-secret-9');
    }

    // Step 6: review, complete, and the wizard is closed for good.
    const review = await admin.get('/api/setup/state');
    expect(review.body).toMatchObject({ adminCreated: true, setupComplete: false, encryption: { mode: 'local' } });
    expect((await admin.post('/api/setup/complete')).body).toEqual({ setupComplete: true });
    expect((await anon.get('/api/setup/status')).body).toEqual({ setupComplete: true });
    for (const [method, path] of [
      ['POST', '/api/setup/admin'],
      ['GET', '/api/setup/state'],
      ['PUT', '/api/setup/storage'],
      ['POST', '/api/setup/complete'],
    ]) {
      expect((await admin.request(method, path, method === 'GET' ? undefined : {})).status).toBe(409);
    }
    const me = await admin.get('/api/v1/auth/me');
    expect(me.body.tenant).toMatchObject({
      name: '株式会社フレックス',
      products: ['flexlog', 'flexvnote'],
      deploymentMode: 'single',
    });
    const audit = await admin.get('/api/v1/audit?limit=50');
    expect(audit.body.items.map((i: { action: string }) => i.action)).toEqual(
      expect.arrayContaining(['setup.admin.created', 'setup.storage.saved', 'setup.mail.saved', 'setup.completed']),
    );
  });

  it('answers readiness with every dependency checked', async () => {
    const ready = await t.client().get('/api/health/ready');
    expect(ready.status).toBe(200);
    expect(Object.keys(ready.body.info)).toEqual(expect.arrayContaining(['database', 'queue', 'storage', 'mail']));
    expect(ready.body.info.queue.kind).toBe(db.name === 'mysql' && process.env['REDIS_URL'] ? 'bull' : 'in-process');
    // A dependency that stops answering makes the appliance not ready, naming it.
    await smtp.close();
    const down = await t.client().get('/api/health/ready');
    expect(down.status).toBe(503);
    expect(Object.keys(down.body.error)).toEqual(['mail']);
  });
});
