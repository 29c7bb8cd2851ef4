#!/usr/bin/env node
// Customer CSV import at scale (issue 6): a 100,000-row Shift_JIS file as Excel saves it, uploaded,
// previewed and imported as a job; then imported again (every row an update by 顧客ID); then the
// popup's number lookup (GET /api/v1/popup/customers/match) timed against the full directory.
//
//   npx nx run backend:build && npm run bench:popup-customers
//   npm run bench:popup-customers -- --rows 20000 --database-url mysql://root@127.0.0.1:3306/bench_customers
//
// A fresh server (embedded SQLite unless --database-url names an empty MySQL/MariaDB database).
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { requireBuild, setupOrLogin, startServer } from './bench/app-server.mjs';

const iconv = createRequire(import.meta.url)('iconv-lite');
const { values: opt } = parseArgs({
  options: { rows: { type: 'string', default: '100000' }, 'database-url': { type: 'string', default: '' } },
});
const rows = Number(opt.rows);
requireBuild();

const quote = (c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
function excelFile(company) {
  const lines = ['顧客ID,氏名,フリガナ,会社名,部署,ランク,タグ,メモ,電話番号'];
  for (let i = 0; i < rows; i++) {
    const phone = `0${i % 2 ? 3 : 6}-${1000 + Math.floor(i / 10000)}-${String(i % 10000).padStart(4, '0')}`;
    const cells = [
      `K${i}`,
      `顧客 ${i}号`,
      `こきゃく ${i}`,
      `${company}, 第${i % 50}営業所`,
      '営業部',
      'ABC'[i % 3],
      '得意先、定期',
      `メモ ${i}\r\n二行目`,
      phone,
    ];
    lines.push(cells.map(quote).join(','));
  }
  return iconv.encode(lines.join('\r\n') + '\r\n', 'cp932');
}

const dataDir = mkdtempSync(join(tmpdir(), 'bench-customers-'));
const server = await startServer({
  dataDir,
  databaseUrl: opt['database-url'] || undefined,
  env: { LOG_LEVEL: 'warn', FLEXDPLAYER_SFTP_PORT: 'off' },
});
const seconds = (from) => ((performance.now() - from) / 1000).toFixed(1);
try {
  const admin = await setupOrLogin(server);
  const must = async (res, what) => {
    const r = await res;
    if (r.status >= 300) throw new Error(`${what}: ${r.status} ${r.text.slice(0, 500)}`);
    return r.json;
  };
  const upload = async (bytes) => {
    const res = await fetch(`${server.base}/api/v1/popup/customer-imports?fileName=bench.csv`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', cookie: admin.cookieHeader() },
      body: bytes,
    });
    if (res.status !== 201) throw new Error(`upload: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const mapping = {
    columns: {
      顧客ID: 'externalId',
      氏名: 'name',
      フリガナ: 'kana',
      会社名: 'company',
      部署: 'department',
      ランク: 'rank',
      タグ: 'tags',
      メモ: 'memo',
      電話番号: 'phone',
    },
    key: 'externalId',
  };
  const round = async (label, file) => {
    let t = performance.now();
    const up = await upload(file);
    const uploadS = seconds(t);
    t = performance.now();
    const preview = await must(
      admin.request('POST', `/api/v1/popup/customer-imports/${up.id}/preview`, mapping),
      'preview',
    );
    const previewS = seconds(t);
    if (preview.errorCount) throw new Error(`preview: ${JSON.stringify(preview.errors.slice(0, 3))}`);
    t = performance.now();
    let { job } = await must(
      admin.request('POST', `/api/v1/popup/customer-imports/${up.id}/confirm`, mapping),
      'confirm',
    );
    while (job.status === 'queued' || job.status === 'running') {
      await new Promise((r) => setTimeout(r, 500));
      job = await must(admin.request('GET', `/api/v1/jobs/${job.id}`), 'job');
    }
    if (job.status !== 'succeeded') throw new Error(`job: ${job.error}`);
    const importS = seconds(t);
    console.log(
      `${label}: ${rows} rows, ${(file.length / 1024 / 1024).toFixed(1)} MiB Shift_JIS; upload ${uploadS} s, preview ${previewS} s, import job ${importS} s (${JSON.stringify(job.result)})`,
    );
  };
  // Both files are made before any request: building one takes longer than the server keeps an idle
  // connection open, and a POST on a connection it has closed fails with ECONNRESET.
  const files = [excelFile('株式会社ベンチ'), excelFile('株式会社ベンチ改')];
  await round('first import', files[0]);
  await round('re-import (updates)', files[1]);
  const times = [];
  for (let i = 0; i < 500; i++) {
    const k = (i * 199) % rows;
    const n = `+81${k % 2 ? 3 : 6}${1000 + Math.floor(k / 10000)}${String(k % 10000).padStart(4, '0')}`;
    const t = performance.now();
    const cards = await must(
      admin.request('GET', `/api/v1/popup/customers/match?number=${encodeURIComponent(n)}`),
      'match',
    );
    times.push(performance.now() - t);
    if (!cards.length) throw new Error(`no match for ${n}`);
  }
  times.sort((a, b) => a - b);
  const at = (p) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))].toFixed(1);
  console.log(`match by number over HTTP (500 lookups): p50 ${at(50)} ms, p99 ${at(99)} ms`);
} finally {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
