import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/app-config';
import { createApp } from '../../src/bootstrap/create-app';
import { TestDatabase, testRedisUrl } from './test-databases';
import { HttpClient } from './http-client';

export interface TestApp {
  app: INestApplication;
  baseUrl: string;
  dataDir: string;
  dataSource: DataSource;
  client(headers?: Record<string, string>): HttpClient;
  close(): Promise<void>;
}

/** The real application on a fresh database and data directory, listening on a free loopback port. */
export async function startTestApp(db: TestDatabase, env: Record<string, string> = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'appliance-test-'));
  const database = await db.create(dataDir);
  const redis = testRedisUrl();
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    // Each test app its own queues: test apps running side by side must not take each other's jobs.
    ...(redis && db.name === 'mysql' ? { REDIS_URL: redis, QUEUE_PREFIX: `test-${basename(dataDir)}` } : {}),
    LOG_LEVEL: 'silent',
    AUTH_RATE_LIMIT_PER_MINUTE: '10000',
    // Test receivers listen on loopback; outbound-networks.int.spec.ts tests the hosted default.
    OUTBOUND_NETWORKS: 'all',
    ...env,
  });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    app,
    baseUrl,
    dataDir,
    dataSource: app.get(DataSource),
    client: (headers) => new HttpClient(baseUrl, headers),
    async close() {
      await app.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const ADMIN = { email: 'admin@example.jp', displayName: '管理 太郎', password: 'Str0ng-Passw0rd!' };

/** Runs the wizard through to the end and returns the logged-in administrator's session. */
export async function completeSetup(t: TestApp, mode: 'single' | 'multi' = 'single'): Promise<HttpClient> {
  const admin = t.client();
  const steps: Array<[string, string, unknown]> = [
    ['post', '/api/setup/admin', ADMIN],
    [
      'put',
      '/api/setup/organization',
      { organizationName: '株式会社テスト', deploymentMode: mode, products: ['flexlog', 'flexdplayer', 'ootairyoku'] },
    ],
    ['put', '/api/setup/storage', { driver: 'local', localPath: join(t.dataDir, 'recordings') }],
    ['put', '/api/setup/encryption', { mode: 'local' }],
    ['put', '/api/setup/mail', { skip: true }],
    ['post', '/api/setup/complete', {}],
  ];
  for (const [method, path, body] of steps) {
    const res = await admin.request(method.toUpperCase(), path, body);
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${res.text}`);
  }
  return admin;
}
