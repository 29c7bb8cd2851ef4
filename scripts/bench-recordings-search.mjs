#!/usr/bin/env node
// Call-search benchmark (PRODUCT.md, "The bar we set": < 20 ms p95 through the API over 10 M calls).
//
//   npx nx build backend && node scripts/bench-recordings-search.mjs            # seed if needed, then measure
//   node scripts/bench-recordings-search.mjs --seed-only | --measure-only
//
// 1. Seed (idempotent): database BENCH_DB (default appliance_bench) on MariaDB/MySQL, schema made by the
//    app's own migrations (the built backend is started once against it), setup completed through the
//    HTTP API like test/support/test-app.ts completeSetup, then BENCH_CALLS (default 10,000,000) calls of
//    one month (October 2026, Asia/Tokyo) bulk-inserted for that tenant. The secondary indexes are
//    dropped during the load and rebuilt with the exact definitions the migration made, then ANALYZE
//    TABLE. A marker table (_bench_seed) lets the next run skip all of it; an interrupted load resumes.
// 2. Measure each query shape through GET /api/v1/calls (admin cookie session, sequential, keep-alive)
//    and as the SQL CallSearchService runs, straight on the database: p50/p95/p99, plan, EXPLAIN.
//    First pages carry the service's capped exact count (COUNT_LIMIT 10,000); cursor pages carry none,
//    so "next page" figures are the same search without the count.
//
// Environment: BENCH_DB, BENCH_CALLS, BENCH_MYSQL (mysql://root@127.0.0.1:3306), BENCH_ITERATIONS (200),
// BENCH_SHAPE_SECONDS (time cap per shape, 30), BENCH_TIMEOUT_SECONDS (20), BENCH_SHAPES (e.g. "a,b,g"), BENCH_OUT (JSON file),
// BENCH_DATA_DIR (app DATA_DIR kept between runs), LOG_LEVEL of the app (info).
import { execSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { MAIN, requireBuild, setupOrLogin as setupOrLoginAsAdmin, startServer } from './bench/app-server.mjs';
import { callSeeder, COLUMNS, numberPool } from './bench/search-seed.mjs';
import { searchQueries } from './bench/search-sql.mjs';
import { fmt, log, pct, rng, stats } from './bench/stats.mjs';

const DB = process.env.BENCH_DB ?? 'appliance_bench';
const N = Number(process.env.BENCH_CALLS ?? 10_000_000);
const SERVER = (process.env.BENCH_MYSQL ?? 'mysql://root@127.0.0.1:3306').replace(/\/+$/, '');
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200);
const SHAPE_SECONDS = Number(process.env.BENCH_SHAPE_SECONDS ?? 30);
// A search slower than this is recorded as timed out (API: request aborted and its SQL killed; raw:
// max_statement_time): a suffix search over 10 M calls runs for minutes.
const TIMEOUT_S = Number(process.env.BENCH_TIMEOUT_SECONDS ?? 20);
const ONLY_SHAPES = process.env.BENCH_SHAPES ? process.env.BENCH_SHAPES.split(',') : null;
const DATA_DIR = process.env.BENCH_DATA_DIR ?? join(tmpdir(), `bench-recordings-search-${DB}`);
const OUT = process.env.BENCH_OUT ?? join(tmpdir(), `bench-recordings-search-${DB}.json`);
const COUNT_LIMIT = 10_000; // call-search.service.ts
const FROM = '2026-10-01';
const TO = '2026-10-31';
// The service turns from/to (tenant zone Asia/Tokyo, "to" a whole day) into these UTC instants.
const FROM_UTC = new Date('2026-09-30T15:00:00.000Z');
const TO_UTC = new Date('2026-10-31T15:00:00.000Z');

const args = new Set(process.argv.slice(2));
const seedOnly = args.has('--seed-only');
const measureOnly = args.has('--measure-only');
if (!/^[A-Za-z0-9_]+$/.test(DB)) throw new Error('BENCH_DB: letters, digits and _ only');
requireBuild();

// ---------------------------------------------------------------- the app
// Migrations on 10 M rows (an index added by a new release) run at start-up and take minutes.
const startApp = () => startServer({ dataDir: DATA_DIR, databaseUrl: `${SERVER}/${DB}`, readyTimeoutMs: 30 * 60_000 });

