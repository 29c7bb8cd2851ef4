import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';

export interface TestDatabase {
  name: 'sqlite' | 'mysql';
  /** Makes a fresh empty database and returns its DATABASE_URL and a function that drops it. */
  create(dir: string): Promise<{ url: string; drop: () => Promise<void> }>;
}

const sqlite: TestDatabase = {
  name: 'sqlite',
  create: async (dir) => ({ url: `sqlite:${dir}/test.sqlite`, drop: async () => undefined }),
};

function mysqlAt(serverUrl: string): TestDatabase {
  return {
    name: 'mysql',
    async create() {
      const url = new URL(serverUrl.replace(/^mariadb:/, 'mysql:'));
      const database = `appliance_t_${randomBytes(5).toString('hex')}`;
      const admin = async () =>
        createConnection({
          host: url.hostname,
          port: Number(url.port || 3306),
          user: decodeURIComponent(url.username || 'root'),
          password: decodeURIComponent(url.password),
        });
      const conn = await admin();
      await conn.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
      await conn.end();
      url.pathname = `/${database}`;
      return {
        url: url.toString(),
        drop: async () => {
          const c = await admin();
          await c.query(`DROP DATABASE IF EXISTS \`${database}\``);
          await c.end();
        },
      };
    },
  };
}

/**
 * SQLite always; MySQL/MariaDB when DATABASE_URL (or testcontainers in global setup) provides one.
 * Under CI a missing MySQL is a failure, never a silent skip.
 */
export function testDatabases(): TestDatabase[] {
  const url = process.env['DATABASE_URL'];
  if (url && /^(mysql|mariadb):/.test(url)) return [sqlite, mysqlAt(url)];
  if (process.env['CI'] === 'true') {
    throw new Error(
      'CI=true but DATABASE_URL does not point at MySQL/MariaDB: integration tests must run on both databases',
    );
  }
  return [sqlite];
}

export function testRedisUrl(): string | undefined {
  const url = process.env['REDIS_URL'];
  if (!url && process.env['CI'] === 'true') throw new Error('CI=true but REDIS_URL is not set');
  return url;
}
