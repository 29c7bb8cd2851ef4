import { expect, request as playwrightRequest } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

// The suite's shared appliance (run-e2e.mjs) is set up in single mode by the first spec; the vendor
// console exists only in multi mode, so its spec runs a second appliance of its own: the same built
// server, another DATA_DIR and port, set up through the wizard's API with deploymentMode multi.

const repoRoot = path.resolve(__dirname, '..', '..');
const HOST = '127.0.0.1';
const STARTUP_TIMEOUT_MS = 60_000;
// What run-e2e.mjs strips too: the embedded defaults, whatever the calling shell has configured.
const STRIPPED_ENV = [
  'DATABASE_URL',
  'REDIS_URL',
  'MASTER_KEY_FILE',
  'SESSION_SECRET',
  'TLS_CERT_FILE',
  'TLS_KEY_FILE',
];

export const VENDOR_ADMIN = { email: 'vendor-admin@example.jp', name: '販売元 管理者', password: 'Hanbai#Moto2026' };

export interface MultiAppliance {
  baseURL: string;
  dataDir: string;
  stop: () => Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, HOST, () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function healthy(baseURL: string): Promise<boolean> {
  try {
    const res = await fetch(`${baseURL}/api/health`, { signal: AbortSignal.timeout(2_000) });
    return res.ok && ((await res.json()) as { status?: string }).status === 'ok';
  } catch {
    return false;
  }
}

function stopped(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => server.kill('SIGKILL'), 10_000);
    server.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    server.kill('SIGTERM');
  });
}

/** Starts the built appliance (dist/backend) in a fresh DATA_DIR and completes setup in multi mode. */
export async function startMultiAppliance(): Promise<MultiAppliance> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'appliance-e2e-multi-'));
  const port = await freePort();
  const baseURL = `http://${HOST}:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of STRIPPED_ENV) delete env[name];
  Object.assign(env, {
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST,
    LOG_LEVEL: 'warn',
    AUTH_RATE_LIMIT_PER_MINUTE: '1000',
    FLEXDPLAYER_SFTP_PORT: '0',
    FLEXDPLAYER_SFTP_HOST: HOST,
  });
  const output: string[] = [];
  const server = spawn(process.execPath, [path.join(repoRoot, 'dist', 'backend', 'main.js')], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout?.on('data', (c: Buffer) => output.push(c.toString()));
  server.stderr?.on('data', (c: Buffer) => output.push(c.toString()));
  const stop = async () => {
    await stopped(server);
    rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (!(await healthy(baseURL))) {
    if (server.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`the multi-mode appliance did not start:\n${output.join('')}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await completeMultiSetup(baseURL, dataDir);
  return { baseURL, dataDir, stop };
}

/** The setup wizard through its API: the first administrator of a multi-tenant instance is the vendor's. */
async function completeMultiSetup(baseURL: string, dataDir: string): Promise<void> {
  const api = await playwrightRequest.newContext({ baseURL });
  try {
    const steps: [string, string, unknown][] = [
      [
        'post',
        '/api/setup/admin',
        { email: VENDOR_ADMIN.email, displayName: VENDOR_ADMIN.name, password: VENDOR_ADMIN.password },
      ],
      [
        'put',
        '/api/setup/organization',
        {
          organizationName: '株式会社コールレコード',
          deploymentMode: 'multi',
          timeZone: 'Asia/Tokyo',
          products: ['flexlog', 'flexdplayer'],
        },
      ],
      ['put', '/api/setup/storage', { driver: 'local', localPath: path.join(dataDir, 'recordings') }],
      ['put', '/api/setup/encryption', { mode: 'local' }],
      ['put', '/api/setup/mail', { skip: true }],
      ['post', '/api/setup/complete', {}],
    ];
    for (const [method, url, data] of steps) {
      const res = method === 'post' ? await api.post(url, { data }) : await api.put(url, { data });
      expect(res.ok(), `${url}: ${await res.text()}`).toBe(true);
    }
  } finally {
    await api.dispose();
  }
}
