import { cpus } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { type StorageOpusOptions, workerSpawner } from '@appliance/audio-format';
import type { SpooledEncoding } from './spooled-call-encoder';

// Worker threads that encode finished calls (about a CPU-second per call-minute), so the packet
// path never shares its thread with the encoder: on a busy site, encoding in the packet thread
// would delay reading the capture buffer and the kernel would drop packets.

export interface EncodeRequest {
  id: number;
  callDir: string;
  opus?: StorageOpusOptions;
}

export type EncodeReply = { id: number; encoding: SpooledEncoding } | { id: number; error: string };

interface Job extends EncodeRequest {
  resolve: (encoding: SpooledEncoding) => void;
  reject: (error: Error) => void;
}

/** Leaves one core to the packet path where there is more than one. */
export const defaultEncodeWorkers = (): number => Math.max(1, cpus().length - 1);

export class EncodeWorkerPool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Job>();
  private readonly waiting: Job[] = [];
  private started = 0;
  private nextId = 1;
  private closed = false;

  constructor(
    readonly size: number,
    private readonly spawn: () => Worker,
  ) {
    if (!(Number.isInteger(size) && size >= 1)) throw new RangeError(`encode workers must be >= 1, not ${size}`);
  }

  /**
   * The pool over the build's `output/encode-worker.js` (esbuild keeps the entry's folder below
   * dist/capture), or over its source under jest; null when neither is there, and the spool then
   * encodes in its own thread.
   */
  static create(size: number): EncodeWorkerPool | null {
    const spawn = workerSpawner({
      built: join(__dirname, 'output', 'encode-worker.js'),
      source: join(__dirname, 'encode-worker.ts'),
    });
    return spawn ? new EncodeWorkerPool(size, spawn) : null;
  }

  /** Encodes the call in `callDir` to its audio.ogg on a worker. */
  encode(callDir: string, opus?: StorageOpusOptions): Promise<SpooledEncoding> {
    if (this.closed) return Promise.reject(new Error('the encode pool is closed'));
    return new Promise((resolve, reject) => {
      this.waiting.push({ id: this.nextId++, callDir, opus, resolve, reject });
      this.dispatch();
    });
  }

  /** Calls being encoded or waiting for a worker. */
  get pending(): number {
    return this.busy.size + this.waiting.length;
  }

  /** Stops the workers; a call still being encoded fails, and the spool encodes it on the next start. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.waiting.splice(0)) job.reject(new Error('the encode pool is closed'));
    const workers = [...this.idle.splice(0), ...this.busy.keys()];
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  private dispatch(): void {
    while (this.waiting.length > 0) {
      const worker = this.idle.pop() ?? (this.started < this.size ? this.startWorker() : null);
      if (!worker) return;
      const job = this.waiting.shift() as Job;
      this.busy.set(worker, job);
      worker.postMessage({ id: job.id, callDir: job.callDir, opus: job.opus } satisfies EncodeRequest);
    }
  }

  private startWorker(): Worker {
    const worker = this.spawn();
    this.started++;
    worker.unref();
    worker.on('message', (reply: EncodeReply) => {
      const job = this.busy.get(worker);
      if (!job || job.id !== reply.id) return;
      this.busy.delete(worker);
      this.idle.push(worker);
      if ('error' in reply) job.reject(new Error(reply.error));
      else job.resolve(reply.encoding);
      this.dispatch();
    });
    // A worker that dies (out of memory, a native fault) takes only its own call with it.
    const lost = (error: Error) => {
      const job = this.busy.get(worker);
      this.busy.delete(worker);
      const idleAt = this.idle.indexOf(worker);
      if (idleAt >= 0) this.idle.splice(idleAt, 1);
      this.started--;
      job?.reject(error);
      if (!this.closed) this.dispatch();
    };
    worker.on('error', lost);
    worker.on('exit', (code) => {
      if (this.busy.has(worker) || this.idle.includes(worker)) lost(new Error(`encode worker exited (${code})`));
    });
    return worker;
  }
}
