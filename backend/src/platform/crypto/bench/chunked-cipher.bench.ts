/**
 * Micro-benchmark of the RCE1 chunked cipher, on one core, everything in memory (no storage I/O):
 *   npx ts-node --transpile-only -P backend/tsconfig.app.json backend/src/platform/crypto/bench/chunked-cipher.bench.ts
 *
 * It answers the two targets of the encryption issue for the crypto part alone:
 * ingest >= 200 one-minute recordings/s on 2 cores, and playback TTFB p95 < 50 ms for a random
 * range of a one-hour recording. Storage latency comes on top of the range numbers.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { cpus } from 'node:os';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  ciphertextRangeFor,
  createDecryptStream,
  createEncryptStream,
  decryptRange,
  DEFAULT_CHUNK_SIZE,
  HEADER_BYTES,
} from '../chunked-cipher';

const MB = 1e6;
const KEY = randomBytes(32);
// One hour of audio: Opus at ~16 kbit/s, and 8 kHz 16-bit stereo WAV (the two sides of a call).
const OPUS_HOUR = 7 * MB;
const WAV_HOUR = 115.2 * MB;

/** Input the way a socket or file delivers it: 64 KiB pieces. */
function pieces(data: Buffer, size = 64 * 1024): Readable {
  const out: Buffer[] = [];
  for (let at = 0; at < data.length; at += size) out.push(data.subarray(at, at + size));
  return Readable.from(out);
}

function sink(collect: boolean): Writable & { bytes: number; parts: Buffer[] } {
  const parts: Buffer[] = [];
  const writable = new Writable({
    write(chunk: Buffer, _encoding, done) {
      state.bytes += chunk.length;
      if (collect) parts.push(chunk);
      done();
    },
  });
  const state = Object.assign(writable, { bytes: 0, parts });
  return state;
}

async function encrypt(plain: Buffer): Promise<Buffer> {
  const out = sink(true);
  await pipeline(pieces(plain), createEncryptStream(KEY), out);
  return Buffer.concat(out.parts);
}

async function throughput(label: string, run: () => Promise<number>, rounds = 5): Promise<void> {
  await run(); // warm-up: JIT and first-touch page faults would otherwise dominate round one
  const rates: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    const bytes = await run();
    rates.push(bytes / MB / ((performance.now() - start) / 1000));
  }
  rates.sort((a, b) => a - b);
  const median = rates[Math.floor(rounds / 2)].toFixed(0);
  console.log(
    `${label.padEnd(44)} ${median.padStart(6)} MB/s median, best ${rates[rounds - 1].toFixed(0)} (${rounds} rounds)`,
  );
}

async function ingestRate(label: string, bytesPerRecording: number, seconds = 2): Promise<void> {
  const recording = randomBytes(Math.round(bytesPerRecording));
  await pipeline(pieces(recording), createEncryptStream(KEY), sink(false)); // warm-up
  let count = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    // A fresh stream per recording: header, file id and per-file key derivation are included.
    await pipeline(pieces(recording), createEncryptStream(KEY), sink(false));
    count++;
  }
  const rate = count / ((performance.now() - start) / 1000);
  console.log(`${label.padEnd(44)} ${rate.toFixed(0).padStart(6)} recordings/s on one core`);
}

async function rangeLatency(label: string, plainBytes: number, samples = 1000): Promise<void> {
  const cipher = await encrypt(randomBytes(Math.round(plainBytes)));
  const file = { header: cipher.subarray(0, HEADER_BYTES), cipherSize: cipher.length };
  const plainLength = Math.round(plainBytes);
  for (let i = 0; i < 50; i++) {
    // warm-up, not measured
    const range = ciphertextRangeFor(0, DEFAULT_CHUNK_SIZE, DEFAULT_CHUNK_SIZE, cipher.length);
    const source = Readable.from([cipher.subarray(range.start, range.end)]);
    for await (const part of decryptRange(KEY, source, 0, DEFAULT_CHUNK_SIZE, file)) void part;
  }
  const firstByte: number[] = [];
  const whole: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = randomInt(0, plainLength - DEFAULT_CHUNK_SIZE);
    const end = start + DEFAULT_CHUNK_SIZE; // a 64 KiB range at a random offset: usually two chunks
    const t0 = performance.now();
    const range = ciphertextRangeFor(start, end, DEFAULT_CHUNK_SIZE, cipher.length);
    const source = Readable.from([cipher.subarray(range.start, range.end)]);
    let first = 0;
    let got = 0;
    for await (const part of decryptRange(KEY, source, start, end, file)) {
      if (!first) first = performance.now() - t0;
      got += (part as Buffer).length;
    }
    whole.push(performance.now() - t0);
    firstByte.push(first);
    if (got !== end - start) throw new Error(`range returned ${got} bytes, expected ${end - start}`);
  }
  const p = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.floor(q * (values.length - 1))];
  const ms = (v: number) => `${v.toFixed(3)} ms`;
  console.log(
    `${label.padEnd(44)} first byte p50 ${ms(p(firstByte, 0.5))}, p95 ${ms(p(firstByte, 0.95))}, ` +
      `p99 ${ms(p(firstByte, 0.99))}; whole range p95 ${ms(p(whole, 0.95))} (${samples} samples)`,
  );
}

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${cpus()[0]?.model ?? 'unknown cpu'}, ${cpus().length} cores (bench uses one)`);
  console.log(`chunk size ${DEFAULT_CHUNK_SIZE} bytes\n`);

  const plain = randomBytes(100 * MB);
  const cipher = await encrypt(plain);
  await throughput('encrypt 100 MB stream', async () => {
    const out = sink(false);
    await pipeline(pieces(plain), createEncryptStream(KEY), out);
    return plain.length;
  });
  await throughput('decrypt 100 MB stream', async () => {
    const out = sink(false);
    await pipeline(pieces(cipher), createDecryptStream(KEY), out);
    if (out.bytes !== plain.length) throw new Error('decrypted size differs');
    return plain.length;
  });

  console.log('');
  await ingestRate('ingest: 1-minute Opus recordings (~117 KB)', OPUS_HOUR / 60);
  await ingestRate('ingest: 1-minute WAV recordings (~1.92 MB)', WAV_HOUR / 60);

  console.log('');
  await rangeLatency('random 64 KiB range, 60-min Opus (~7 MB)', OPUS_HOUR);
  await rangeLatency('random 64 KiB range, 60-min WAV (~115 MB)', WAV_HOUR);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
