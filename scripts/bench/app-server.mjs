// The built appliance as a benchmark sees it: a child process on a free loopback port, the setup
// wizard completed through the HTTP API (like backend/test/support/test-app.ts completeSetup), and a
// cookie-jar session (like backend/test/support/http-client.ts).
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { sleep } from './stats.mjs';

export const MAIN = 'dist/backend/main.js';
export const ADMIN = { email: 'admin@example.jp', displayName: '管理 太郎', password: 'Str0ng-Passw0rd!' };

/** Exits with a hint when the backend has not been built (run from the repository root). */
export function requireBuild() {
  if (existsSync(MAIN)) return;
  console.error(
    `${MAIN} missing: run \`npx nx run-many -t build -p backend frontend\` first (from the repository root)`,
  );
  process.exit(2);
}

export const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

/**
 * Starts `node dist/backend/main.js` on loopback with DATA_DIR and DATABASE_URL (empty: the embedded
 * SQLite in DATA_DIR), logging to DATA_DIR/app.log, and waits for /api/health/ready. Migrations run at
 * start-up: on a large table an index migration takes minutes, hence readyTimeoutMs.
 */
export async function startServer({ dataDir, databaseUrl, env = {}, readyTimeoutMs = 120_000 }) {
  mkdirSync(dataDir, { recursive: true });
  const port = await freePort();
  const logFile = join(dataDir, 'app.log');
  const out = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl ?? '',
      REDIS_URL: '',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
      ACCESS_TOKEN_TTL_SECONDS: '7200',
      AUTH_RATE_LIMIT_PER_MINUTE: '1000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyTimeoutMs;
  const fail = (message) => {
    child.kill('SIGTERM');
    return new Error(`${message}; see ${logFile}`);
  };
  for (;;) {
    if (child.exitCode !== null) throw fail(`the app exited (${child.exitCode})`);
    try {
      if ((await fetch(`${base}/api/health/ready`)).status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw fail(`the app did not become ready in ${readyTimeoutMs / 1000} s`);
    await sleep(100);
  }
  return {
    base,
    pid: child.pid,
    dataDir,
    logFile,
    /** CPU seconds (user + system) the server process has used so far, from /proc (Linux). */
    cpuSeconds() {
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A cookie-jar session against the app. */
export function session(base) {
  const cookies = new Map();
  return {
    cookieHeader: () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    async request(method, path, body, signal) {
      const headers = {};
      if (cookies.size) headers.cookie = this.cookieHeader();
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(base + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        redirect: 'manual',
        signal,
      });
      for (const line of res.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const i = pair.indexOf('=');
        const [name, value] = [pair.slice(0, i).trim(), pair.slice(i + 1)];
        if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) cookies.delete(name);
        else cookies.set(name, value);
      }
      const text = await res.text();
      return { status: res.status, text, json: text ? JSON.parse(text) : undefined };
    },
  };
}

/**
 * Completes the setup wizard (single tenant, local-disk storage under DATA_DIR, local master key, no
 * mail) on a fresh app, or logs in on one set up before; returns the administrator's session.
 */
export async function setupOrLogin(server, { organizationName = '株式会社ベンチ', halfSetupHint = '' } = {}) {
  const s = session(server.base);
  const status = await s.request('GET', '/api/setup/status');
  if (status.json.setupComplete) {
    const res = await s.request('POST', '/api/v1/auth/login', { email: ADMIN.email, password: ADMIN.password });
    if (res.status !== 200) throw new Error(`login: ${res.status} ${res.text}`);
    return s;
  }
  const steps = [
    ['POST', '/api/setup/admin', ADMIN],
    [
      'PUT',
      '/api/setup/organization',
      { organizationName, deploymentMode: 'single', products: ['flexlog', 'ootairyoku'] },
    ],
    ['PUT', '/api/setup/storage', { driver: 'local', localPath: join(server.dataDir, 'recordings') }],
    ['PUT', '/api/setup/encryption', { mode: 'local' }],
    ['PUT', '/api/setup/mail', { skip: true }],
    ['POST', '/api/setup/complete', {}],
  ];
  for (const [method, path, body] of steps) {
    const res = await s.request(method, path, body);
    if (res.status >= 300)
      throw new Error(`${path}: ${res.status} ${res.text}${path === '/api/setup/admin' ? halfSetupHint : ''}`);
  }
  return s;
}

/** A new API key of the administrator's tenant (what a capture site or connector ingests with). */
export async function createApiKey(admin, name) {
  const res = await admin.request('POST', '/api/v1/api-keys', { name });
  if (res.status !== 201 || !res.json?.key) throw new Error(`POST /api/v1/api-keys: ${res.status} ${res.text}`);
  return res.json.key;
}
