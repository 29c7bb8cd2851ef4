import { createReadStream, promises as fs } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { ByteReader, parseOpusHead, readOggPackets } from '@appliance/audio-format';
import { CAPTURE_OPUS_DEFAULTS } from '../output/call-audio-encoder';
import { CallSpool } from '../spool/call-spool';
import { AUDIO_FILE, SpoolStore } from '../spool/spool-store';

// Opus encoding speed and size, on calls the packet path spooled: copies of some of them are
// placed in a fresh spool's done/ without audio, as a restart finds calls that ended but were not
// encoded yet, and opening that spool encodes them with the real encoder and settings
// (spooled media -> G.711 decode -> stereo render -> Ogg Opus, fsync'd). One call at a time, on
// the JavaScript thread: the libopus build is WebAssembly running there.

export interface EncodingResult {
  calls: number;
  /** Seconds of stereo audio encoded (from the Ogg granule positions). */
  audioSeconds: number;
  wallSeconds: number;
  cpuSeconds: number;
  /** Audio seconds per wall-clock second on one thread (= per core when the thread has one to itself). */
  realtimeFactor: number;
  /** Audio seconds per CPU second (what one core does, however busy the machine). */
  realtimeFactorPerCpuSecond: number;
  bytes: number;
  megabytesPerCallHour: number;
  settings: typeof CAPTURE_OPUS_DEFAULTS;
}

/** Length of an Ogg Opus file in seconds: the last granule position less the pre-skip, at 48 kHz. */
export async function oggOpusSeconds(path: string): Promise<number> {
  const reader = new ByteReader(createReadStream(path));
  try {
    let preSkip: number | null = null;
    let granule = 0;
    for await (const packet of readOggPackets(reader)) {
      if (preSkip === null) preSkip = parseOpusHead(packet.data).preSkip;
      if (packet.granule > granule) granule = packet.granule;
    }
    return Math.max(0, granule - (preSkip ?? 0)) / 48_000;
  } finally {
    await reader.close();
  }
}

export async function measureEncoding(fromSpool: string, workRoot: string, count: number): Promise<EncodingResult> {
  const source = new SpoolStore(fromSpool, Number.MAX_SAFE_INTEGER, () => undefined);
  const names = (await source.names('done')).slice(0, count);
  if (names.length === 0) throw new Error(`${fromSpool}: no spooled calls to encode`);
  const target = new SpoolStore(workRoot, Number.MAX_SAFE_INTEGER, () => undefined);
  await target.prepare();
  for (const name of names) await fs.cp(source.path('done', name), target.path('done', name), { recursive: true });
  const errors: string[] = [];
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const spool = await CallSpool.open({
    root: workRoot,
    capacityBytes: Number.MAX_SAFE_INTEGER,
    siteKey: 'ak_bench',
    clock: { nowUs: 0 },
    encodeConcurrency: 1,
    log: (level, msg, fields) => {
      if (level === 'error') errors.push(`${msg} ${JSON.stringify(fields ?? {})}`);
    },
  });
  await spool.idle();
  const wallSeconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  await spool.close();
  if (errors.length > 0) throw new Error(`encoding failed: ${errors[0]}`);
  let bytes = 0;
  let audioSeconds = 0;
  for (const name of names) {
    const path = target.path('done', name, AUDIO_FILE);
    bytes += (await fs.stat(path)).size;
    audioSeconds += await oggOpusSeconds(path);
  }
  return {
    calls: names.length,
    audioSeconds,
    wallSeconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    realtimeFactor: audioSeconds / wallSeconds,
    realtimeFactorPerCpuSecond: audioSeconds / ((cpu.user + cpu.system) / 1e6),
    bytes,
    megabytesPerCallHour: audioSeconds > 0 ? ((bytes / audioSeconds) * 3600) / 1e6 : 0,
    settings: CAPTURE_OPUS_DEFAULTS,
  };
}