const setupOrLogin = (app) =>
  setupOrLoginAsAdmin(app, { halfSetupHint: ` (a half-finished setup? DROP DATABASE ${DB} and rerun)` });

const { connect, marker, seed } = callSeeder({
  db: DB,
  server: SERVER,
  calls: N,
  from: FROM_UTC,
  startApp,
  setupOrLogin,
});

// ---------------------------------------------------------------- the SQL CallSearchService runs
const { searchSql, runSearch, explain } = searchQueries({
  columns: COLUMNS,
  from: FROM_UTC,
  to: TO_UTC,
  countLimit: COUNT_LIMIT,
  timeoutSeconds: TIMEOUT_S,
});

// ---------------------------------------------------------------- measuring
const SHAPES = [
  {
    key: 'a',
    name: 'month + selective prefix (6 digits, 03xxxx)',
    params: (r, pool) => ({ number: pick03(r, pool).slice(0, 6) }),
  },
  { key: 'b', name: 'month + broad prefix (03)', params: () => ({ number: '03' }) },
  { key: 'c', name: 'month + extension', params: (r) => ({ extension: String(200 + r.int(100)) }) },
  { key: 'd', name: 'month only', params: () => ({}) },
  {
    key: 'e',
    name: 'month + exact number',
    params: (r, pool) => ({ number: pool[r.int(pool.length)], numberMatch: 'exact' }),
  },
  {
    key: 'f',
    name: 'month + number suffix (4 digits)',
    params: (r, pool) => ({ number: pool[r.int(pool.length)].slice(-4), numberMatch: 'suffix' }),
  },
  { key: 'g', name: 'next page via cursor (month only, page 2)', params: () => ({}), cursorPage: true },
  // Not in the list: a 4-digit prefix (area + exchange, mid-typing): far fewer matches than "03",
  // and (i) a 3-digit area code (045, 052, …, about 1 % of calls each): the rarest prefix the time-index
  // plan still takes, so the most index entries it walks for a page.
  { key: 'h', name: 'month + 4-digit prefix (03xx)', params: (r, pool) => ({ number: pick03(r, pool).slice(0, 4) }) },
  { key: 'i', name: 'month + 3-digit area code', params: (r) => ({ number: AREA_CODES[r.int(AREA_CODES.length)] }) },
  // The shortest prefix that takes the party-index plan (SELECTIVE_DIGITS in the service).
  { key: 'j', name: 'month + 5-digit prefix (03xxx)', params: (r, pool) => ({ number: pick03(r, pool).slice(0, 5) }) },
];
const AREA_CODES = ['045', '052', '011', '092', '022', '048', '043', '075', '078', '082'];
function pick03(r, pool) {
  for (;;) {
    const n = pool[r.int(pool.length)];
    if (n.startsWith('03')) return n;
  }
}

const qs = (p, cursor) => {
  const u = new URLSearchParams({ from: FROM, to: TO, ...p, limit: '50' });
  if (cursor) u.set('cursor', cursor);
  return u.toString();
};

/** GET /api/v1/calls first page (with its count), then its next page (cursor, no count). */
async function apiSearch(api, p, db) {
  let t = performance.now();
  let first;
  try {
    first = await api.request('GET', `/api/v1/calls?${qs(p)}`, undefined, AbortSignal.timeout(TIMEOUT_S * 1000));
  } catch (e) {
    if (e.name !== 'TimeoutError') throw e;
    await killLeftovers(db);
    return { plan: null, ids: null, total: null, firstMs: Infinity, nextMs: null };
  }
  const firstMs = performance.now() - t;
  if (first.status !== 200) throw new Error(`GET /api/v1/calls?${qs(p)}: ${first.status} ${first.text}`);
  let nextMs = null;
  if (first.json.nextCursor) {
    t = performance.now();
    const next = await api.request('GET', `/api/v1/calls?${qs(p, first.json.nextCursor)}`);
    nextMs = performance.now() - t;
    if (next.status !== 200) throw new Error(`cursor page: ${next.status} ${next.text}`);
  }
  return {
    plan: first.json.plan,
    ids: first.json.items.map((i) => i.id),
    total: first.json.total.value,
    firstMs,
    nextMs,
  };
}

