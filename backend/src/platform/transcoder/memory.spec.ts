import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { NpmTranscoder } from './npm-transcoder';
import { endlessCall } from './testing/signals';

// A full GC before each reading, so the numbers are what is retained, not garbage not yet swept.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const retained = async () => {
  gc();
  // Array buffer backing stores are freed by a sweeper after the GC: give it a turn.
  await new Promise((resolve) => setTimeout(resolve, 20));
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

describe('bounded memory', () => {
  it('transcodes a 10-minute two-party call with a few MB retained, whatever its length', async () => {
    const transcoder = new NpmTranscoder();
    // Ten minutes (9.6 MB of µ-law in, 38 MB as float PCM) already dwarfs the bound below while keeping CI fast.
    const minutes = 10;
    const job = transcoder.toStorageOpus(endlessCall(minutes * 60));
    const before = await retained();
    const readings: number[] = [];
    let bytes = 0;
    let next = 64_000;
    for await (const chunk of job.output) {
      bytes += (chunk as Buffer).length;
      if (bytes >= next) {
        readings.push((await retained()) - before);
        next += 64_000 * 4;
      }
    }
    const result = await job.result;
    expect(result.durationMs).toBe(minutes * 60_000);
    // None of the input may pile up. The peaks (one min/max pair per 100 ms per channel) are the
    // only thing that grows with length.
    const growth = Math.max(...readings);
    expect(growth).toBeLessThan(8 * 1024 * 1024);
    expect(readings[readings.length - 1] - readings[0]).toBeLessThan(4 * 1024 * 1024);
    expect(bytes).toBeLessThanOrEqual(minutes * 120_000);
    console.log(
      `${minutes} min stereo: ${bytes} bytes, retained growth max ${(growth / 1e6).toFixed(2)} MB over ${readings.length} readings`,
    );
  }, 300_000);
});
