// FlexVNote transcript search benchmark (issue 7: 1,000,000 segments, p95 goal < 300 ms).
//
//   npm run bench:vnote-search                 # seed if needed, then measure through the HTTP API
//   npm run bench:vnote-search -- --seed-only | --measure-only
//
// 1. Seed (once; a marker table lets the next run skip it): database BENCH_DB (default vnote_bench) on
//    MariaDB/MySQL, schema made by the app's migrations (the app runs in this process from source), the
//    setup wizard completed through the HTTP API with FlexVNote enabled, BENCH_CALLS calls (default 10,000)
//    with BENCH_SEGMENTS segments in all (default 1,000,000) made of Japanese call-centre phrases, customer
//    names and product codes. Segments go straight into vnote_search_docs (normalised and tokenised by the
//    app's own code) in multi-row INSERTs with the FULLTEXT index dropped, which is then rebuilt.
// 2. Measure: each query shape BENCH_ITERATIONS times (default 30, after 2 warm-ups) through
//    GET /api/v1/vnote/search (admin session, sequential): p50/p95 per shape and over the whole mix.
//
// Environment: BENCH_DB, BENCH_MYSQL (mysql://root@127.0.0.1:3306), BENCH_CALLS, BENCH_SEGMENTS,
// BENCH_ITERATIONS, BENCH_DATA_DIR.
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { register } from 'tsconfig-paths';
import { log, rebuildStatistics, seed } from './bench/vnote-search-seed';

// The backend imports the audio-format library by its workspace alias (tsconfig.base.json paths).
register({ baseUrl: join(__dirname, '..'), paths: { '@appliance/audio-format': ['libs/audio-format/src/index.ts'] } });

const DB = process.env.BENCH_DB ?? 'vnote_bench';
const SERVER = (process.env.BENCH_MYSQL ?? 'mysql://root@127.0.0.1:3306').replace(/\/+$/, '');
const CALLS = Number(process.env.BENCH_CALLS ?? 10_000);
const SEGMENTS = Number(process.env.BENCH_SEGMENTS ?? 1_000_000);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 30);
const DATA_DIR = process.env.BENCH_DATA_DIR ?? join(tmpdir(), `bench-vnote-search-${DB}`);
const ADMIN = { email: 'admin@example.jp', displayName: '管理 太郎', password: 'Str0ng-Passw0rd!' };
const args = new Set(process.argv.slice(2));
if (!/^[A-Za-z0-9_]+$/.test(DB)) throw new Error('BENCH_DB: letters, digits and _ only');

/** Cookie session against the app (what the browser does). */
function session(base: string) {
  const cookies = new Map<string, string>();
  return async (method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = {};
    if (cookies.size) headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(base + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const i = pair.indexOf('=');
      cookies.set(pair.slice(0, i).trim(), pair.slice(i + 1));
    }
    const text = await res.text();
    return { status: res.status, text, json: text ? JSON.parse(text) : undefined };
  };
}

const SHAPES: Array<[string, string]> = [
  ['frequent phrase (most calls)', 'q=ありがとうございます'],
  ['kanji word', 'q=解約'],
  ['rare name', 'q=山田と申します'],
  ['rare product code, full-width', 'q=ＸＺ５５５'],
  ['katakana', 'q=パスワード'],
  ['half-width katakana', 'q=ﾊﾟｽﾜｰﾄﾞ'],
  ['hiragana', 'q=かしこまりました'],
  ['phrase', 'q="請求書について確認"'],
  ['AND', 'q=請求 返品'],
  ['OR', 'q=解約 OR 返品'],
  ['NOT', 'q=請求 -解約'],
  ['single character', 'q=壊'],
  ['no match', 'q=存在しない言葉'],
  ['with call filters', 'q=解約&extension=210&from=2026-10-10&to=2026-10-20'],
  ['with metric filter', 'q=返品&minSilenceCount=2'],
];

async function main() {
  // Loaded after the alias is registered.
  const { createApp } =
    require('../backend/src/bootstrap/create-app') as typeof import('../backend/src/bootstrap/create-app');
  const { loadConfig } =
    require('../backend/src/config/app-config') as typeof import('../backend/src/config/app-config');
  const admin = await mysql.createConnection(SERVER);
  await admin.query(`CREATE DATABASE IF NOT EXISTS \`${DB}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  mkdirSync(DATA_DIR, { recursive: true });
  const app = await createApp(
    loadConfig({
      ...process.env,
      NODE_ENV: 'production',
      DATA_DIR,
      DATABASE_URL: `${SERVER}/${DB}`,
      LOG_LEVEL: 'warn',
    }),
  );
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const call = session(base);
  const status = await call('GET', '/api/setup/status');
  if (!status.json.setupComplete) {
    const steps: Array<[string, string, unknown]> = [
      ['POST', '/api/setup/admin', ADMIN],
      [
        'PUT',
        '/api/setup/organization',
        { organizationName: '株式会社ベンチ', deploymentMode: 'single', products: ['flexlog', 'flexvnote'] },
      ],
      ['PUT', '/api/setup/storage', { driver: 'local', localPath: join(DATA_DIR, 'recordings') }],
      ['PUT', '/api/setup/encryption', { mode: 'local' }],
      ['PUT', '/api/setup/mail', { skip: true }],
      ['POST', '/api/setup/complete', {}],
    ];
    for (const [method, path, body] of steps) {
      const res = await call(method, path, body);
      if (res.status >= 300) throw new Error(`${path}: ${res.status} ${res.text}`);
    }
  } else {
    await call('POST', '/api/v1/auth/login', { email: ADMIN.email, password: ADMIN.password });
  }
  const tenantId = (await call('GET', '/api/v1/auth/me')).json.tenant.id;
  const conn = await mysql.createConnection(`${SERVER}/${DB}`);
  if (!args.has('--measure-only')) await seed(tenantId, conn, CALLS, SEGMENTS);
  const [[{ stats }]] = (await conn.query('SELECT COUNT(*) AS stats FROM vnote_search_grams')) as unknown as [
    [{ stats: number }],
  ];
  if (!Number(stats)) await rebuildStatistics(conn, tenantId);
  const [[{ n }]] = (await conn.query('SELECT COUNT(*) AS n FROM vnote_search_docs')) as unknown as [[{ n: number }]];
  await conn.end();
  if (!args.has('--seed-only')) {
    log(
      `measure: ${n} segments, ${ITERATIONS} runs per shape, load ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}`,
    );
    const all: number[] = [];
    const rows: string[] = [];
    for (const [name, query] of SHAPES) {
      const path = `/api/v1/vnote/search?${query.replace(/=([^&]*)/g, (_m, v: string) => `=${encodeURIComponent(v)}`)}`;
      const times: number[] = [];
      let calls = 0;
      for (let i = 0; i < ITERATIONS + 2; i++) {
        const t = performance.now();
        const res = await call('GET', path);
        const ms = performance.now() - t;
        if (res.status !== 200) throw new Error(`${path}: ${res.status} ${res.text}`);
        calls = res.json.items.length;
        if (i >= 2) times.push(ms);
      }
      all.push(...times);
      rows.push(`| ${name} | \`${query}\` | ${calls} | ${pct(times, 50).toFixed(1)} | ${pct(times, 95).toFixed(1)} |`);
      console.log(rows[rows.length - 1]);
    }
    console.log(
      `| **whole mix** | ${all.length} requests | | ${pct(all, 50).toFixed(1)} | ${pct(all, 95).toFixed(1)} |`,
    );
    console.log(
      `machine: ${cpus().length} × ${cpus()[0]?.model}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
    );
  }
  await app.close();
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
