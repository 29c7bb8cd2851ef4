import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/app-config';
import { createApp } from '../src/bootstrap/create-app';

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
});
