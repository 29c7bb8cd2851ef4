// Playback: ranged GETs of /api/v1/calls/:id/audio as a logged-in tenant admin (cookie session), the
// way a player seeks in a long call. Time to first byte = from sending the request to the first body
// byte (session check, visibility query, recording row, storage open, decrypting the touched chunks).
import { rng, sleep, stats } from './stats.mjs';

/** GET with a Range; resolves to { status, ttfbMs, totalMs, bytes, contentRange }. */
async function rangedGet(base, cookie, callId, range) {
  const t = performance.now();
  const res = await fetch(`${base}/api/v1/calls/${callId}/audio`, { headers: { cookie, range } });
  const reader = res.body.getReader();
  const first = await reader.read();
  const ttfbMs = performance.now() - t;
  let bytes = first.value?.length ?? 0;
  for (let chunk = first; !chunk.done;) {
    chunk = await reader.read();
    bytes += chunk.value?.length ?? 0;
  }
  return {
    status: res.status,
    ttfbMs,
    totalMs: performance.now() - t,
    bytes,
    contentRange: res.headers.get('content-range'),
  };
}

/** The stored (plaintext Ogg) size of each call, from a first one-byte range (this one is an audited play). */
export async function audioSizes(base, cookie, callIds) {
  const sized = [];
  for (const id of callIds) {
    const res = await rangedGet(base, cookie, id, 'bytes=0-0');
    const total = Number(res.contentRange?.split('/')[1]);
    if (res.status !== 206 || !total) throw new Error(`GET audio of ${id}: ${res.status} ${res.contentRange}`);
    sized.push({ id, bytes: total });
  }
  return sized;
}

/**
 * `requests` ranges of `rangeBytes` at random offsets (never 0: a range from byte 0 is a play and is
 * audited; seeks are not), over the calls, `concurrency` at a time. `fromStart` instead asks for the
 * first `rangeBytes` each time: what pressing play costs, audit entry included. `until` (a promise)
 * ends the loop early when it settles, and `pauseMs` spaces the requests: a listener seeking now and
 * then while an ingest runs.
 */
export async function measureRanges({
  base,
  cookie,
  calls,
  requests,
  rangeBytes,
  concurrency = 1,
  fromStart = false,
  seed = 0x9b,
  until,
  pauseMs = 0,
}) {
  const r = rng(seed);
  const ttfb = [];
  const total = [];
  let next = 0;
  let done = false;
  const stop = () => (done = true);
  until?.then(stop, stop);
  const worker = async () => {
    while (next < requests && !done) {
      next++;
      const call = calls[r.int(calls.length)];
      const start = fromStart ? 0 : 1 + r.int(call.bytes - rangeBytes - 1);
      const res = await rangedGet(base, cookie, call.id, `bytes=${start}-${start + rangeBytes - 1}`);
      if (res.status !== 206 || res.bytes !== rangeBytes)
        throw new Error(`range ${start}+${rangeBytes} of ${call.id}: ${res.status}, ${res.bytes} bytes`);
      ttfb.push(res.ttfbMs);
      total.push(res.totalMs);
      if (pauseMs) await sleep(pauseMs);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return {
    requests: ttfb.length,
    rangeBytes,
    concurrency,
    fromStart,
    seconds: (performance.now() - t0) / 1000,
    ttfbMs: stats(ttfb),
    totalMs: stats(total),
  };
}
