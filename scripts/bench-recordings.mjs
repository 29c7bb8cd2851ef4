#!/usr/bin/env node
// The recording store end to end (issue 3): ingest, playback, stored size and search, against the
// built server on loopback. Results: a markdown table on stdout and raw numbers in tmp/bench/ (git-ignored).
//
//   npx nx run-many -t build -p backend frontend && npm run bench:recordings
//   npm run bench:recordings -- --only ingest,size --count 200 --concurrency 2
//   DATABASE_URL=mysql://root@127.0.0.1:3306 npm run bench:recordings     # with the search part (MariaDB)
//
// Ingest, playback and size share one server started here: a fresh DATA_DIR, the embedded SQLite (or with
// --app-database mysql a fresh database on the DATABASE_URL server, dropped afterwards), setup wizard over HTTP,
// local-disk storage, local master key, one API key. Search runs scripts/bench-recordings-search.mjs
// on its seeded 10 M-call database (BENCH_DB, default appliance_bench; --seed-search to make it: ~20 min).
import { execSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import mysql from 'mysql2/promise';
import { createApiKey, requireBuild, setupOrLogin, startServer } from './bench/app-server.mjs';
import { callWav, sha256 } from './bench/call-audio.mjs';
import { ingestMany, upload, callMetadata } from './bench/ingest.mjs';
import { audioSizes, measureRanges } from './bench/playback.mjs';
import { markdownReport } from './bench/report.mjs';
import { runSearchBench } from './bench/search-part.mjs';
import { log } from './bench/stats.mjs';
import { storedSize } from './bench/stored-size.mjs';

const PARTS = ['ingest', 'playback', 'size', 'search'];
const { values: opt } = parseArgs({
  options: {
    only: { type: 'string', default: PARTS.join(',') },
    count: { type: 'string', default: '600' }, // one-minute uploads per input kind
    concurrency: { type: 'string', default: '4' },
    'ingest-seconds': { type: 'string', default: '90' }, // per input kind: stop starting uploads after this
    inputs: { type: 'string', default: 'wav,opus' },
    'long-calls': { type: 'string', default: '2' },
    'long-minutes': { type: 'string', default: '60' },
    ranges: { type: 'string', default: '500' },
    'range-kib': { type: 'string', default: '64' },
    'playback-concurrency': { type: 'string', default: '1' },
    'search-shapes': { type: 'string', default: 'a,b,c,h,i,j' },
    'search-seconds': { type: 'string', default: '20' },
    'search-iterations': { type: 'string', default: '200' },
    'seed-search': { type: 'boolean', default: false },
    'app-database': { type: 'string', default: 'sqlite' },
    keep: { type: 'boolean', default: false },
    out: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (opt.help) {
  console.log(`npm run bench:recordings -- [--only ${PARTS.join(',')}] [--count 600] [--concurrency 4] [--ingest-seconds 90]
  [--inputs wav,opus] [--long-calls 2] [--long-minutes 60] [--ranges 500] [--range-kib 64] [--playback-concurrency 1]
  [--search-shapes a,b,c,h,i,j] [--search-seconds 20] [--search-iterations 200] [--seed-search]
  [--app-database sqlite|mysql] [--keep] [--out file.json]
Env: DATABASE_URL=mysql://user@host:port (the search part's server, and with --app-database mysql the app's too),
BENCH_DB, LOG_LEVEL.`);
  process.exit(0);
}
const int = (name) => {
  const n = Number(opt[name]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name}: a whole number >= 1, not "${opt[name]}"`);
  return n;
};
const parts = new Set(opt.only.split(',').map((s) => s.trim()));
for (const p of parts)
  if (!PARTS.includes(p)) throw new Error(`--only: unknown part "${p}" (parts: ${PARTS.join(', ')})`);
const inputs = opt.inputs.split(',').map((s) => s.trim());
for (const i of inputs) if (!['wav', 'opus'].includes(i)) throw new Error(`--inputs: "${i}" is not wav or opus`);
requireBuild();

const mysqlServer = process.env.DATABASE_URL?.match(/^(mysql|mariadb):\/\/[^/]+/)?.[0]?.replace(/^mariadb:/, 'mysql:');
if (process.env.DATABASE_URL && !mysqlServer)
  throw new Error('DATABASE_URL: mysql://user@host:port, or unset for SQLite');
if (!['sqlite', 'mysql'].includes(opt['app-database'])) throw new Error('--app-database: sqlite or mysql');
// The app of ingest/playback/size runs on the embedded SQLite unless asked for MariaDB/MySQL.
const appMysql = opt['app-database'] === 'mysql' ? mysqlServer : undefined;
if (opt['app-database'] === 'mysql' && !appMysql) throw new Error('--app-database mysql needs DATABASE_URL=mysql://…');
const runId = Date.now().toString(36);
let commit = null;
try {
  commit = execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
} catch {
  /* not a checkout */
}
const result = {
  benchmark: 'recordings-end-to-end',
  date: new Date().toISOString(),
  commit,
  machine: `${cpus().length} cores (${cpus()[0].model}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
  database: appMysql ? `${appMysql} (fresh database)` : 'SQLite (embedded default)',
  parameters: opt,
  load: { before: loadavg()[0] },
};
log(`recording store benchmark: ${[...parts].join(', ')}; ${result.machine}; load ${result.load.before.toFixed(2)}`);

/** A fresh app for ingest/playback/size; returns what the parts need and how to clean up. */
async function freshApp() {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-recordings-'));
  let database = { type: 'sqlite', path: join(dataDir, 'appliance.sqlite') };
  let dropDatabase = async () => undefined;
  if (appMysql) {
    const name = `bench_recordings_${runId}`;
    const root = await mysql.createConnection({ uri: appMysql });
    await root.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await root.end();
    database = { type: 'mysql', url: `${appMysql}/${name}` };
    dropDatabase = async () => {
      const conn = await mysql.createConnection({ uri: appMysql });
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await conn.end();
    };
  }
  const server = await startServer({ dataDir, databaseUrl: database.url });
  const admin = await setupOrLogin(server);
  const apiKey = await createApiKey(admin, 'bench capture');
  log(`app ready on ${server.base} (DATA_DIR ${dataDir}), setup done, API key made`);
  return {
    server,
    apiKey,
    cookie: admin.cookieHeader(),
    database,
    /** Stops the app and removes its data, unless --keep or a part failed (then its log tells why). */
    async close(failed) {
      await server.stop();
      if (opt.keep || failed)
        return log(`kept: DATA_DIR ${dataDir} (app.log)${appMysql ? `, database ${database.url}` : ''}`);
      await dropDatabase();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The stored Ogg Opus of a call, fetched whole: the input of the Opus-upload runs. */
async function opusOf(app, wav) {
  const meta = callMetadata(`bench-${runId}-opus-source`, 0, { sha256: wav.sha256, codec: 'PCMU', seconds: 60 });
  const { body } = await upload(app.server.base, app.apiKey, meta, wav.bytes, 'call.wav');
  const res = await fetch(`${app.server.base}/api/v1/calls/${body.callId}/audio`, { headers: { cookie: app.cookie } });
  if (res.status !== 200) throw new Error(`GET audio of ${body.callId}: ${res.status}`);
  const bytes = Buffer.from(await res.arrayBuffer());
  return { kind: 'opus', codec: 'opus', seconds: 60, bytes, sha256: sha256(bytes) };
}

/** One-hour calls, all uploaded at once; then their sizes for picking ranges. */
async function ingestLongCalls(app) {
  const minutes = int('long-minutes');
  const count = int('long-calls');
  const bytes = callWav(minutes, 2);
  const hash = sha256(bytes);
  log(`ingesting ${count} x ${minutes}-min WAV (${(bytes.length / 1e6).toFixed(1)} MB each) for playback`);
  const cpu0 = app.server.cpuSeconds();
  const t0 = performance.now();
  const uploads = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      upload(
        app.server.base,
        app.apiKey,
        callMetadata(`bench-${runId}-long-${i}`, 10_000 + i, { sha256: hash, codec: 'PCMU', seconds: minutes * 60 }),
        bytes,
        'call.wav',
      ),
    ),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu = app.server.cpuSeconds() - cpu0;
  log(`ingested in ${seconds.toFixed(1)} s (server CPU ${cpu.toFixed(1)} s)`);
  const calls = await audioSizes(
    app.server.base,
    app.cookie,
    uploads.map((u) => u.body.callId),
  );
  return {
    calls,
    minutes,
    longIngest: { count, inputBytes: bytes.length, seconds, serverCpuSecondsPerRecording: cpu / count },
  };
}

async function runServerParts() {
  const app = await freshApp();
  try {
    const wavBytes = callWav(1, 1);
    const wav = { kind: 'wav', codec: 'PCMU', seconds: 60, bytes: wavBytes, sha256: sha256(wavBytes) };
    const rangeBytes = int('range-kib') * 1024;
    let long = null;
    if (parts.has('playback')) {
      long = await ingestLongCalls(app);
      const common = { base: app.server.base, cookie: app.cookie, calls: long.calls, rangeBytes };
      const random = await measureRanges({
        ...common,
        requests: int('ranges'),
        concurrency: int('playback-concurrency'),
      });
      log(`random ranges: TTFB p50 ${random.ttfbMs.p50.toFixed(1)} p95 ${random.ttfbMs.p95.toFixed(1)} ms`);
      const fromStart = await measureRanges({ ...common, requests: 100, fromStart: true });
      log(`plays from byte 0: TTFB p50 ${fromStart.ttfbMs.p50.toFixed(1)} p95 ${fromStart.ttfbMs.p95.toFixed(1)} ms`);
      result.playback = { calls: long.calls, minutes: long.minutes, longIngest: long.longIngest, random, fromStart };
      result.playback.duringIngest = [];
    }
    if (parts.has('ingest')) {
      result.ingest = [];
      for (const input of inputs) {
        const audio = input === 'wav' ? wav : await opusOf(app, wav);
        log(
          `ingest: ${input} (${(audio.bytes.length / 1e6).toFixed(2)} MB), up to ${int('count')} uploads or ${int('ingest-seconds')} s`,
        );
        const run = ingestMany({
          server: app.server,
          apiKey: app.apiKey,
          audio,
          count: int('count'),
          concurrency: int('concurrency'),
          maxSeconds: int('ingest-seconds'),
          runId,
        });
        // A listener seeking every 100 ms while the uploads run: what ingest does to playback.
        const probe = long
          ? measureRanges({
              base: app.server.base,
              cookie: app.cookie,
              calls: long.calls,
              rangeBytes,
              requests: Infinity,
              until: run,
              pauseMs: 100,
              seed: 0x9c,
            })
          : null;
        const [ingested, probed] = await Promise.all([run, probe]);
        const { callIds, ...summary } = ingested;
        result.ingest.push(summary);
        if (probed) result.playback.duringIngest.push({ ...probed, input });
        log(
          `ingest ${input}: ${summary.uploaded} in ${summary.seconds.toFixed(1)} s = ${summary.perSecond.toFixed(2)}/s, ` +
            `p95 ${summary.latencyMs.p95.toFixed(0)} ms, server CPU ${summary.serverCpuSecondsPerRecording.toFixed(2)} s each` +
            (probed ? `; playback meanwhile TTFB p95 ${probed.ttfbMs.p95?.toFixed(1)} ms (n=${probed.requests})` : ''),
        );
        if (!callIds.length) throw new Error(`ingest ${input}: nothing uploaded`);
      }
    }
    if (parts.has('size')) {
      if (!parts.has('ingest') && !parts.has('playback')) {
        // Size alone: a few recordings of each input kind to measure.
        for (const input of inputs) {
          const audio = input === 'wav' ? wav : await opusOf(app, wav);
          await ingestMany({
            server: app.server,
            apiKey: app.apiKey,
            audio,
            count: 5,
            concurrency: 1,
            maxSeconds: 600,
            runId,
          });
        }
      }
      result.size = await storedSize(app.database, join(app.server.dataDir, 'recordings'));
      for (const k of result.size.kinds) log(`stored: ${k.kind}: ${k.mbPerCallHour.toFixed(2)} MB per call-hour`);
    }
  } catch (error) {
    await app.close(true);
    throw error;
  }
  await app.close(false);
}

if (parts.has('ingest') || parts.has('playback') || parts.has('size')) await runServerParts();
mkdirSync('tmp/bench', { recursive: true });
const stamp = result.date.replace(/[:.]/g, '-').slice(0, 19);
if (parts.has('search')) {
  if (!mysqlServer) {
    log('search skipped: it runs on MariaDB/MySQL only; set DATABASE_URL=mysql://root@127.0.0.1:3306');
  } else {
    result.search = await runSearchBench({
      mysqlServer,
      database: process.env.BENCH_DB ?? 'appliance_bench',
      shapes: opt['search-shapes'].split(','),
      shapeSeconds: int('search-seconds'),
      iterations: int('search-iterations'),
      out: join('tmp/bench', `recordings-search-${stamp}.json`),
      seed: opt['seed-search'],
    });
  }
}
result.load.after = loadavg()[0];
const out = opt.out ?? join('tmp/bench', `recordings-${stamp}.json`);
writeFileSync(out, JSON.stringify(result, null, 2));
console.log(`\n${markdownReport(result)}\n`);
log(`raw numbers: ${out}`);
