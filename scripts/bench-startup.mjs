#!/usr/bin/env node
// Start-up benchmark of the built appliance (run `npm start` or the build once before):
// time from process spawn to /api/health answering and to /api/health/ready, cold (fresh DATA_DIR:
// keys generated, all migrations run) and warm (same DATA_DIR again), and resident memory at idle.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, cpus, totalmem } from 'node:os';
import { join } from 'node:path';

const RUNS = Number(process.env.RUNS ?? 5);
const IDLE_SECONDS = Number(process.env.IDLE_SECONDS ?? 10);
const main = 'dist/backend/main.js';
if (!existsSync(main)) {
  console.error(`${main} missing: build first (npx nx run-many -t build -p backend frontend)`);
  process.exit(2);
}

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

async function waitFor(url, deadline) {
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.status === 200) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${url} did not answer`);
}

const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

async function startOnce(dataDir, measureIdle) {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', DATABASE_URL: '', REDIS_URL: '' },
    stdio: 'ignore',
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitFor(`${base}/api/health`, Date.now() + 60_000);
    const live = performance.now() - t0;
    await waitFor(`${base}/api/health/ready`, Date.now() + 60_000);
    const ready = performance.now() - t0;
    let idleRss = null;
    if (measureIdle) {
      await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
      idleRss = rssMb(child.pid);
    }
    return { live, ready, idleRss };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = { cold: [], warm: [] };
let idle = null;
for (let i = 0; i < RUNS; i++) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-startup-'));
  rows.cold.push(await startOnce(dir, false));
  const warm = await startOnce(dir, i === 0);
  rows.warm.push(warm);
  idle ??= warm.idleRss;
  rmSync(dir, { recursive: true, force: true });
}
const summary = {
  machine: `${cpus().length} cores (${cpus()[0].model}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
  runs: RUNS,
  coldMs: {
    live: Math.round(median(rows.cold.map((r) => r.live))),
    ready: Math.round(median(rows.cold.map((r) => r.ready))),
  },
  warmMs: {
    live: Math.round(median(rows.warm.map((r) => r.live))),
    ready: Math.round(median(rows.warm.map((r) => r.ready))),
  },
  idleRssMb: Math.round(idle),
};
console.log(JSON.stringify(summary, null, 2));
