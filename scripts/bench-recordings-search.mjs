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
import { spawn, execSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';

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
const MAIN = 'dist/backend/main.js';
const SEED_VERSION = 1; // bump when the generated data changes: the marker then no longer matches
const BATCH = 5_000; // rows per INSERT
const TX_BATCHES = 4; // INSERTs per transaction
const COUNT_LIMIT = 10_000; // call-search.service.ts
const ADMIN = { email: 'admin@example.jp', displayName: '管理 太郎', password: 'Str0ng-Passw0rd!' };
const FROM = '2026-10-01';
const TO = '2026-10-31';
// The service turns from/to (tenant zone Asia/Tokyo, "to" a whole day) into these UTC instants.
const FROM_UTC = new Date('2026-09-30T15:00:00.000Z');
const TO_UTC = new Date('2026-10-31T15:00:00.000Z');

const args = new Set(process.argv.slice(2));
const seedOnly = args.has('--seed-only');
const measureOnly = args.has('--measure-only');
if (!/^[A-Za-z0-9_]+$/.test(DB)) throw new Error('BENCH_DB: letters, digits and _ only');
if (!existsSync(MAIN)) {
  console.error(`${MAIN} missing: run \`npx nx build backend\` first (from the repository root)`);
  process.exit(2);
}

const log = (...a) => console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- deterministic random numbers
function rng(seed) {
  // sfc32, seeded by splitmix32 of the seed
  let s = seed >>> 0;
  const mix = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = mix(),
    b = mix(),
    c = mix(),
    d = mix();
  const next32 = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
  const r = () => next32() / 4294967296;
  r.u32 = next32;
  r.int = (n) => Math.floor(r() * n);
  r.digits = (n) => {
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(48 + r.int(10));
    return s;
  };
  r.hex = (n) => {
    let s = '';
    while (s.length < n) s += next32().toString(16).padStart(8, '0');
    return s.slice(0, n);
  };
  return r;
}

// ---------------------------------------------------------------- the data's shape
// External numbers: a pool of customers/suppliers with a skewed call frequency (a few numbers call a
// lot). Shares chosen so ~1/3 of all calls have a Tokyo 03 party (PRODUCT.md).
const EXTERNAL_KINDS = [
  { share: 0.37, make: (r) => '03' + r.digits(8) }, // Tokyo, 10 digits
  { share: 0.12, make: (r) => '06' + r.digits(8) }, // Osaka
  {
    share: 0.11,
    make: (r) => ['045', '052', '011', '092', '022', '048', '043', '075', '078', '082'][r.int(10)] + r.digits(7),
  },
  { share: 0.18, make: (r) => '090' + r.digits(8) },
  { share: 0.12, make: (r) => '080' + r.digits(8) },
  { share: 0.05, make: (r) => '070' + r.digits(8) },
  { share: 0.05, make: (r) => '0120' + r.digits(6) }, // toll-free
];
const poolSize = (n) => Math.max(1_000, Math.min(600_000, Math.floor(n / 16)));

function numberPool(n) {
  const r = rng(0x5eed);
  const pool = new Array(poolSize(n));
  for (let i = 0; i < pool.length; i++) {
    let u = r();
    let k = 0;
    while (k < EXTERNAL_KINDS.length - 1 && u >= EXTERNAL_KINDS[k].share) u -= EXTERNAL_KINDS[k++].share;
    pool[i] = EXTERNAL_KINDS[k].make(r);
  }
  return pool;
}

const hyphenate = (d) =>
  d.startsWith('0120')
    ? `${d.slice(0, 4)}-${d.slice(4, 7)}-${d.slice(7)}`
    : d.length === 11
      ? `${d.slice(0, 3)}-${d.slice(3, 7)}-${d.slice(7)}`
      : /^0[36]/.test(d)
        ? `${d.slice(0, 2)}-${d.slice(2, 6)}-${d.slice(6)}`
        : `${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6)}`;
const reverse = (s) => {
  let o = '';
  for (let i = s.length - 1; i >= 0; i--) o += s[i];
  return o;
};

// Start times: 31 days x 24 JST hours, weighted by weekday and office hours.
const HOUR_WEIGHT = [
  0.03, 0.02, 0.02, 0.02, 0.02, 0.03, 0.05, 0.15, 0.45, 1, 1, 1, 0.6, 0.95, 1, 1, 0.95, 0.85, 0.5, 0.25, 0.15, 0.1,
  0.06, 0.04,
];
const SLOTS = (() => {
  const cum = [];
  let total = 0;
  for (let day = 0; day < 31; day++) {
    const dow = (4 + day) % 7; // 2026-10-01 is a Thursday
    const dayWeight = dow === 0 ? 0.2 : dow === 6 ? 0.35 : 1;
    for (let h = 0; h < 24; h++) cum.push((total += dayWeight * HOUR_WEIGHT[h]));
  }
  return cum.map((c) => c / total);
})();
const EXT_USERS = Array.from({ length: 100 }, (_, i) => {
  const r = rng(0xe000 + i);
  return `${r.hex(8)}-${r.hex(4)}-4${r.hex(3)}-${'89ab'[r.int(4)]}${r.hex(3)}-${r.hex(12)}`;
});
const NAMES = ['株式会社サンプル商事', '山田 花子', '東京物流センター', '大阪営業所', 'コールセンター'];
const NOTES = ['折り返し希望', '見積もりの件', 'クレーム対応、要確認', '配送日時の変更', '担当者不在'];
const sqlTime = (ms) => {
  const s = new Date(ms).toISOString();
  return `'${s.slice(0, 10)} ${s.slice(11, 23)}'`;
};
const q = (s) => (s === null ? 'NULL' : `'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`);

const COLUMNS = [
  'id',
  'tenantId',
  'clientRecordingId',
  'source',
  'siteId',
  'lineId',
  'direction',
  'callerDialled',
  'callerE164',
  'callerDigits',
  'callerDigitsReversed',
  'callerName',
  'calleeDialled',
  'calleeE164',
  'calleeDigits',
  'calleeDigitsReversed',
  'calleeName',
  'extension',
  'userId',
  'startedAt',
  'answeredAt',
  'endedAt',
  'ringSeconds',
  'talkSeconds',
  'disposition',
  'codec',
  'channelLayout',
  'quality',
  'dtmf',
  'notes',
  'legalHold',
  'createdAt',
];

/** One INSERT of rows [start, start + count), identical on every run (seeded by the batch). */
function batchSql(tenantId, pool, start, count) {
  const r = rng(0xb000 + start / BATCH);
  const t0 = FROM_UTC.getTime();
  const rows = [];
  for (let i = start; i < start + count; i++) {
    // Ids look like random v4 UUIDs (uncorrelated with time, like randomUUID()) but ascend with i, so the
    // clustered index is appended to.
    const head = Math.floor(((i + r()) * 4294967296) / N)
      .toString(16)
      .padStart(8, '0');
    const id = `${head}-${r.hex(4)}-4${r.hex(3)}-${'89ab'[r.int(4)]}${r.hex(3)}-${r.hex(12)}`;
    // start time
    const u = r();
    let lo = 0,
      hi = SLOTS.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (SLOTS[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    const started = t0 + lo * 3_600_000 + r.int(3_600_000);
    // parties
    const d = r();
    const direction = d < 0.55 ? 'inbound' : d < 0.92 ? 'outbound' : 'internal';
    const ext = String(200 + Math.floor(100 * r() ** 1.3));
    const external = () => {
      if (direction === 'inbound' && r() < 0.03) return { dialled: 'anonymous', e164: null, digits: '' };
      const digits = pool[Math.floor(pool.length * r() ** 2)];
      return { dialled: r() < 0.7 ? digits : hyphenate(digits), e164: `+81${digits.slice(1)}`, digits };
    };
    const extParty = (e) => ({ dialled: e, e164: null, digits: e });
    let caller, callee;
    if (direction === 'inbound') [caller, callee] = [external(), extParty(ext)];
    else if (direction === 'outbound') [caller, callee] = [extParty(ext), external()];
    else [caller, callee] = [extParty(ext), extParty(String(200 + r.int(100)))];
    // outcome
    const o = r();
    const disposition =
      direction === 'inbound'
        ? o < 0.78
          ? 'answered'
          : o < 0.92
            ? 'missed'
            : o < 0.94
              ? 'busy'
              : o < 0.96
                ? 'failed'
                : 'cancelled'
        : direction === 'outbound'
          ? o < 0.65
            ? 'answered'
            : o < 0.77
              ? 'missed'
              : o < 0.85
                ? 'busy'
                : o < 0.9
                  ? 'failed'
                  : 'cancelled'
          : o < 0.85
            ? 'answered'
            : o < 0.95
              ? 'missed'
              : 'cancelled';
    const ring = 1 + r.int(25);
    const answered = disposition === 'answered';
    // log-normal talk time, median ~95 s
    const z = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
    const talk = answered ? Math.min(7200, Math.max(1, Math.round(95 * Math.exp(z)))) : 0;
    const ended = started + (ring + talk) * 1000 + r.int(1000);
    const s = r();
    const source = s < 0.93 ? 'flexlog' : s < 0.98 ? 'upload' : 'flexdplayer';
    const site = r() < 0.7 ? 'tokyo' : 'osaka';
    const c = r();
    rows.push(
      `('${id}','${tenantId}','FL-${i.toString(36).padStart(9, '0')}','${source}','${site}',` +
        `${r() < 0.8 ? `'L${String(1 + r.int(24)).padStart(2, '0')}'` : 'NULL'},'${direction}',` +
        `${q(caller.dialled)},${q(caller.e164)},'${caller.digits}','${reverse(caller.digits)}',` +
        `${direction === 'inbound' && r() < 0.2 ? q(NAMES[r.int(NAMES.length)]) : 'NULL'},` +
        `${q(callee.dialled)},${q(callee.e164)},'${callee.digits}','${reverse(callee.digits)}',NULL,` +
        `'${ext}','${EXT_USERS[+ext - 200]}',${sqlTime(started)},${answered ? sqlTime(started + ring * 1000) : 'NULL'},` +
        `${sqlTime(ended)},${ring},${talk},'${disposition}','${c < 0.6 ? 'PCMU' : c < 0.9 ? 'opus' : 'G722'}',` +
        `'${r() < 0.9 ? 'stereo' : 'mono'}',NULL,NULL,${r() < 0.03 ? q(NOTES[r.int(NOTES.length)]) : 'NULL'},` +
        `${r() < 0.001 ? 1 : 0},${sqlTime(ended + 2000)})`,
    );
  }
  return `INSERT INTO calls (${COLUMNS.join(',')}) VALUES ${rows.join(',')}`;
}

// ---------------------------------------------------------------- the app
const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

async function startApp() {
  mkdirSync(DATA_DIR, { recursive: true });
  const port = await freePort();
  const out = createWriteStream(join(DATA_DIR, 'app.log'), { flags: 'a' });
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATA_DIR,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `${SERVER}/${DB}`,
      REDIS_URL: '',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
      ACCESS_TOKEN_TTL_SECONDS: '7200',
      AUTH_RATE_LIMIT_PER_MINUTE: '1000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  const fail = (message) => {
    child.kill('SIGTERM');
    return new Error(message);
  };
  for (;;) {
    if (child.exitCode !== null) throw fail(`the app exited (${child.exitCode}); see ${join(DATA_DIR, 'app.log')}`);
    try {
      if ((await fetch(`${base}/api/health/ready`)).status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw fail(`the app did not become ready; see ${join(DATA_DIR, 'app.log')}`);
    await sleep(100);
  }
  return {
    base,
    pid: child.pid,
    async stop() {
      child.kill('SIGTERM');
      if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
    },
  };
}

/** A cookie-jar session, like test/support/http-client.ts. */
function session(base) {
  const cookies = new Map();
  return {
    async request(method, path, body, signal) {
      const headers = {};
      if (cookies.size) headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
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

async function setupOrLogin(app) {
  const s = session(app.base);
  const status = await s.request('GET', '/api/setup/status');
  if (!status.json.setupComplete) {
    const steps = [
      ['POST', '/api/setup/admin', ADMIN],
      [
        'PUT',
        '/api/setup/organization',
        { organizationName: '株式会社ベンチ', deploymentMode: 'single', products: ['flexlog', 'ootairyoku'] },
      ],
      ['PUT', '/api/setup/storage', { driver: 'local', localPath: join(DATA_DIR, 'recordings') }],
      ['PUT', '/api/setup/encryption', { mode: 'local' }],
      ['PUT', '/api/setup/mail', { skip: true }],
      ['POST', '/api/setup/complete', {}],
    ];
    for (const [method, path, body] of steps) {
      const res = await s.request(method, path, body);
      if (res.status >= 300) {
        throw new Error(
          `${path}: ${res.status} ${res.text}` +
            (path === '/api/setup/admin' ? ` (a half-finished setup? DROP DATABASE ${DB} and rerun)` : ''),
        );
      }
    }
    log('setup completed through the API');
  } else {
    const res = await s.request('POST', '/api/v1/auth/login', { email: ADMIN.email, password: ADMIN.password });
    if (res.status !== 200) throw new Error(`login: ${res.status} ${res.text}`);
  }
  return s;
}

// ---------------------------------------------------------------- seeding
const connect = (opts = {}) =>
  mysql.createConnection({
    uri: `${SERVER}/${DB}`,
    timezone: 'Z',
    charset: 'utf8mb4_unicode_ci',
    supportBigNumbers: true,
    dateStrings: false,
    ...opts,
  });

async function marker(conn) {
  await conn.query(
    `CREATE TABLE IF NOT EXISTS _bench_seed (k varchar(32) PRIMARY KEY, v longtext NOT NULL) ENGINE=InnoDB`,
  );
  const [rows] = await conn.query('SELECT k, v FROM _bench_seed');
  const m = Object.fromEntries(rows.map((r) => [r.k, JSON.parse(r.v)]));
  return {
    get: (k) => m[k],
    async set(k, v) {
      m[k] = v;
      await conn.query('REPLACE INTO _bench_seed (k, v) VALUES (?, ?)', [k, JSON.stringify(v)]);
    },
  };
}

async function secondaryIndexes(conn) {
  const [rows] = await conn.query(
    `SELECT INDEX_NAME name, NON_UNIQUE nonUnique, COLUMN_NAME col, SUB_PART sub FROM information_schema.STATISTICS
     WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'calls' AND INDEX_NAME <> 'PRIMARY' ORDER BY INDEX_NAME, SEQ_IN_INDEX`,
    [DB],
  );
  const byName = new Map();
  for (const r of rows) {
    const ix = byName.get(r.name) ?? { name: r.name, unique: !Number(r.nonUnique), columns: [] };
    ix.columns.push(r.sub ? `\`${r.col}\`(${r.sub})` : `\`${r.col}\``);
    byName.set(r.name, ix);
  }
  return [...byName.values()];
}

async function seed() {
  const root = await mysql.createConnection({ uri: SERVER });
  await root.query(`CREATE DATABASE IF NOT EXISTS \`${DB}\` CHARACTER SET utf8mb4`);
  await root.end();
  const conn = await connect();
  const m = await marker(conn);
  const done = m.get('done');
  if (done && done.calls === N && done.version === SEED_VERSION) {
    const t = performance.now();
    const [[{ n }]] = await conn.query('SELECT COUNT(*) n FROM calls WHERE tenantId = ?', [done.tenantId]);
    if (Number(n) === N) {
      log(`seed present: ${N.toLocaleString()} calls (counted in ${((performance.now() - t) / 1000).toFixed(1)} s)`);
      await conn.end();
      return done;
    }
    log(`marker says ${N} calls but the table holds ${n}: reseeding`);
  }

  // Schema by the app's migrations, and setup through the API.
  log(`starting ${MAIN} against ${DB} (migrations, setup)`);
  const app = await startApp();
  try {
    await setupOrLogin(app);
  } finally {
    await app.stop();
  }
  const [[admin]] = await conn.query('SELECT tenantId FROM users WHERE email = ?', [ADMIN.email]);
  const tenantId = admin.tenantId;

  await conn.query('SET SESSION unique_checks = 0, foreign_key_checks = 0');
  const state = m.get('state');
  if (done || !state || state.calls !== N || state.version !== SEED_VERSION || state.tenantId !== tenantId) {
    const indexes = state?.indexes ?? (await secondaryIndexes(conn));
    if (!indexes.length) throw new Error('calls has no secondary indexes: were the migrations run?');
    await m.set('done', null);
    await m.set('state', { calls: N, version: SEED_VERSION, tenantId, indexes, phase: 'load' });
    await conn.query('DELETE FROM call_tags');
    await conn.query('DELETE FROM recordings');
    await conn.query('TRUNCATE TABLE calls');
  }
  const st = m.get('state');
  const present = (await secondaryIndexes(conn)).map((i) => i.name);
  if (present.length) {
    log(`dropping secondary indexes for the load: ${present.join(', ')}`);
    await conn.query(`ALTER TABLE calls ${present.map((n) => `DROP INDEX \`${n}\``).join(', ')}`);
  }

  const [[{ have }]] = await conn.query('SELECT COUNT(*) have FROM calls');
  const start = Number(have);
  if (start % BATCH) throw new Error(`calls holds ${start} rows, not whole batches: TRUNCATE it and rerun`);
  const timing = m.get('timing') ?? { insertSeconds: 0, indexSeconds: 0, analyzeSeconds: 0, startedAt: Date.now() };
  if (start < N) {
    log(`inserting ${(N - start).toLocaleString()} calls (${start ? `resuming at ${start}` : 'from scratch'})`);
    const pool = numberPool(N);
    const t0 = performance.now();
    let lastT = t0,
      lastRows = start,
      pending = Promise.resolve();
    let i = start;
    while (i < N) {
      const txEnd = Math.min(N, i + BATCH * TX_BATCHES);
      const sqls = [];
      for (let j = i; j < txEnd; j += BATCH) sqls.push(batchSql(tenantId, pool, j, Math.min(BATCH, txEnd - j)));
      await pending; // the previous transaction ran while this one was generated
      pending = (async () => {
        await conn.query('BEGIN');
        for (const sql of sqls) await conn.query(sql);
        await conn.query('COMMIT');
      })();
      i = txEnd;
      const now = performance.now();
      if (now - lastT > 10_000 || i === N) {
        const rate = ((i - lastRows) * 1000) / (now - lastT);
        const avg = ((i - start) * 1000) / (now - t0);
        log(
          `${i.toLocaleString()} / ${N.toLocaleString()} rows, ${Math.round(rate).toLocaleString()} rows/s ` +
            `(avg ${Math.round(avg).toLocaleString()}), ETA ${Math.round((N - i) / avg)} s`,
        );
        [lastT, lastRows] = [now, i];
      }
    }
    await pending;
    timing.insertSeconds += (performance.now() - t0) / 1000;
    timing.insertedRows = (timing.insertedRows ?? 0) + (N - start);
    await m.set('timing', timing);
  }
  await m.set('state', { ...st, phase: 'index' });

  const built = (await secondaryIndexes(conn)).map((i) => i.name);
  const missing = st.indexes.filter((ix) => !built.includes(ix.name));
  log(`rebuilding ${missing.length} secondary indexes (one ALTER TABLE, sorted build)`);
  let t = performance.now();
  await conn.query(
    `ALTER TABLE calls ${missing
      .map((ix) => `ADD ${ix.unique ? 'UNIQUE ' : ''}INDEX \`${ix.name}\` (${ix.columns.join(', ')})`)
      .join(', ')}`,
  );
  timing.indexSeconds = (performance.now() - t) / 1000;
  log(`indexes built in ${timing.indexSeconds.toFixed(0)} s`);
  t = performance.now();
  await conn.query('ANALYZE TABLE calls');
  timing.analyzeSeconds = (performance.now() - t) / 1000;
  const [[sizes]] = await conn.query(
    `SELECT DATA_LENGTH data, INDEX_LENGTH idx FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'calls'`,
    [DB],
  );
  const result = {
    calls: N,
    version: SEED_VERSION,
    tenantId,
    insertSeconds: timing.insertSeconds,
    insertRowsPerSecond: timing.insertedRows ? timing.insertedRows / timing.insertSeconds : null,
    indexSeconds: timing.indexSeconds,
    analyzeSeconds: timing.analyzeSeconds,
    dataMB: Math.round(Number(sizes.data) / 2 ** 20),
    indexMB: Math.round(Number(sizes.idx) / 2 ** 20),
    seededAt: new Date().toISOString(),
  };
  await m.set('done', result);
  await m.set('state', { ...st, phase: 'done' });
  log(
    `seeded ${N.toLocaleString()} calls: insert ${result.insertSeconds.toFixed(0)} s ` +
      `(${Math.round(result.insertRowsPerSecond ?? 0).toLocaleString()} rows/s), indexes ${result.indexSeconds.toFixed(0)} s, ` +
      `ANALYZE ${result.analyzeSeconds.toFixed(1)} s; data ${result.dataMB} MB, indexes ${result.indexMB} MB`,
  );
  await conn.end();
  return result;
}

// ---------------------------------------------------------------- the SQL CallSearchService runs
// What TypeORM sends for CallSearchService (checked against the app's wire traffic): getMany() on `calls c`,
// every column as c_<name> (tenantId first); take() is a LIMIT (no joins); useIndex() is USE INDEX on
// MySQL/MariaDB; the count selects c.id without ORDER BY, LIMIT COUNT_LIMIT + 1. Besides these, each API
// request also reads the user (session check), the tenant (time zone) and the page's call_tags.
const SELECT_ALL = ['tenantId', ...COLUMNS.filter((c) => c !== 'tenantId')]
  .map((c) => `\`c\`.\`${c}\` AS \`c_${c}\``)
  .join(', ');
const ORDER = 'ORDER BY `c`.`startedAt` DESC, `c`.`id` DESC';

function numberClause(party, digits, match) {
  switch (match) {
    case 'exact':
      return [`\`c\`.\`${party}Digits\` = ?`, digits];
    case 'suffix':
      return [`\`c\`.\`${party}DigitsReversed\` LIKE ?`, `${reverse(digits)}%`];
    default:
      return [`\`c\`.\`${party}Digits\` LIKE ?`, `${digits}%`];
  }
}

/** One statement: where, params, hint. number.party is caller|callee|any. */
function filtered(tenantId, p, number, cursor) {
  const where = ['`c`.`tenantId` = ?', '`c`.`startedAt` >= ?', '`c`.`startedAt` < ?'];
  const params = [tenantId, FROM_UTC, TO_UTC];
  let hint = '';
  if (number) {
    if (number.party === 'any') {
      const [a, pa] = numberClause('caller', number.digits, number.match);
      const [b, pb] = numberClause('callee', number.digits, number.match);
      where.push(`(${a} OR ${b})`);
      params.push(pa, pb);
    } else {
      const [a, pa] = numberClause(number.party, number.digits, number.match);
      where.push(a);
      params.push(pa);
      hint = ` USE INDEX (\`ix_calls_${number.party}\`)`;
    }
  }
  if (p.extension) {
    where.push('`c`.`extension` = ?');
    params.push(p.extension);
  }
  if (cursor) {
    where.push('(`c`.`startedAt` < ? OR (`c`.`startedAt` = ? AND `c`.`id` < ?))');
    params.push(new Date(cursor.t), new Date(cursor.t), cursor.id);
  }
  return { where: where.join(' AND '), params, hint };
}

/** The statements of one search call: the page query (or two, party-index) and, on a first page, the count. */
function searchSql(tenantId, p, cursor) {
  const match = p.numberMatch ?? 'prefix';
  const digits = p.number ?? '';
  const partyPlan = !!digits && (match === 'exact' || (match !== 'contains' && digits.length >= 6));
  const page = (party) => {
    const f = filtered(tenantId, p, digits ? { party, digits, match } : undefined, cursor);
    return {
      sql: `SELECT ${SELECT_ALL} FROM \`calls\` \`c\`${f.hint} WHERE ${f.where} ${ORDER} LIMIT 51`,
      params: f.params,
    };
  };
  const pages = partyPlan ? [page('caller'), page('callee')] : [page('any')];
  let count = null;
  if (!cursor) {
    const f = filtered(tenantId, p, digits ? { party: 'any', digits, match } : undefined, undefined);
    count = {
      sql: `SELECT \`c\`.\`id\` AS \`c_id\` FROM \`calls\` \`c\` WHERE ${f.where} LIMIT ${COUNT_LIMIT + 1}`,
      params: f.params,
    };
  }
  return { plan: partyPlan ? 'party-index' : 'time-index', pages, count };
}

/** Runs them like the service (party queries in parallel on two pooled connections), returns ids + cursor. */
const TIMED_OUT = { ids: null, next: null, total: null, itemsMs: Infinity, countMs: Infinity, ms: Infinity };
const timed = (sql) => `SET STATEMENT max_statement_time = ${TIMEOUT_S} FOR ${sql}`;
const isTimeout = (e) => e?.errno === 1969 || e?.code === 'ER_STATEMENT_TIMEOUT';

async function runSearch(pool, s) {
  try {
    return await runSearchUnbounded(pool, s);
  } catch (e) {
    if (isTimeout(e)) return TIMED_OUT;
    throw e;
  }
}

async function runSearchUnbounded(pool, s) {
  const t0 = performance.now();
  const results = await Promise.all(s.pages.map((x) => pool.query(timed(x.sql), x.params).then(([rows]) => rows)));
  const byId = new Map(results.flat().map((r) => [r.c_id, r]));
  const items = [...byId.values()]
    .sort((x, y) => y.c_startedAt - x.c_startedAt || (x.c_id < y.c_id ? 1 : x.c_id > y.c_id ? -1 : 0))
    .slice(0, 51);
  const t1 = performance.now();
  let total = null;
  if (s.count) {
    let rows;
    try {
      [rows] = await pool.query(timed(s.count.sql), s.count.params);
    } catch (e) {
      if (!isTimeout(e)) throw e;
      return { ...TIMED_OUT, itemsMs: t1 - t0 };
    }
    total = rows.length > COUNT_LIMIT ? COUNT_LIMIT : rows.length;
  }
  const t2 = performance.now();
  const page = items.slice(0, 50);
  const last = page[page.length - 1];
  return {
    ids: page.map((r) => r.c_id),
    next: items.length > 50 && last ? { t: last.c_startedAt.getTime(), id: last.c_id } : null,
    total,
    itemsMs: t1 - t0,
    countMs: s.count ? t2 - t1 : null,
    ms: t2 - t0,
  };
}

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
  // Not in the issue's list: a 4-digit prefix (area + exchange, mid-typing) is below the party-index
  // threshold of 6 digits, so it takes the time-index plan with far fewer matches than "03".
  { key: 'h', name: 'month + 4-digit prefix (03xx)', params: (r, pool) => ({ number: pick03(r, pool).slice(0, 4) }) },
];
function pick03(r, pool) {
  for (;;) {
    const n = pool[r.int(pool.length)];
    if (n.startsWith('03')) return n;
  }
}

const pct = (xs, p) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const finite = (x) => (Number.isFinite(x) ? x : null); // JSON: null = timed out
const stats = (xs) => ({
  n: xs.length,
  timeouts: xs.filter((x) => x === Infinity).length,
  p50: finite(pct(xs, 50)),
  p95: finite(pct(xs, 95)),
  p99: finite(pct(xs, 99)),
  max: finite(pct(xs, 100)),
});
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
  const first = await runSearch(db, s);
  const next = first.next ? await runSearch(db, searchSql(tenantId, p, first.next)) : null;
  return { first, next };
}

async function explain(pool, s) {
  const out = [];
  const one = async (label, x) => {
    const [rows] = await pool.query(`EXPLAIN ${x.sql}`, x.params);
    out.push(
      ...rows.map((e) => ({
        query: label,
        type: e.type,
        possible_keys: e.possible_keys,
        key: e.key,
        key_len: e.key_len,
        rows: Number(e.rows),
        extra: e.Extra,
      })),
    );
  };
  for (const [i, x] of s.pages.entries())
    await one(s.pages.length > 1 ? `page (${i ? 'callee' : 'caller'})` : 'page', x);
  if (s.count) await one('count', s.count);
  return out;
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
      const first = shape.cursorPage ? await runSearch(db, s) : null;
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

const fmt = (ms) => (ms === null || ms === undefined ? '-' : ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
/** A percentile of stats(): '-' without samples, '>20000' when it timed out. */
const fs = (st, key) => (!st || !st.n ? '-' : st[key] === null ? `>${TIMEOUT_S * 1000}` : fmt(st[key]));

function printTable({ vars, floor, results }, seedInfo) {
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
      `table: data ${seedInfo.dataMB} MB, indexes ${seedInfo.indexMB} MB`,
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
  printTable(measured, seedInfo);
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
