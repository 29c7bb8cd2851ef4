#!/usr/bin/env node
// Dashboard benchmark: GET /api/v1/recordings/dashboard over a month of calls on MariaDB/MySQL.
//
//   npx nx build backend && node scripts/bench-dashboard.mjs
//
// Seeds BENCH_CALLS (default 1,000,000) calls of October 2026 (Asia/Tokyo) into BENCH_DB (default
// appliance_bench_dashboard) with the call-search benchmark's seeder (same schema, same mix of
// directions, dispositions, extensions and numbers; idempotent), then times the dashboard as the
// page asks for it: one day by hour, 7 days by day, the whole month (every seeded call) by day.
// Environment: BENCH_DB, BENCH_CALLS, BENCH_MYSQL (mysql://root@127.0.0.1:3306), BENCH_ITERATIONS (20).
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireBuild, setupOrLogin as setupOrLoginAsAdmin, startServer } from './bench/app-server.mjs';
import { callSeeder } from './bench/search-seed.mjs';
import { fmt, log, stats } from './bench/stats.mjs';

const DB = process.env.BENCH_DB ?? 'appliance_bench_dashboard';
const N = Number(process.env.BENCH_CALLS ?? 1_000_000);
const SERVER = (process.env.BENCH_MYSQL ?? 'mysql://root@127.0.0.1:3306').replace(/\/+$/, '');
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 20);
const DATA_DIR = join(tmpdir(), `bench-dashboard-${DB}`);

const startApp = () => startServer({ dataDir: DATA_DIR, databaseUrl: `${SERVER}/${DB}`, readyTimeoutMs: 30 * 60_000 });
const setupOrLogin = (app) => setupOrLoginAsAdmin(app, { halfSetupHint: ` (DROP DATABASE ${DB} and rerun)` });
const { seed } = callSeeder({
  db: DB,
  server: SERVER,
  calls: N,
  from: new Date('2026-09-30T15:00:00.000Z'),
  startApp,
  setupOrLogin,
});

const SHAPES = [
  { name: 'one day by hour', query: 'from=2026-10-15&to=2026-10-15&bucket=hour' },
  { name: '7 days by day', query: 'from=2026-10-09&to=2026-10-15&bucket=day' },
  { name: 'month by day (all calls)', query: 'from=2026-10-01&to=2026-10-31&bucket=day' },
];

requireBuild();
log(`dashboard benchmark: ${DB}, ${N.toLocaleString()} calls, ${cpus().length} cores`);
await seed();
const app = await startApp();
try {
  const api = await setupOrLogin(app);
  for (const shape of SHAPES) {
    const times = [];
    let total = 0;
    for (let i = 0; i < ITERATIONS + 1; i++) {
      const t = performance.now();
      const res = await api.request('GET', `/api/v1/recordings/dashboard?${shape.query}`);
      if (res.status !== 200) throw new Error(`${shape.name}: ${res.status} ${res.text}`);
      if (i > 0) times.push(performance.now() - t); // the first request warms the buffer pool
      total = res.json.totals.total;
    }
    const s = stats(times);
    log(
      `${shape.name}: ${total.toLocaleString()} calls, p50 ${fmt(s.p50)} ms, p95 ${fmt(s.p95)} ms (n=${times.length})`,
    );
  }
} finally {
  await app.stop();
}
