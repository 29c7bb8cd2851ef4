// The markdown table of `npm run bench:recordings`, ready to paste into docs/benchmarks.md: every
// result beside the goal of issue 3 and whether it was met.
import { fmt } from './stats.mjs';

const GOALS = {
  ingestPerSecond: 200,
  playbackP95Ms: 50,
  searchP95Ms: 100,
  searchRatio: 1.5,
};
const met = (ok) => (ok === null ? '' : ok ? 'met' : '**missed**');
const p = (s) => (s && s.n ? `${fmt(s.p50)} / ${fmt(s.p95)}` : '-');
const mb = (x) => `${(x / 1e6).toFixed(2)} MB`;

function ingestRows(ingest) {
  return ingest.map((i) => [
    `ingest, ${i.audioSeconds / 60}-min stereo ${i.input === 'wav' ? 'WAV µ-law' : 'Ogg Opus'} (${mb(i.inputBytes)}), ` +
      `${i.concurrency} in flight, ${i.uploaded} uploads`,
    `**${i.perSecond.toFixed(2)} per second**; latency p50/p95 ${p(i.latencyMs)} ms; ` +
      `server CPU ${i.serverCpuSecondsPerRecording.toFixed(2)} s per recording (${i.serverCoresBusy.toFixed(2)} cores busy)`,
    `>= ${GOALS.ingestPerSecond} per second`,
    met(i.perSecond >= GOALS.ingestPerSecond),
  ]);
}

function playbackRows(playback) {
  const rows = [];
  const hours = `${playback.calls.length} x ${playback.minutes}-min call${playback.calls.length > 1 ? 's' : ''}`;
  const ranges = (m, what, goal) => [
    `${what}: ${m.requests} x ${m.rangeBytes / 1024} KiB, ${m.concurrency} at a time, ${hours}`,
    `TTFB p50/p95 **${p(m.ttfbMs)} ms**; whole range p50/p95 ${p(m.totalMs)} ms`,
    goal ? `p95 < ${GOALS.playbackP95Ms} ms` : '',
    goal ? met(m.ttfbMs.p95 < GOALS.playbackP95Ms) : '',
  ];
  rows.push(ranges(playback.random, 'playback, random ranges (seeks, not audited)', true));
  if (playback.fromStart) rows.push(ranges(playback.fromStart, 'playback, from byte 0 (a play: audited)', true));
  for (const probe of playback.duringIngest ?? [])
    rows.push(ranges(probe, `playback, random ranges while ${probe.input} ingest runs`, true));
  if (playback.longIngest) {
    const l = playback.longIngest;
    rows.push([
      `ingest of the ${hours} (WAV, ${mb(l.inputBytes)} each, all at once)`,
      `${(l.seconds / l.count).toFixed(1)} s per call wall clock; server CPU ${l.serverCpuSecondsPerRecording.toFixed(1)} s each`,
      '',
      '',
    ]);
  }
  return rows;
}

function sizeRows(size) {
  return size.kinds.map((k) => [
    `stored per call-hour, ${k.kind} (${k.recordings} recordings)`,
    `**${k.mbPerCallHour.toFixed(2)} MB** (${(k.ratioToMiaRec * 100).toFixed(0)} % of MiaRec; ` +
      `encryption adds ${(k.encryptionOverhead * 100).toFixed(2)} %)`,
    `<= ${size.goalMbPerCallHour} MB (MiaRec ${size.miaRecMbPerCallHour} MB)`,
    met(k.meetsGoal),
  ]);
}

function searchRows(search) {
  return search.results.map((r) => {
    const ratio = r.api.p95 && r.raw.p95 ? r.api.p95 / r.raw.p95 : null;
    return [
      `search (${r.shape}) ${r.name}, page of 50 over ${(search.seed.calls / 1e6).toFixed(0)} M calls (${r.plan})`,
      `API p50/p95 **${p(r.api)} ms**, raw SQL ${p(r.raw)} ms, p95 API/raw ${ratio ? ratio.toFixed(2) : '-'} (n=${r.iterations})`,
      `p95 < ${GOALS.searchP95Ms} ms, API/raw <= ${GOALS.searchRatio}`,
      met(r.api.p95 !== null && r.api.p95 < GOALS.searchP95Ms && ratio !== null && ratio <= GOALS.searchRatio),
    ];
  });
}

/** Markdown lines: the context, then one table of all parts that ran. */
export function markdownReport(result) {
  const lines = [
    `${result.date.slice(0, 10)}, commit ${result.commit ?? '?'}, ${result.machine}; database for ingest/playback: ` +
      `${result.database}; load average (1 min) ${result.load.before.toFixed(2)} before, ${result.load.after.toFixed(2)} after`,
    '',
    '| measure | result | goal (issue 3) | |',
    '|---|---|---|---|',
  ];
  const rows = [
    ...(result.ingest ? ingestRows(result.ingest) : []),
    ...(result.playback ? playbackRows(result.playback) : []),
    ...(result.size ? sizeRows(result.size) : []),
    ...(result.search ? searchRows(result.search) : []),
  ];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  if (result.size) {
    const d = result.size.disk;
    lines.push(
      '',
      `Disk check: ${d.files} files, ${d.bytes.toLocaleString()} bytes under the recordings folder; ` +
        `${d.recordingsInDatabase} recordings, ${d.storedBytesInDatabase.toLocaleString()} storedBytes in the database.`,
    );
  }
  if (result.search) {
    const s = result.search;
    lines.push(
      '',
      `Search: ${s.version}, innodb_buffer_pool_size ${s.bufferPoolMB} MB, calls ${s.seed.dataMB} MB + indexes ` +
        `${s.seed.indexMB} MB; API floor (GET /api/v1/auth/me) p50/p95 ${p(s.apiFloor)} ms; full table: ${s.json}`,
    );
  }
  return lines.join('\n');
}
