import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import type { OpusDecoder as OpusDecoderType } from 'opus-decoder';

// Checks that owe nothing to the code under test: an Ogg parser with a bit-by-bit CRC, and
// decoding with another libopus build (opus-decoder, whose multistream decoder reads RFC 6716
// App. B framing itself).

/**
 * The packages of the wasm-audio-decoders family are ES modules; Jest (CommonJS here) loads their
 * UMD build instead. Use: jest.mock('opus-decoder', () => jest.requireActual('./testing/verify').umdBuild('opus-decoder')).
 */
export function umdBuild(pkg: string): unknown {
  return require(join(dirname(require.resolve(pkg)), 'dist', `${pkg}.min.js`));
}

export interface Page {
  flags: number;
  granule: bigint;
  serial: number;
  sequence: number;
  crcOk: boolean;
  lacing: number[];
  body: Buffer;
}

function crc32Bitwise(data: Buffer): number {
  let crc = 0;
  for (const byte of data) {
    crc ^= byte << 24;
    for (let i = 0; i < 8; i++) crc = crc & 0x80000000 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
  }
  return crc >>> 0;
}

export function parsePages(file: Buffer): Page[] {
  const pages: Page[] = [];
  for (let pos = 0; pos < file.length;) {
    if (file.toString('latin1', pos, pos + 4) !== 'OggS') throw new Error(`no capture pattern at ${pos}`);
    const count = file[pos + 26];
    const lacing = [...file.subarray(pos + 27, pos + 27 + count)];
    const size = 27 + count + lacing.reduce((a, b) => a + b, 0);
    const raw = Buffer.from(file.subarray(pos, pos + size));
    const stored = raw.readUInt32LE(22);
    raw.writeUInt32LE(0, 22);
    pages.push({
      flags: raw[5],
      granule: raw.readBigInt64LE(6),
      serial: raw.readUInt32LE(14),
      sequence: raw.readUInt32LE(18),
      crcOk: crc32Bitwise(raw) === stored,
      lacing,
      body: raw.subarray(27 + count),
    });
    pos += size;
  }
  return pages;
}

export function packetsOf(pages: Page[]): Buffer[] {
  const packets: Buffer[] = [];
  let partial: Buffer[] = [];
  for (const page of pages) {
    let offset = 0;
    for (const l of page.lacing) {
      partial.push(page.body.subarray(offset, offset + l));
      offset += l;
      if (l < 255) {
        packets.push(Buffer.concat(partial));
        partial = [];
      }
    }
  }
  return packets;
}

export interface Decoded {
  channels: Float32Array[];
  sampleRate: 48000;
  head: {
    channels: number;
    preSkip: number;
    inputRate: number;
    family: number;
    streams: number;
    coupled: number;
    mapping: number[];
  };
}

/** Decodes a whole Ogg Opus file with opus-decoder at 48 kHz, applying pre-skip and end trimming. */
export async function decodeIndependently(file: Buffer): Promise<Decoded> {
  const { OpusDecoder } = (await import('opus-decoder')) as { OpusDecoder: typeof OpusDecoderType };
  const pages = parsePages(file);
  const [headPacket, , ...audio] = packetsOf(pages);
  const family = headPacket[18];
  const head = {
    channels: headPacket[9],
    preSkip: headPacket.readUInt16LE(10),
    inputRate: headPacket.readUInt32LE(12),
    family,
    streams: family === 0 ? 1 : headPacket[19],
    coupled: family === 0 ? headPacket[9] - 1 : headPacket[20],
    mapping: family === 0 ? (headPacket[9] === 2 ? [0, 1] : [0]) : [...headPacket.subarray(21, 21 + headPacket[9])],
  };
  const decoder = new OpusDecoder({
    channels: head.channels,
    streamCount: head.streams,
    coupledStreamCount: head.coupled,
    channelMappingTable: head.mapping,
  });
  await decoder.ready;
  const parts: Float32Array[][] = [];
  for (const packet of audio) {
    const out = decoder.decodeFrame(packet);
    if (out.errors.length) throw new Error(`opus-decoder: ${out.errors[0].message}`);
    parts.push(out.channelData.map((c) => c.slice(0, out.samplesDecoded)));
  }
  decoder.free();
  const total = Number(pages[pages.length - 1].granule) - head.preSkip;
  const channels = Array.from({ length: head.channels }, (_, c) => {
    const all = new Float32Array(parts.reduce((n, p) => n + p[c].length, 0));
    let at = 0;
    for (const p of parts) {
      all.set(p[c], at);
      at += p[c].length;
    }
    return all.slice(head.preSkip, head.preSkip + total);
  });
  return { channels, sampleRate: 48000, head };
}

export async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Power of one frequency (Goertzel), normalised so a full-scale sine gives 0.5. */
export function tonePower(x: Float32Array, rate: number, freq: number, from = 0, to = x.length): number {
  const w = (2 * Math.PI * freq) / rate;
  const coeff = 2 * Math.cos(w);
  let s1 = 0;
  let s2 = 0;
  for (let i = from; i < to; i++) {
    const s0 = x[i] + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const n = to - from;
  return (2 * (s1 * s1 + s2 * s2 - coeff * s1 * s2)) / (n * n);
}

export function db(ratio: number): number {
  return 10 * Math.log10(ratio);
}

/** Best normalised cross-correlation of b against a over lags within ±maxLag (b resampled to a's rate by the caller). */
export function bestCorrelation(
  a: Float32Array,
  b: Float32Array,
  maxLag: number,
  from = 0,
  to = Math.min(a.length, b.length),
): { r: number; lag: number } {
  let best = { r: -1, lag: 0 };
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    let ab = 0;
    let aa = 0;
    let bb = 0;
    const start = Math.max(from, -lag);
    const stop = Math.min(to, b.length - lag);
    for (let i = start; i < stop; i++) {
      const x = a[i];
      const y = b[i + lag];
      ab += x * y;
      aa += x * x;
      bb += y * y;
    }
    const r = ab / Math.sqrt(aa * bb || 1);
    if (r > best.r) best = { r, lag };
  }
  return best;
}

/** Every `factor`-th sample, for comparing a 48 kHz decode with an 8/16 kHz reference (after low-passing is moot for tones). */
export function decimate(x: Float32Array, factor: number): Float32Array {
  const out = new Float32Array(Math.floor(x.length / factor));
  for (let i = 0; i < out.length; i++) out[i] = x[i * factor];
  return out;
}

/** RMS per window of `size` samples, centred (mean removed) so correlation follows the rhythm. */
export function envelope(x: Float32Array, size: number): Float32Array {
  const out = new Float32Array(Math.floor(x.length / size));
  for (let w = 0; w < out.length; w++) {
    let sum = 0;
    for (let i = w * size; i < (w + 1) * size; i++) sum += x[i] * x[i];
    out[w] = Math.sqrt(sum / size);
  }
  const mean = out.reduce((a, b) => a + b, 0) / (out.length || 1);
  return out.map((v) => v - mean);
}