/** Ends the searches an aborted API request left running (only on the benchmark's own database). */
async function killLeftovers(db) {
  const [rows] = await db.query(
    `SELECT ID id FROM information_schema.PROCESSLIST WHERE DB = ? AND COMMAND = 'Query' AND INFO LIKE 'SELECT %FROM \`calls\` \`c\`%' AND TIME >= 1`,
    [DB],
  );
  for (const r of rows) await db.query(`KILL QUERY ${Number(r.id)}`).catch(() => undefined);
}

/** The same searches as SQL straight on the database. */
async function rawSearch(db, tenantId, p, plan) {
  const s = searchSql(tenantId, p);
  if (s.plan !== plan) throw new Error(`plan mismatch: API ${plan}, bench ${s.plan} for ${JSON.stringify(p)}`);
  const first = await runSearch(db, s, tenantId);
  const next = first.next ? await runSearch(db, searchSql(tenantId, p, first.next), tenantId) : null;
  return { first, next };
}

async function measure(seedInfo) {
  const tenantId = seedInfo.tenantId;
  const numbers = numberPool(N);
  const db = mysql.createPool({
    uri: `${SERVER}/${DB}`,
    timezone: 'Z',
    charset: 'utf8mb4_unicode_ci',
    supportBigNumbers: true,
    connectionLimit: 4,
  });
  const [[vars]] = await db.query(
    'SELECT VERSION() version, @@innodb_buffer_pool_size bufferPool, @@innodb_flush_method flushMethod',
  );
  // Sizes now, after any index a migration added since the seed.
  const [[sizes]] = await db.query(
    `SELECT ROUND(DATA_LENGTH / 1048576) dataMB, ROUND(INDEX_LENGTH / 1048576) indexMB FROM information_schema.TABLES
     WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'calls'`,
    [DB],
  );
  Object.assign(vars, { dataMB: Number(sizes.dataMB), indexMB: Number(sizes.indexMB) });
  log(`starting the app for measuring (${MAIN}, LOG_LEVEL=${process.env.LOG_LEVEL ?? 'info'})`);
  const app = await startApp();
  const api = await setupOrLogin(app);
  const results = [];
  let floor = null;
  try {
    // The fixed cost of one authenticated request (setup gate, session check, user lookup, JSON, logging):
    // GET /api/v1/auth/me, the cheapest cookie-authenticated endpoint.
    const floorMs = [];
    for (let i = 0; i < 220; i++) {
      const t = performance.now();
      const res = await api.request('GET', '/api/v1/auth/me');
      if (res.status !== 200) throw new Error(`GET /api/v1/auth/me: ${res.status}`);
      if (i >= 20) floorMs.push(performance.now() - t);
    }
    floor = stats(floorMs);
    log(`API floor (GET /api/v1/auth/me): p50 ${fmt(floor.p50)} p95 ${fmt(floor.p95)} ms`);
    for (const shape of SHAPES) {
      if (ONLY_SHAPES && !ONLY_SHAPES.includes(shape.key)) continue;
      const r = rng(0xa000 + shape.key.charCodeAt(0));
      const m = { apiFirst: [], apiNext: [], raw: [], rawItems: [], rawCount: [], rawNext: [], apiHot: [], rawHot: [] };
      let slow = false; // a first round slower than an eighth of the shape's time: no hot repeats
      let plan = null,
        checked = 0,
        mismatches = 0,
        iterations = 0,
        sample = null;
      const totals = [];
      const t0 = performance.now();
      // Warm-up: up to 5 rounds within a fifth of the shape's time. A first round slower than a quarter of
      // it (a query that reads the whole month) is kept as a measured, cold sample instead.
      // Stops at ITERATIONS, or past SHAPE_SECONDS with at least 3 samples, or past twice that with 1.
      let warm = 0;
      for (let it = 0; iterations < ITERATIONS; it++) {
        const elapsed = performance.now() - t0;
        const warming = it === warm && warm < 5 && (warm === 0 || elapsed < SHAPE_SECONDS * 200);
        if (warming) warm++;
        else if (elapsed > SHAPE_SECONDS * 1000 && (iterations >= 3 || elapsed > SHAPE_SECONDS * 2000)) break;
        const roundStart = performance.now();
        // Two independent draws: the API's first touch of pA and the database's first touch of pR are timed
        // alike (with a 128 MB buffer pool, first touches read from disk); then each side repeats the
        // other's parameters with warm pages ("hot"), which also checks that both return the same page.
        const pA = shape.params(r, numbers);
        const pR = shape.params(r, numbers);
        sample ??= pA;
        const apiCold = await apiSearch(api, pA, db);
        plan = apiCold.plan ?? plan ?? searchSql(tenantId, pA).plan;
        const rawCold = await rawSearch(db, tenantId, pR, plan);
        const full = it === 0 || !slow;
        const apiHot = full ? await apiSearch(api, pR, db) : null;
        const rawHot = full ? await rawSearch(db, tenantId, pA, plan) : null;
        if (rawHot && apiCold.ids && rawHot.first.ids) {
          checked++;
          if (apiCold.ids.join() !== rawHot.first.ids.join() || apiCold.total !== rawHot.first.total) mismatches++;
        }
        if (it === 0 && performance.now() - roundStart > SHAPE_SECONDS * 125) slow = true;
        if (warming && (it > 0 || performance.now() - roundStart < SHAPE_SECONDS * 250)) continue;
        iterations++;
        totals.push(rawCold.first.total);
        if (shape.cursorPage) {
          if (apiCold.nextMs !== null) m.apiFirst.push(apiCold.nextMs);
          if (rawCold.next) {
            m.raw.push(rawCold.next.ms);
            m.rawItems.push(rawCold.next.itemsMs);
          }
          if (apiHot?.nextMs) m.apiHot.push(apiHot.nextMs);
          if (rawHot?.next) m.rawHot.push(rawHot.next.ms);
        } else {
          m.apiFirst.push(apiCold.firstMs);
          if (apiCold.nextMs !== null) m.apiNext.push(apiCold.nextMs);
          m.raw.push(rawCold.first.ms);
          m.rawItems.push(rawCold.first.itemsMs);
          m.rawCount.push(rawCold.first.countMs);
          if (rawCold.next) m.rawNext.push(rawCold.next.ms);
          if (apiHot) m.apiHot.push(apiHot.firstMs);
          if (rawHot) m.rawHot.push(rawHot.first.ms);
        }
      }
      const s = searchSql(tenantId, sample);
      const first = shape.cursorPage ? await runSearch(db, s, tenantId) : null;
      const ex = await explain(db, first?.next ? searchSql(tenantId, sample, first.next) : s);
      const row = {
        shape: shape.key,
        name: shape.name,
        plan,
        iterations,
        seconds: (performance.now() - t0) / 1000,
        sampleParams: sample,
        medianTotal: pct(
          totals.filter((x) => x !== null),
          50,
        ),
        mismatches: `${mismatches}/${checked}`,
        api: stats(m.apiFirst),
        raw: stats(m.raw),
        rawItems: stats(m.rawItems),
        rawCount: shape.cursorPage ? null : stats(m.rawCount),
        apiNextPage: shape.cursorPage ? null : stats(m.apiNext),
        apiHot: stats(m.apiHot),
        rawHot: stats(m.rawHot),
        rawNextPage: shape.cursorPage ? null : stats(m.rawNext),
        explain: ex,
      };
      results.push(row);
      log(
        `(${shape.key}) ${shape.name}: n=${iterations} API p95 ${fs(row.api, 'p95')} raw p95 ${fs(row.raw, 'p95')} ` +
          `[items ${fs(row.rawItems, 'p95')}, count ${fs(row.rawCount, 'p95')}] plan ${plan} mismatches ${row.mismatches}`,
      );
    }
  } finally {
    await app.stop();
    await db.end();
  }
  return { vars, floor, results };
}

