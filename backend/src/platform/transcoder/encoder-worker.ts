import { parentPort } from 'node:worker_threads';
import { Planar, storageOpusJob } from '@appliance/audio-format';
import type { ToPool, ToWorker } from './encoder-pool';

// A transcoder worker thread: runs the storage encoder (libopus wasm, the costly part of ingest) on
// PCM chunks the pool streams to it, one job at a time, and streams the Ogg pages back.

const port = parentPort;
if (!port) throw new Error('encoder-worker runs as a worker thread');
const post = (message: ToPool, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

let chunks: { push(planar: Planar | null): void } | null = null;

port.on('message', (message: ToWorker) => {
  if (message.type === 'start') void run(message);
  else if (message.type === 'chunk') chunks?.push(message.planar);
  else chunks?.push(null);
});

async function run(start: Extract<ToWorker, { type: 'start' }>): Promise<void> {
  const queue = new ChunkQueue(() => post({ type: 'took' }));
  chunks = queue;
  try {
    const pcm = { container: 'pcm', codec: 'pcm', sampleRate: start.sampleRate, channels: start.channels };
    const job = storageOpusJob(async () => ({ ...pcm, chunks: queue.drain() }), start.options);
    for await (const page of job.output as AsyncIterable<Buffer>) {
      // A copy of its own: Buffer.concat may hand out a slice of Node's shared pool, which cannot be transferred.
      const bytes = page.buffer.slice(page.byteOffset, page.byteOffset + page.length) as ArrayBuffer;
      post({ type: 'data', bytes }, [bytes]);
    }
    post({ type: 'done', result: await job.result });
  } catch (error) {
    post({ type: 'error', name: (error as Error).name, message: (error as Error).message });
  } finally {
    chunks = null;
  }
}

/** PCM chunks as they arrive; each one taken is acknowledged, which is what lets the pool send more. */
class ChunkQueue {
  private readonly items: (Planar | null)[] = [];
  private wake: (() => void) | null = null;

  constructor(private readonly taken: () => void) {}

  push(planar: Planar | null): void {
    this.items.push(planar);
    this.wake?.();
  }

  async *drain(): AsyncGenerator<Planar> {
    for (;;) {
      while (this.items.length === 0) await new Promise<void>((resolve) => (this.wake = resolve));
      const next = this.items.shift() as Planar | null;
      if (next === null) return;
      this.taken();
      yield next;
    }
  }
}
