#!/usr/bin/env node
// End-to-end entry point (`npm run e2e` builds first, then calls this).
// Starts a fresh appliance (embedded SQLite in a temporary DATA_DIR, free loopback port),
// waits for /api/health, runs Playwright against it, then stops the server, removes the
// temporary directory and exits with Playwright's exit code. Extra arguments are passed to
// `playwright test` (e.g. `node e2e/run-e2e.mjs --grep login`).
// E2E_KEEP_DATA=1 keeps the temporary DATA_DIR for inspection.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const serverEntry = join(repoRoot, 'dist', 'backend', 'main.js');
const spaIndex = join(repoRoot, 'dist', 'frontend', 'browser', 'index.html');
const playwrightConfig = join(repoRoot, 'e2e', 'playwright.config.ts');
const resultsDir = join(repoRoot, 'test-results');
const STARTUP_TIMEOUT_MS = 60_000;
const HOST = '127.0.0.1';

// e2e always uses the embedded defaults (SQLite in DATA_DIR, in-process queue, plain HTTP on
// loopback), whatever the calling shell has configured.
const STRIPPED_ENV = [
  'DATABASE_URL',
  'REDIS_URL',
  'MASTER_KEY_FILE',
  'SESSION_SECRET',
  'TLS_CERT_FILE',
  'TLS_KEY_FILE',
  'TLS_SELF_SIGNED',
  'HTTP_REDIRECT_PORT',
  'TRUST_PROXY',
  'ALLOW_INSECURE_HTTP',
  'CORS_ORIGINS',
  'FRONTEND_DIST',
  'MIGRATIONS_RUN',
  'LOCKOUT_THRESHOLD',
  'LOCKOUT_MINUTES',
  'NODE_ENV',
];

const log = (msg) => process.stdout.write(`[e2e] ${msg}\n`);

function fail(msg) {
  process.stderr.write(`[e2e] ERROR: ${msg}\n`);
}

function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, HOST, () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function healthy(baseUrl) {
  try {
    const res = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(2_000) });
    if (!res.ok) return false;
    const body = await res.json().catch(() => null);
    return body?.status === 'ok';
  } catch {
    return false;
  }
}

let server = null;
let serverExited = null; // resolves with { code, signal } when the server process ends
let dataDir = null;
let cleanedUp = false;
const serverOutput = [];

function stopServer() {
  if (!server || server.exitCode !== null || server.signalCode !== null) return Promise.resolve();
  server.kill('SIGTERM');
  return Promise.race([
    serverExited,
    sleep(10_000).then(() => {
      if (server.exitCode === null && server.signalCode === null) {
        log('server did not stop on SIGTERM; killing it');
        server.kill('SIGKILL');
      }
      return serverExited;
    }),
  ]);
}

async function cleanup() {
  if (cleanedUp) return;
  cleanedUp = true;
  await stopServer();
  if (server) {
    try {
      mkdirSync(resultsDir, { recursive: true });
      writeFileSync(join(resultsDir, 'e2e-server.log'), serverOutput.join(''));
    } catch {
      // best effort
    }
  }
  if (dataDir) {
    if (process.env['E2E_KEEP_DATA']) log(`keeping DATA_DIR ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  for (const file of [serverEntry, spaIndex]) {
    if (!existsSync(file)) {
      fail(`${file} is missing. Build first: npx nx run-many -t build -p backend frontend`);
      return 1;
    }
  }

  dataDir = mkdtempSync(join(tmpdir(), 'appliance-e2e-'));
  const port = await freePort();
  const baseUrl = `http://${HOST}:${port}`;

  const env = { ...process.env };
  for (const name of STRIPPED_ENV) delete env[name];
  Object.assign(env, {
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST,
    LOG_LEVEL: 'warn',
    AUTH_RATE_LIMIT_PER_MINUTE: '1000',
    // FlexDPlayer's SFTP server on a free loopback port: 2222 may be taken (another run, a real service).
    FLEXDPLAYER_SFTP_PORT: '0',
    FLEXDPLAYER_SFTP_HOST: HOST,
  });

  log(`starting appliance: DATA_DIR=${dataDir} PORT=${port}`);
  server = spawn(process.execPath, [serverEntry], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  serverExited = new Promise((res) => server.once('exit', (code, signal) => res({ code, signal })));
  const collect = (chunk) => serverOutput.push(chunk.toString());
  server.stdout.on('data', collect);
  server.stderr.on('data', collect);

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  let up = false;
  while (Date.now() < deadline) {
    if (server.exitCode !== null || server.signalCode !== null) break;
    if (await healthy(baseUrl)) {
      up = true;
      break;
    }
    await sleep(250);
  }
  if (!up) {
    const exited = server.exitCode !== null || server.signalCode !== null;
    fail(
      exited
        ? `the appliance exited during startup (code ${server.exitCode}, signal ${server.signalCode}).`
        : `the appliance did not answer ${baseUrl}/api/health within ${STARTUP_TIMEOUT_MS / 1000} s.`,
    );
    process.stderr.write('----- server output -----\n' + serverOutput.join('') + '\n-------------------------\n');
    return 1;
  }
  log(`appliance ready on ${baseUrl}`);

  const require = createRequire(import.meta.url);
  const playwrightCli = require.resolve('@playwright/test/cli');
  const args = [playwrightCli, 'test', '-c', playwrightConfig, ...process.argv.slice(2)];
  const runner = spawn(process.execPath, args, {
    cwd: repoRoot,
    stdio: 'inherit',
    env: { ...env, BASE_URL: baseUrl, E2E_DATA_DIR: dataDir },
  });
  const { code, signal } = await new Promise((res) => runner.once('exit', (c, s) => res({ code: c, signal: s })));
  if (signal) fail(`playwright was terminated by ${signal}`);
  if (server.exitCode !== null || server.signalCode !== null) {
    fail(`the appliance stopped during the run (code ${server.exitCode}, signal ${server.signalCode}).`);
    process.stderr.write('----- server output -----\n' + serverOutput.join('') + '\n-------------------------\n');
  }
  return code ?? 1;
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(sig, () => {
    log(`received ${sig}; stopping the appliance`);
    cleanup().finally(() => process.exit(130));
  });
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (err) {
  fail(err instanceof Error ? (err.stack ?? err.message) : String(err));
  exitCode = 1;
} finally {
  await cleanup();
}
log(`finished with exit code ${exitCode} (server log: test-results/e2e-server.log)`);
process.exit(exitCode);
