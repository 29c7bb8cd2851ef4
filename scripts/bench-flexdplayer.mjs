#!/usr/bin/env node
// FlexDPlayer import throughput (issue 8): one-minute carrier recordings (G.711 µ-law WAV with a CSV
// sidecar and a .done marker) dropped into a watched folder, timed until every one is a stored call.
//
//   npx nx run backend:build && npm run bench:flexdplayer
//   npm run bench:flexdplayer -- --count 200
//
// A fresh server on the embedded SQLite with local-disk storage; the background scanner finds the files
// (every 5 s) and imports them two at a time. files/s = count / (last import - files in place).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { requireBuild, setupOrLogin, startServer } from './bench/app-server.mjs';
import { callWav } from './bench/call-audio.mjs';

const { values: opt } = parseArgs({ options: { count: { type: 'string', default: '100' } } });
const count = Number(opt.count);
requireBuild();
const dataDir = mkdtempSync(join(tmpdir(), 'bench-fdp-data-'));
const folder = mkdtempSync(join(tmpdir(), 'bench-fdp-folder-'));
const server = await startServer({ dataDir });
try {
  const admin = await setupOrLogin(server);
  const must = async (res, what) => {
    const r = await res;
    if (r.status >= 300) throw new Error(`${what}: ${r.status} ${r.text}`);
    return r.json;
  };
  await must(admin.request('POST', '/api/v1/flexdplayer/lines', { number: '090-1234-5678' }), 'line');
  // Prepare every file elsewhere first, so the timing covers importing, not making audio.
  const staging = mkdtempSync(join(tmpdir(), 'bench-fdp-staging-'));
  const names = [];
  for (let i = 0; i < count; i++) {
    const start = new Date(Date.UTC(2026, 10, 24, 0, 0, i));
    const stamp = start.toISOString().replace(/\D/g, '').slice(0, 14);
    const base = `09012345678_03${String(10000000 + i)}_${stamp}_out`;
    writeFileSync(join(staging, `${base}.wav`), callWav(1, i + 1));
    writeFileSync(
      join(staging, `${base}.csv`),
      `own_number,other_number,direction,duration\r\n09012345678,03${10000000 + i},out,60\r\n`,
    );
    names.push(base);
  }
  const connector = await must(
    admin.request('POST', '/api/v1/flexdplayer/connectors', {
      type: 'folder',
      name: 'bench',
      folder: { path: folder },
      settleSeconds: 1,
    }),
    'connector',
  );
  const { renameSync } = await import('node:fs');
  for (const base of names) {
    renameSync(join(staging, `${base}.csv`), join(folder, `${base}.csv`));
    renameSync(join(staging, `${base}.wav`), join(folder, `${base}.wav`));
    writeFileSync(join(folder, `${base}.wav.done`), '');
  }
  const started = Date.now();
  let imported = 0;
  let failed = 0;
  while (imported + failed < count) {
    await new Promise((r) => setTimeout(r, 500));
    const files = await must(
      admin.request('GET', `/api/v1/flexdplayer/files?connectorId=${connector.id}&limit=500`),
      'files',
    );
    imported = files.filter((f) => f.status === 'imported').length;
    failed = files.filter((f) => f.status === 'failed').length;
    if (Date.now() - started > 30 * 60_000) throw new Error(`timed out with ${imported} of ${count} imported`);
  }
  const seconds = (Date.now() - started) / 1000;
  const rate = imported / seconds;
  console.log(`| date | files | failed | seconds | files/s | audio minutes/s | cores |`);
  console.log(`|---|---|---|---|---|---|---|`);
  console.log(
    `| ${new Date().toISOString().slice(0, 10)} | ${count} | ${failed} | ${seconds.toFixed(1)} | ${rate.toFixed(2)} | ${rate.toFixed(2)} | ${cpus().length} |`,
  );
} finally {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(folder, { recursive: true, force: true });
}
