import { Readable } from 'node:stream';
import type { StorageOpusJob, StorageOpusResult } from './storage-encoder';

/**
 * A StorageOpusJob around a generator that yields the Ogg Opus output and fills in the summary.
 * Nothing runs until the output is read; the result settles once the output has been read to its
 * end, or rejects with the error the output was destroyed with (or because it was closed early).
 */
export function lazyStorageJob(
  produce: (summary: Partial<StorageOpusResult>) => AsyncGenerator<Buffer>,
  cleanup?: () => void,
): StorageOpusJob {
  let settle!: { resolve: (r: StorageOpusResult) => void; reject: (e: Error) => void };
  const result = new Promise<StorageOpusResult>((resolve, reject) => (settle = { resolve, reject }));
  result.catch(() => undefined); // callers may watch only output; the rejection stays visible to those who await
  async function* run(): AsyncGenerator<Buffer> {
    let finished = false;
    try {
      const summary: Partial<StorageOpusResult> = {};
      yield* produce(summary);
      finished = true;
      settle.resolve(summary as StorageOpusResult);
    } catch (error) {
      settle.reject(error as Error);
      throw error;
    } finally {
      if (!finished) settle.reject(new Error('storage Opus output was closed before its end'));
      cleanup?.();
    }
  }
  return { output: Readable.from(run(), { objectMode: false }), result };
}
