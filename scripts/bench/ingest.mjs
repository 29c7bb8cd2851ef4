// End-to-end ingest: POST /api/v1/ingest/calls with an API key, C uploads in flight, each a whole
// call (HTTP multipart, hash check, transcode to storage Opus, encrypt, write, DB rows, audit).
import { rng, stats } from './stats.mjs';

const EXTERNAL_PREFIXES = ['03', '06', '045', '052', '090', '080', '070', '0120'];

/** Metadata of upload i: a one-month spread of start times, varied numbers, extensions and tags. */
export function callMetadata(clientRecordingId, i, { sha256, codec, seconds }) {
  const r = rng(0xca11 + i);
  const started = Date.UTC(2026, 9, 1) + r.int(31 * 24 * 3600) * 1000;
  const prefix = EXTERNAL_PREFIXES[r.int(EXTERNAL_PREFIXES.length)];
  const external = prefix + r.digits((/^0[789]0$/.test(prefix) ? 11 : 10) - prefix.length); // mobiles have 11 digits
  const extension = String(200 + r.int(100));
  const inbound = r() < 0.6;
  const ring = 2 + r.int(15);
  return {
    clientRecordingId,
    source: 'flexlog',
    siteId: r() < 0.7 ? 'tokyo' : 'osaka',
    direction: inbound ? 'inbound' : 'outbound',
    caller: inbound ? { number: external } : { number: extension },
    callee: inbound ? { number: extension } : { number: external },
    extension,
    startedAt: new Date(started).toISOString(),
    answeredAt: new Date(started + ring * 1000).toISOString(),
    endedAt: new Date(started + (ring + seconds) * 1000).toISOString(),
    disposition: 'answered',
    codec,
    sha256,
    tags: r() < 0.2 ? ['ベンチ'] : [],
  };
}

/** One upload; resolves to { status, ms, body }. */
export async function upload(base, apiKey, metadata, audio, filename) {
  const form = new FormData();
  form.append('metadata', JSON.stringify(metadata));
  form.append('audio', new Blob([audio]), filename);
  const t = performance.now();
  const res = await fetch(`${base}/api/v1/ingest/calls`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}` },
    body: form,
  });
  const text = await res.text();
  const ms = performance.now() - t;
  if (res.status !== 201)
    throw new Error(`POST /api/v1/ingest/calls (${metadata.clientRecordingId}): ${res.status} ${text}`);
  return { status: res.status, ms, body: JSON.parse(text) };
}

/**
 * Uploads `count` copies of one audio file (fresh metadata and clientRecordingId each) with
 * `concurrency` in flight, after `concurrency` uncounted warm-up uploads. Stops starting new ones
 * after `maxSeconds` (the in-flight ones finish and count). Server CPU comes from /proc.
 */
export async function ingestMany({ server, apiKey, audio, count, concurrency, maxSeconds, runId }) {
  const meta = (i) =>
    callMetadata(`bench-${runId}-${audio.kind}-${i}`, i, {
      sha256: audio.sha256,
      codec: audio.codec,
      seconds: audio.seconds,
    });
  const filename = `call.${audio.kind}`;
  await Promise.all(
    Array.from({ length: concurrency }, (_, w) => upload(server.base, apiKey, meta(-1 - w), audio.bytes, filename)),
  );
  const latencies = [];
  const callIds = [];
  let next = 0;
  const cpu0 = server.cpuSeconds();
  const clientCpu0 = process.cpuUsage();
  const t0 = performance.now();
  let stoppedByTime = false;
  const worker = async () => {
    for (;;) {
      if (next >= count) return;
      if ((performance.now() - t0) / 1000 > maxSeconds) {
        stoppedByTime = true;
        return;
      }
      const i = next++;
      const res = await upload(server.base, apiKey, meta(i), audio.bytes, filename);
      latencies.push(res.ms);
      callIds.push(res.body.callId);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  const serverCpu = server.cpuSeconds() - cpu0;
  const clientCpu = process.cpuUsage(clientCpu0);
  return {
    input: audio.kind,
    inputBytes: audio.bytes.length,
    audioSeconds: audio.seconds,
    concurrency,
    requested: count,
    uploaded: latencies.length,
    stoppedByTime,
    seconds,
    perSecond: latencies.length / seconds,
    latencyMs: stats(latencies),
    serverCpuSeconds: serverCpu,
    serverCpuSecondsPerRecording: serverCpu / latencies.length,
    serverCoresBusy: serverCpu / seconds,
    clientCpuSeconds: (clientCpu.user + clientCpu.system) / 1e6,
    callIds,
  };
}
