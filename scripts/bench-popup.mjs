#!/usr/bin/env node
// Popup delivery benchmark (応対力, issue 6): call events fed through the capture's WebSocket at
// BENCH_RATE calls per second (default 50) for BENCH_SECONDS (60) while BENCH_SOCKETS (300) Socket.IO
// clients are connected; latency from each event's capture timestamp (`at`, as the capture box stamps
// the INVITE) to its arrival at every socket client it is for; p50/p99 and lost events.
//
//   npx nx run backend:build && npm run bench:popup
//
// The built app on a fresh MariaDB database (BENCH_MYSQL, default mysql://root@127.0.0.1:3306;
// database appliance_bench_popup, dropped first) with Redis (BENCH_REDIS, default
// redis://127.0.0.1:6379): the Redis adapter and the shared ringing-call store are on the path.
// BENCH_USERS operators (default 150) with an extension each and two PCs (sockets) each; the first
// BENCH_LINE_MEMBERS (10) also answer the named line 代表, which every call rings: a call pops up on
// the extension's user and the line's members, up to 22 sockets. BENCH_HISTORY calls (30,000) are
// seeded so each popup's history query finds earlier calls with the number, and BENCH_CUSTOMERS (300)
// of the 3,000 caller numbers belong to a registered customer. Calls: ringing; after
// 2 s answered at the ringing extension (80 %); ended after 6 s (8 s when missed). 5 % withheld.
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { io } from 'socket.io-client';
import WebSocket from 'ws';
import { requireBuild, session, setupOrLogin, startServer } from './bench/app-server.mjs';
import { COLUMNS } from './bench/search-seed.mjs';
import { fmt, log, pct, rng, sleep } from './bench/stats.mjs';

const RATE = Number(process.env.BENCH_RATE ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 300);
const USERS = Number(process.env.BENCH_USERS ?? 150);
const LINE_MEMBERS = Number(process.env.BENCH_LINE_MEMBERS ?? 10);
const HISTORY = Number(process.env.BENCH_HISTORY ?? 30_000);
const SERVER = (process.env.BENCH_MYSQL ?? 'mysql://root@127.0.0.1:3306').replace(/\/+$/, '');
const REDIS = process.env.BENCH_REDIS ?? 'redis://127.0.0.1:6379';
const DB = 'appliance_bench_popup';
const PASSWORD = 'Bench-Passw0rd!';
const CALLERS = 3_000;
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 300);
const DRAIN_MS = 5_000;
/** BENCH_CONTROL=1: nobody is mapped to the calls; what the event stream costs without popups. */
const CONTROL = process.env.BENCH_CONTROL === '1';

const r = rng(0x9091);
const callers = Array.from({ length: CALLERS }, () => `03${r.digits(8)}`);
const reverse = (s) => [...s].reverse().join('');
const sqlTime = (ms) => new Date(ms).toISOString().slice(0, 23).replace('T', ' ');

async function freshDatabase() {
  const url = new URL(SERVER);
  const conn = await createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: url.username || 'root',
    password: decodeURIComponent(url.password),
  });
  await conn.query(`DROP DATABASE IF EXISTS \`${DB}\``);
  await conn.query(`CREATE DATABASE \`${DB}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await conn.end();
}

/** Earlier calls with the pool's numbers, answered by the bench's users: what each popup's history lists. */
async function seedHistory(tenantId, siteId, userIds) {
  const url = new URL(`${SERVER}/${DB}`);
  const conn = await createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: url.username || 'root',
    password: decodeURIComponent(url.password),
    database: DB,
  });
  const now = Date.now();
  for (let start = 0; start < HISTORY; start += 1_000) {
    const rows = [];
    for (let i = start; i < Math.min(HISTORY, start + 1_000); i++) {
      const caller = callers[r.int(CALLERS)];
      const user = r.int(userIds.length);
      const started = now - 86_400_000 - r.int(90 * 86_400_000);
      const talk = 20 + r.int(600);
      const row = {
        id: randomUUID(),
        tenantId,
        clientRecordingId: `bench-${i}`,
        source: 'flexlog',
        siteId,
        lineId: '代表',
        direction: 'inbound',
        callerDialled: caller,
        callerE164: `+81${caller.slice(1)}`,
        callerDigits: caller,
        callerDigitsReversed: reverse(caller),
        callerName: null,
        calleeDialled: '0312340000',
        calleeE164: '+81312340000',
        calleeDigits: '0312340000',
        calleeDigitsReversed: reverse('0312340000'),
        calleeName: null,
        extension: String(3000 + user),
        userId: userIds[user],
        startedAt: sqlTime(started),
        answeredAt: sqlTime(started + 5_000),
        endedAt: sqlTime(started + 5_000 + talk * 1000),
        ringSeconds: 5,
        talkSeconds: talk,
        disposition: 'answered',
        codec: 'PCMU',
        channelLayout: 'stereo',
        quality: null,
        dtmf: null,
        notes: null,
        legalHold: 0,
        createdAt: sqlTime(now),
      };
      rows.push(COLUMNS.map((c) => row[c]));
    }
    await conn.query(`INSERT INTO calls (${COLUMNS.map((c) => `\`${c}\``).join(',')}) VALUES ?`, [rows]);
  }
  await conn.end();
}

const must = async (res, what) => {
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${res.text}`);
  return res.json;
};

