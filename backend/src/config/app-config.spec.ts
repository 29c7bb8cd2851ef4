import { ConfigError, loadConfig } from './app-config';
import { envDescriptions, envSchema } from './env.schema';

describe('loadConfig', () => {
  it('gives the embedded default with no environment at all', () => {
    const c = loadConfig({});
    expect(c.http).toMatchObject({ port: 3000, host: '127.0.0.1', corsOrigins: [] });
    expect(c.database).toEqual({ type: 'sqlite', path: expect.stringMatching(/data\/appliance\.sqlite$/) });
    expect(c.redisUrl).toBeUndefined();
    expect(c.masterKeyFile).toMatch(/data\/master\.key$/);
    expect(c.auth).toMatchObject({ lockoutThreshold: 5, lockoutMinutes: 15, accessTtlSeconds: 900 });
  });

  it('parses a MySQL URL and keeps the database name', () => {
    const c = loadConfig({ DATABASE_URL: 'mysql://app:secret@db:3306/recorder' });
    expect(c.database).toMatchObject({ type: 'mysql', database: 'recorder' });
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'postgres://x/y' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'mysql://db:3306/' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL'],
    [{ SESSION_SECRET: 'short' }, 'SESSION_SECRET'],
    [{ TLS_CERT_FILE: '/x.crt' }, 'TLS_CERT_FILE'],
    [{ HOST: '0.0.0.0' }, 'HOST'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ TLS_SELF_SIGNED: 'maybe' }, 'TLS_SELF_SIGNED'],
  ])('refuses %j naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(name));
  });

  it('allows a public HOST only with TLS or behind a declared proxy', () => {
    expect(loadConfig({ HOST: '0.0.0.0', TLS_SELF_SIGNED: 'true' }).tls.enabled).toBe(true);
    expect(loadConfig({ HOST: '0.0.0.0', ALLOW_INSECURE_HTTP: 'true' }).tls.enabled).toBe(false);
  });

  it('never prints a database password in its messages', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://app:hunter2@db:3306/' })).toThrow(/app:\*\*\*\*@db/);
  });

  it('documents every variable', () => {
    expect(Object.keys(envDescriptions).sort()).toEqual(Object.keys(envSchema.shape).sort());
  });
});

describe('docs/configuration.md', () => {
  it('names every environment variable', () => {
    const doc: string = require('node:fs').readFileSync(`${__dirname}/../../../docs/configuration.md`, 'utf8');
    const missing = Object.keys(envSchema.shape).filter((name) => !doc.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });
});