/** A percentile of stats(): '-' without samples, '>20000' when it timed out. */
const fs = (st, key) => (!st || !st.n ? '-' : st[key] === null ? `>${TIMEOUT_S * 1000}` : fmt(st[key]));

function printTable({ vars, floor, results }) {
  const lines = [
    '',
    `calls: ${N.toLocaleString()} in one month; newest 50; times in ms; API = first page incl. count, raw = the service's SQL;`,
    'both first touches of random parameters (cold-ish); "hot" = the same parameters again with warm pages',
    '',
    '| shape | n | API p50 | API p95 | API p99 | raw p50 | raw p95 | raw p99 | p95 API/raw | raw page query p95 | raw count p95 | API next page p95 (no count) | API hot p50 / p95 | raw hot p50 / p95 | plan |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    lines.push(
      `| (${r.shape}) ${r.name} | ${r.iterations} | ${fs(r.api, 'p50')} | ${fs(r.api, 'p95')} | ${fs(r.api, 'p99')} | ` +
        `${fs(r.raw, 'p50')} | ${fs(r.raw, 'p95')} | ${fs(r.raw, 'p99')} | ${r.raw.p95 && r.api.p95 ? (r.api.p95 / r.raw.p95).toFixed(2) : '-'} | ` +
        `${fs(r.rawItems, 'p95')} | ${fs(r.rawCount, 'p95')} | ${fs(r.apiNextPage, 'p95')} | ` +
        `${fs(r.apiHot, 'p50')} / ${fs(r.apiHot, 'p95')} | ${fs(r.rawHot, 'p50')} / ${fs(r.rawHot, 'p95')} | ${r.plan} |`,
    );
  }
  lines.push(
    '',
    `API floor, GET /api/v1/auth/me (auth + user lookup, no search): p50 ${fmt(floor.p50)}, p95 ${fmt(floor.p95)}, p99 ${fmt(floor.p99)} ms`,
  );
  lines.push('', 'EXPLAIN (sample parameters of each shape):', '');
  lines.push('| shape | query | type | key | rows | Extra |', '|---|---|---|---|---|---|');
  for (const r of results) {
    for (const e of r.explain) {
      lines.push(
        `| (${r.shape}) ${JSON.stringify(r.sampleParams)} | ${e.query} | ${e.type} | ${e.key} | ${e.rows} | ${e.extra} |`,
      );
    }
  }
  lines.push(
    '',
    `server ${vars.version}, innodb_buffer_pool_size ${Math.round(Number(vars.bufferPool) / 2 ** 20)} MB, flush ${vars.flushMethod}; ` +
      `table: data ${vars.dataMB} MB, indexes ${vars.indexMB} MB`,
  );
  console.log(lines.join('\n'));
}

