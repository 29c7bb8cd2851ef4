// Seeding of the call-search benchmark's database (scripts/bench-recordings-search.mjs): one month of
// calls shaped like a Japanese call centre's, bulk-inserted for one tenant after the app's own migrations
// and setup made the schema. Deterministic: the same settings give the same rows on every run.
import mysql from 'mysql2/promise';
import { ADMIN, MAIN } from './app-server.mjs';
import { log, rng } from './stats.mjs';

const SEED_VERSION = 1; // bump when the generated data changes: the marker then no longer matches
const BATCH = 5_000; // rows per INSERT
const TX_BATCHES = 4; // INSERTs per transaction

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

export function numberPool(n) {
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

export const COLUMNS = [
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

/**
 * One INSERT of rows [start, start + count) of N calls from `from` on, identical on every run (seeded
 * by the batch).
 */
function batchSql(tenantId, pool, start, count, N, from) {
  const r = rng(0xb000 + start / BATCH);
  const t0 = from.getTime();
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

// ---------------------------------------------------------------- seeding
/**
 * db: database name on `server` (mysql://user@host:port); calls: how many; from: the month's first
 * instant (UTC); startApp/setupOrLogin: the built app against that database (migrations, wizard).
 */
export function callSeeder({ db: DB, server: SERVER, calls: N, from, startApp, setupOrLogin }) {
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
        for (let j = i; j < txEnd; j += BATCH)
          sqls.push(batchSql(tenantId, pool, j, Math.min(BATCH, txEnd - j), N, from));
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

  return { connect, marker, seed };
}
