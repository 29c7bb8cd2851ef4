/**
 * Throughput, size and channel separation of the npm transcoder, on one core:
 *   npx ts-node --transpile-only -P backend/tsconfig.app.json backend/src/platform/transcoder/bench/transcoder.bench.ts [speech.wav]
 *
 * Input: one minute of an 8 kHz stereo µ-law call, made here (a different glide on each side), or
 * the WAV given (e.g. espeak-ng speech on one side, other speech on the other).
 */
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { NpmTranscoder } from '../npm-transcoder';
import { glide, pieces, tone, wavFile } from '../testing/signals';

const transcoder = new NpmTranscoder();
const seconds = 60;

async function drain(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function encode(input: Buffer, kbps?: number, complexity?: number) {
  const started = process.hrtime.bigint();
  const job = transcoder.toStorageOpus(pieces(input, 65536), { bitrateKbpsPerChannel: kbps, complexity });
  const ogg = await drain(job.output);
  const result = await job.result;
  return { ogg, result, ms: Number(process.hrtime.bigint() - started) / 1e6 };
}

function samplesOf(wav: Buffer): [Float32Array, Float32Array] {
  const frames = (wav.length - 44) / 4;
  const l = new Float32Array(frames);
  const r = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    l[i] = wav.readInt16LE(44 + 4 * i) / 32768;
    r[i] = wav.readInt16LE(46 + 4 * i) / 32768;
  }
  return [l, r];
}

function power(x: Float32Array, rate: number, freq: number): number {
  const coeff = 2 * Math.cos((2 * Math.PI * freq) / rate);
  let s1 = 0;
  let s2 = 0;
  for (let i = rate; i < x.length - rate; i++) {
    const s0 = x[i] + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

async function main(): Promise<void> {
  const rate = 8000;
  const given = process.argv[2];
  const call = given
    ? readFileSync(given)
    : wavFile('mulaw', rate, [glide(300, 900, rate, seconds, 0, 4), glide(1200, 2400, rate, seconds, 0, 2.5)]);
  await encode(call); // warm-up
  for (const [kbps, complexity] of [
    [6, 9],
    [7, 9],
    [8, 9],
    [7, 5],
    [7, 3],
  ]) {
    const { ogg, result, ms } = await encode(call, kbps, complexity);
    const hours = result.durationMs / 3_600_000;
    const decodeStarted = process.hrtime.bigint();
    const wav = await drain(transcoder.toWav(pieces(ogg, 65536)));
    const decodeMs = Number(process.hrtime.bigint() - decodeStarted) / 1e6;
    console.log(
      `${kbps} kbit/s per channel, complexity ${complexity}: encode ${(result.durationMs / ms).toFixed(0)}x realtime (${ms.toFixed(0)} ms for ${result.durationMs / 1000} s stereo), ` +
        `${(ogg.length / hours / 1e6).toFixed(2)} MB per call-hour, toWav ${(result.durationMs / decodeMs).toFixed(0)}x realtime (${wav.length} bytes)`,
    );
  }
  // Separation: a 440 Hz tone left, 1250 Hz right; how much of each shows on the other side.
  const tones = wavFile('mulaw', rate, [tone(440, rate, 10), tone(1250, rate, 10)]);
  for (const kbps of [6, 7, 8]) {
    const { ogg } = await encode(tones, kbps);
    const [l, r] = samplesOf(await drain(transcoder.toWav(pieces(ogg))));
    const leftIntoRight = 10 * Math.log10(power(r, rate, 440) / power(l, rate, 440));
    const rightIntoLeft = 10 * Math.log10(power(l, rate, 1250) / power(r, rate, 1250));
    console.log(
      `${kbps} kbit/s per channel: separation L->R ${leftIntoRight.toFixed(1)} dB, R->L ${rightIntoLeft.toFixed(1)} dB`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
