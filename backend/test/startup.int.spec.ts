import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/app-config';
import { createApp } from '../src/bootstrap/create-app';
import { loadTls } from '../src/bootstrap/tls';
import { get } from 'node:https';
import type { AddressInfo } from 'node:net';

describe('start-up', () => {
  it('fails fast with a clear message when the database cannot be reached', async () => {
    const config = loadConfig({
      DATA_DIR: mkdtempSync(join(tmpdir(), 'appliance-bad-')),
      DATABASE_URL: 'mysql://nope@127.0.0.1:1/appliance',
      LOG_LEVEL: 'silent',
    });
    const started = Date.now();
    await expect(createApp(config)).rejects.toThrow(/ECONNREFUSED|connect/);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('creates the master key and session secret with 0600 permissions', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'appliance-keys-'));
    const app = await createApp(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }));
    await app.close();
    expect(statSync(join(dataDir, 'master.key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, 'session.secret')).mode & 0o777).toBe(0o600);
  });

  it('serves HTTPS with a generated certificate that clients verify against it as CA, with HSTS', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'appliance-tls-'));
    const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', TLS_SELF_SIGNED: 'true' });
    const tls = await loadTls(config);
    expect(tls).not.toBeNull();
    expect(statSync(join(dataDir, 'tls', 'self-signed.key')).mode & 0o777).toBe(0o600);
    const app = await createApp(config, tls);
    await app.listen(0, '127.0.0.1');
    const port = (app.getHttpServer().address() as AddressInfo).port;
    const fetchHttps = (ca?: Buffer) =>
      new Promise<{ status?: number; hsts?: string; cookieSecure?: boolean }>((resolve, reject) => {
        get({ host: '127.0.0.1', port, path: '/api/health', ca, servername: 'localhost' }, (res) => {
          res.resume();
          resolve({ status: res.statusCode, hsts: res.headers['strict-transport-security'] as string });
        }).on('error', reject);
      });
    try {
      const trusted = await fetchHttps(tls?.cert);
      expect(trusted.status).toBe(200);
      expect(trusted.hsts).toMatch(/max-age=31536000/);
      // A client that does not trust this CA refuses the connection.
      await expect(fetchHttps()).rejects.toThrow(/self.signed|certificate/i);
    } finally {
      await app.close();
    }
  });
});
