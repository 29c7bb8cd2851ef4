import { Worker } from 'node:worker_threads';
import { PcmStream, Planar, StorageOpusResult } from '@appliance/audio-format';
import { EncoderPool, encoderWorkerSpawner } from './encoder-pool';
import { NpmTranscoder } from './npm-transcoder';
import { CorruptAudioError } from './transcoder';
import { glide, pieces, wavFile } from './testing/signals';
import { collect, parsePages } from './testing/verify';

const spawn = encoderWorkerSpawner() as () => Worker;
const rate = 8000;

function pcmOf(seconds: number, fail?: Error): PcmStream {
  const left = glide(300, 900, rate, seconds);
  const right = glide(1200, 2400, rate, seconds, 0, 2.5);
  async function* chunks(): AsyncGenerator<Planar> {
    for (let i = 0; i < left.length; i += 4000) {
      if (fail && i >= left.length / 2) throw fail;
      yield [left.subarray(i, i + 4000), right.subarray(i, i + 4000)];
    }
  }
  return { container: 'wav', codec: 'pcm_s16le', sampleRate: rate, channels: 2, chunks: chunks() };
}

async function encode(pool: EncoderPool, pcm: PcmStream, options = {}) {
  const summary: Partial<StorageOpusResult> = {};
  const parts: Buffer[] = [];
  for await (const part of pool.encode(pcm, options, summary)) parts.push(part);
  return { ogg: Buffer.concat(parts), summary };
}

/** Pages without the stream's serial and CRC (the serial is random per stream). */
const pagesOf = (ogg: Buffer) => parsePages(ogg).map((p) => ({ ...p, serial: 0, crcOk: true }));

describe('EncoderPool', () => {
  let pool: EncoderPool;
  beforeAll(() => (pool = new EncoderPool(2, spawn)));
  afterAll(() => pool.close());

  it('encodes in a worker exactly what the in-process encoder writes', async () => {
    const wav = wavFile('mulaw', rate, [glide(300, 900, rate, 4), glide(1200, 2400, rate, 4, 0, 2.5)]);
    const inProcess = new NpmTranscoder().toStorageOpus(pieces(wav, 3000));
    const pooled = new NpmTranscoder(pool).toStorageOpus(pieces(wav, 3000));
    const [a, b] = await Promise.all([collect(inProcess.output), collect(pooled.output)]);
    expect(pagesOf(b)).toEqual(pagesOf(a));
    expect(await pooled.result).toEqual(await inProcess.result);
  });

  it('runs more jobs than workers, each whole, and keeps the last partial bucket', async () => {
    const results = await Promise.all([1.05, 2, 3].map((s) => encode(pool, pcmOf(s))));
    expect(results.map((r) => r.summary.durationMs)).toEqual([1050, 2000, 3000]);
    expect(results.map((r) => r.summary.peaks?.length)).toEqual([11 * 4, 20 * 4, 30 * 4]);
    for (const { ogg, summary } of results) expect(summary.bytes).toBe(ogg.length);
  });

  it('fails a job with the error its input failed with, and the pool carries on', async () => {
    const fault = new CorruptAudioError('truncated WAV data');
    await expect(encode(pool, pcmOf(2, fault))).rejects.toBe(fault);
    await expect(encode(pool, pcmOf(1))).resolves.toMatchObject({ summary: { durationMs: 1000 } });
  });

  it("passes the encoder's own errors back by class", async () => {
    await expect(encode(pool, pcmOf(1), { complexity: 11 })).rejects.toThrow(RangeError);
  });

  it('fails only the job whose worker dies, then starts a new worker', async () => {
    let spawned = 0;
    const dying = () =>
      ++spawned === 1 ? new Worker('setTimeout(() => process.exit(7), 50)', { eval: true }) : spawn();
    const small = new EncoderPool(1, dying);
    try {
      await expect(encode(small, pcmOf(1))).rejects.toThrow(/worker exited \(code 7\)/);
      await expect(encode(small, pcmOf(1))).resolves.toMatchObject({ summary: { durationMs: 1000 } });
      expect(spawned).toBe(2);
    } finally {
      await small.close();
    }
  });

  it('frees the worker of a job whose output was abandoned', async () => {
    const small = new EncoderPool(1, spawn);
    try {
      const job = small.encode(pcmOf(30), {}, {});
      await job.next();
      await job.return(undefined);
      await expect(encode(small, pcmOf(1))).resolves.toMatchObject({ summary: { durationMs: 1000 } });
    } finally {
      await small.close();
    }
  });
});