/** Runs `work` over `items` with `n` at a time. */
async function pool(items, n, work) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await work(items[i], i);
      }
    }),
  );
  return out;
}

requireBuild();
await freshDatabase();
const app = await startServer({
  dataDir: join(tmpdir(), `bench-popup-${Date.now()}`),
  databaseUrl: `${SERVER}/${DB}`,
  // The SFTP drop of FlexDPlayer is not part of this benchmark (and its port may be taken on the machine).
  env: {
    REDIS_URL: REDIS,
    QUEUE_PREFIX: `bench-popup-${process.pid}`,
    LOG_LEVEL: 'warn',
    FLEXDPLAYER_SFTP_PORT: 'off',
  },
});
const sockets = [];
try {
  const admin = await setupOrLogin(app);
  const tenantId = (await must(await admin.request('GET', '/api/v1/auth/me'), 'me')).tenant.id;
  const site = await must(
    await admin.request('POST', '/api/v1/flexlog/sites', {
      name: '本社',
      lines: [{ name: '代表', numbers: ['0312340000'] }],
    }),
    'site',
  );
  const key = (
    await must(await admin.request('POST', `/api/v1/flexlog/sites/${site.id}/api-keys`, { name: 'box' }), 'key')
  ).key;

  log(`creating ${USERS} operators, ${LINE_MEMBERS} of them on the line 代表`);
  // One at a time: creating users with extensions concurrently deadlocks in MariaDB (user_extensions).
  const users = await pool(
    Array.from({ length: USERS }, (_, i) => i),
    1,
    async (i) => {
      const email = `op${i}@bench.example.jp`;
      const created = await must(
        await admin.request('POST', '/api/v1/users', {
          email,
          displayName: `オペレーター${i}`,
          roles: ['operator'],
          password: PASSWORD,
          extensions: [String(3000 + i)],
        }),
        'user',
      );
      const id = created.user.id;
      if (i < LINE_MEMBERS)
        await must(
          await admin.request('PUT', `/api/v1/popup/users/${id}/lines`, {
            lines: [{ siteId: site.id, lineName: '代表' }],
          }),
          'lines',
        );
      const s = session(app.base);
      await must(await s.request('POST', '/api/v1/auth/login', { email, password: PASSWORD }), 'login');
      return { id, index: i, cookie: s.cookieHeader() };
    },
  );
  log(`registering ${CUSTOMERS} customers (the popup's customer lookup finds them)`);
  await pool(callers.slice(0, CUSTOMERS), 2, async (number, i) =>
    must(
      await admin.request('POST', '/api/v1/popup/customers', {
        name: `顧客${i}`,
        company: `株式会社${i}`,
        numbers: [number],
      }),
      'customer',
    ),
  );
  log(`seeding ${HISTORY.toLocaleString()} earlier calls`);
  await seedHistory(
    tenantId,
    site.id,
    users.map((u) => u.id),
  );

  // Per call key and event: the arrival times at each socket.
  const arrivals = { 'popup:ringing': new Map(), 'popup:answered': new Map(), 'popup:ended': new Map() };
  const atOf = {
    'popup:ringing': (p) => p.ringingAt,
    'popup:answered': (p) => p.answeredAt,
    'popup:ended': (p) => p.endedAt,
  };
  let duplicates = 0;
  /** From the backend accepting the ringing event to the socket: the popup path alone. */
  const backendMs = [];
  log(`connecting ${SOCKETS} sockets (${Math.ceil(SOCKETS / USERS)} per user)`);
  await pool(
    Array.from({ length: SOCKETS }, (_, i) => i),
    20,
    (i) => {
      const user = users[i % USERS];
      const socket = io(app.base, {
        path: '/socket.io',
        transports: ['websocket'],
        extraHeaders: { cookie: user.cookie },
      });
      sockets.push(socket);
      socket.onAny((event, payload) => {
        const now = performance.timeOrigin + performance.now();
        const byKey = arrivals[event];
        if (!byKey || payload.resumed) return;
        let got = byKey.get(payload.key);
        if (!got) byKey.set(payload.key, (got = new Map()));
        if (got.has(i)) duplicates++;
        got.set(i, now - Date.parse(atOf[event](payload)));
        if (event === 'popup:ringing') backendMs.push(now - Date.parse(payload.acceptedAt));
      });
      return new Promise((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
      });
    },
  );
  const socketsOf = (userIndex) => sockets.map((_, i) => i).filter((i) => i % USERS === userIndex);

  const capture = new WebSocket(`${app.base.replace('http', 'ws')}/api/v1/flexlog/events`, {
    headers: { authorization: `Bearer ${key}` },
  });
  let acked = 0;
  let finished = false;
  capture.on('close', (code, reason) => finished || log(`capture stream closed by the server: ${code} ${reason}`));
  const sentAt = new Map();
  const ackMs = [];
  capture.on('message', (m) => {
    const message = JSON.parse(m.toString());
    if (message.type !== 'ack') return;
    acked++;
    ackMs.push(performance.now() - sentAt.get(message.seq));
  });
  await new Promise((resolve, reject) => capture.once('open', resolve).once('error', reject));
  let seq = 0;
  const send = (type, call) => {
    const event = {
      seq: ++seq,
      type,
      callId: call.id,
      at: new Date().toISOString(),
      caller: call.caller,
      callee: '0312340000',
      // The control run: the same events, ringing an extension and a line nobody answers (no popups).
      extension: CONTROL ? '9999' : call.extension,
      direction: 'inbound',
      lineName: CONTROL ? '未登録' : '代表',
    };
    sentAt.set(event.seq, performance.now());
    capture.send(JSON.stringify(event));
  };

  const calls = [];
  const pending = [];
  const total = RATE * SECONDS;
  const cpu0 = app.cpuSeconds();
  log(`feeding ${total} calls at ${RATE}/s for ${SECONDS} s`);
  const t0 = performance.now();
  for (let n = 0; n < total; n++) {
    const due = t0 + (n * 1000) / RATE;
    while (performance.now() < due) await sleep(Math.max(0, due - performance.now() - 1));
    const ext = r.int(USERS);
    const call = {
      id: `bench-${n}@pbx`,
      key: `${site.id}:bench-${n}@pbx`,
      caller: r() < 0.05 ? 'anonymous' : callers[r.int(CALLERS)],
      extension: String(3000 + ext),
      answered: r() < 0.8,
      targets: CONTROL
        ? []
        : [...new Set([ext, ...Array.from({ length: LINE_MEMBERS }, (_, i) => i)])].flatMap(socketsOf),
    };
    calls.push(call);
    send('ringing', call);
    if (call.answered) pending.push(sleep(2_000).then(() => send('answered', call)));
    pending.push(sleep(call.answered ? 6_000 : 8_000).then(() => send('ended', call)));
  }
  await Promise.all(pending);
  const cpu = app.cpuSeconds() - cpu0;
  const elapsed = (performance.now() - t0) / 1000;
  await sleep(DRAIN_MS);

  const report = {};
  for (const event of Object.keys(arrivals)) {
    const latencies = [];
    let expected = 0;
    let lost = 0;
    for (const call of calls) {
      if (event === 'popup:answered' && !call.answered) continue;
      const got = arrivals[event].get(call.key) ?? new Map();
      for (const s of call.targets) {
        expected++;
        if (got.has(s)) latencies.push(got.get(s));
        else lost++;
      }
    }
    report[event] = {
      expected,
      received: latencies.length,
      lost,
      p50: pct(latencies, 50),
      p99: pct(latencies, 99),
      max: pct(latencies, 100),
    };
    log(
      `${event}: ${latencies.length}/${expected} delivered, lost ${lost}, p50 ${fmt(report[event].p50)} ms, p99 ${fmt(report[event].p99)} ms, max ${fmt(report[event].max)} ms`,
    );
  }
  // Slow popups spread evenly point at the popup path; bunched into a few seconds, at stalls of the host.
  const slowSeconds = new Set();
  let slow = 0;
  calls.forEach((call, n) => {
    for (const ms of (arrivals['popup:ringing'].get(call.key) ?? new Map()).values()) {
      if (ms <= 200) continue;
      slow++;
      slowSeconds.add(Math.floor(n / RATE));
    }
  });
  log(`popup:ringing over 200 ms: ${slow} popups, within ${slowSeconds.size} of the ${SECONDS} seconds fed`);
  log(
    `popup:ringing from the backend accepting the event: p50 ${fmt(pct(backendMs, 50))} ms, p99 ${fmt(pct(backendMs, 99))} ms`,
  );
  log(`capture stream acks: p50 ${fmt(pct(ackMs, 50))} ms, p99 ${fmt(pct(ackMs, 99))} ms`);
  log(
    `events acked ${acked}/${seq}; duplicates ${duplicates}; server CPU ${(cpu / elapsed).toFixed(2)} cores busy over ${elapsed.toFixed(1)} s`,
  );
  console.log(
    JSON.stringify({
      rate: RATE,
      seconds: SECONDS,
      sockets: SOCKETS,
      users: USERS,
      lineMembers: LINE_MEMBERS,
      history: HISTORY,
      calls: calls.length,
      report,
      ringingOver200Ms: slow,
      secondsWithSlowRinging: slowSeconds.size,
      acceptedToSocketP50: pct(backendMs, 50),
      acceptedToSocketP99: pct(backendMs, 99),
      ackP50: pct(ackMs, 50),
      ackP99: pct(ackMs, 99),
      duplicates,
      serverCores: cpu / elapsed,
    }),
  );
  finished = true;
  capture.close();
} finally {
  for (const s of sockets) s.disconnect();
  await app.stop();
}