// ---------------------------------------------------------------- main
const machine = `${cpus().length} cores (${cpus()[0].model}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
let commit = null;
try {
  commit = execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
} catch {
  /* not a checkout */
}
log(`call-search benchmark: ${DB}, ${N.toLocaleString()} calls, ${machine}`);
let seedInfo;
if (measureOnly) {
  const conn = await connect();
  const m = await marker(conn);
  seedInfo = m.get('done');
  await conn.end();
  if (!seedInfo || seedInfo.calls !== N)
    throw new Error(`no finished seed of ${N} calls in ${DB}: run without --measure-only`);
} else {
  seedInfo = await seed();
}
if (!seedOnly) {
  const t = performance.now();
  const loadBefore = loadavg()[0];
  const measured = await measure(seedInfo);
  measured.load = { before: loadBefore, after: loadavg()[0] };
  printTable(measured);
  console.log(
    `load average (1 min) before ${measured.load.before.toFixed(2)}, after ${measured.load.after.toFixed(2)}`,
  );
  const json = {
    benchmark: 'recordings-search',
    date: new Date().toISOString(),
    commit,
    machine,
    database: { name: DB, ...measured.vars, bufferPoolMB: Math.round(Number(measured.vars.bufferPool) / 2 ** 20) },
    seed: seedInfo,
    iterationsTarget: ITERATIONS,
    shapeSecondsCap: SHAPE_SECONDS,
    measureSeconds: (performance.now() - t) / 1000,
    loadAverage1m: measured.load,
    apiFloor: measured.floor,
    results: measured.results,
  };
  writeFileSync(OUT, JSON.stringify(json, null, 2));
  log(`measured in ${json.measureSeconds.toFixed(0)} s; JSON: ${OUT}`);
}
