import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  CorruptAudioError,
  PcmStream,
  Planar,
  StorageOpusOptions,
  StorageOpusResult,
  UnsupportedAudioError,
  workerSpawner,
} from '@appliance/audio-format';

/** Pool -> worker: a job's settings, its PCM chunks (transferred), and its end. */
export type ToWorker =
  | { type: 'start'; sampleRate: number; channels: number; options: StorageOpusOptions }
  | { type: 'chunk'; planar: Planar }
  | { type: 'end' };

/** Worker -> pool: a chunk taken (room for one more), Ogg bytes (transferred), the summary, or a failure. */
export type ToPool =
  | { type: 'took' }
  | { type: 'data'; bytes: ArrayBuffer }
  | { type: 'done'; result: StorageOpusResult }
  | { type: 'error'; name: string; message: string };

type Event = ToPool | { type: 'failed'; error: Error };

/** PCM chunks (each ~ a network read's worth) sent ahead of the encoder: enough to keep it busy. */
const CHUNKS_IN_FLIGHT = 4;

/**
 * Worker threads that run the storage encoder, so encoding (≈ 1 CPU-s per call-minute) neither
 * blocks the event loop (playback, API) nor stays on one core. One job per worker at a time; jobs
 * beyond the pool's size wait for a worker. A failed job's worker is replaced, never reused, so a
 * crash or an abandoned job cannot leak into the next one.
 */
export class EncoderPool {
  private readonly idle: Worker[] = [];
  private readonly waiting: ((worker: Worker) => void)[] = [];
  private running = 0;

  constructor(
    readonly size: number,
    private readonly spawn: () => Worker,
  ) {
    if (!(Number.isInteger(size) && size >= 1)) throw new RangeError(`encoder pool size must be >= 1, not ${size}`);
  }

  /** Encodes the PCM to storage Ogg Opus in a worker; fills summary in once the output has ended. */
  async *encode(
    pcm: PcmStream,
    options: StorageOpusOptions,
    summary: Partial<StorageOpusResult>,
  ): AsyncGenerator<Buffer> {
    const worker = await this.acquire();
    let clean = false;
    try {
      yield* runJob(worker, pcm, options, summary);
      clean = true;
    } finally {
      if (clean) this.release(worker);
      else this.replace(worker);
    }
  }

  /** Stops every idle worker (busy ones stop when their job ends: they are unref'd meanwhile). */
  async close(): Promise<void> {
    await Promise.all(this.idle.splice(0).map((w) => w.terminate()));
  }

  private async acquire(): Promise<Worker> {
    const idle = this.idle.pop();
    if (idle) return idle;
    if (this.running < this.size) {
      this.running++;
      return this.started();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(worker: Worker): void {
    const next = this.waiting.shift();
    if (next) next(worker);
    else this.idle.push(worker);
  }

  private replace(worker: Worker): void {
    void worker.terminate();
    const next = this.waiting.shift();
    if (next) next(this.started());
    else this.running--;
  }

  private started(): Worker {
    const worker = this.spawn();
    worker.unref(); // an idle pool must not keep the process alive
    return worker;
  }
}

async function* runJob(
  worker: Worker,
  pcm: PcmStream,
  options: StorageOpusOptions,
  summary: Partial<StorageOpusResult>,
): AsyncGenerator<Buffer> {
  const events: Event[] = [];
  let wake: (() => void) | null = null;
  const push = (event: Event) => {
    events.push(event);
    wake?.();
  };
  const onMessage = (message: ToPool) => push(message);
  const onError = (error: Error) =>
    push({ type: 'failed', error: new Error(`transcoder worker failed: ${error.message}`) });
  const onExit = (code: number) =>
    push({ type: 'failed', error: new Error(`transcoder worker exited (code ${code})`) });
  worker.on('message', onMessage).on('error', onError).on('exit', onExit);

  let room = CHUNKS_IN_FLIGHT;
  let roomMade: () => void = () => undefined;
  let stopped = false;
  const send = (message: ToWorker, transfer: ArrayBuffer[] = []) => worker.postMessage(message, transfer);
  send({ type: 'start', sampleRate: pcm.sampleRate, channels: pcm.channels, options });
  // Decoding the input stays here (it is cheap next to encoding); each chunk is copied, since decoders
  // may hand out views into buffers they reuse, and the copy's memory is moved, not cloned.
  void (async () => {
    for await (const chunk of pcm.chunks) {
      while (room === 0 && !stopped) await new Promise<void>((resolve) => (roomMade = resolve));
      if (stopped) return;
      room--;
      const planar = chunk.map((samples) => samples.slice());
      send(
        { type: 'chunk', planar },
        planar.map((samples) => samples.buffer as ArrayBuffer),
      );
    }
    if (!stopped) send({ type: 'end' });
  })().catch((error: Error) => push({ type: 'failed', error }));

  try {
    for (;;) {
      while (events.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const event = events.shift() as Event;
      if (event.type === 'took') {
        room++;
        roomMade();
      } else if (event.type === 'data') yield Buffer.from(event.bytes);
      else if (event.type === 'done') {
        Object.assign(summary, event.result);
        return;
      } else if (event.type === 'error') throw rebuiltError(event);
      else throw event.error;
    }
  } finally {
    stopped = true;
    roomMade();
    worker.off('message', onMessage).off('error', onError).off('exit', onExit);
  }
}

/** The worker's error as the class callers tell audio faults by. */
function rebuiltError({ name, message }: { name: string; message: string }): Error {
  if (name === 'CorruptAudioError') return new CorruptAudioError(message);
  if (name === 'UnsupportedAudioError') return new UnsupportedAudioError(message);
  if (name === 'RangeError') return new RangeError(message);
  return new Error(message);
}

/**
 * Starts an encoder worker: the build's own entry (webpack's `transcoder-worker.js` beside main.js),
 * else, when running from source (jest, ts-node), encoder-worker.ts compiled on the fly. Null when
 * neither exists: the caller then encodes in-process.
 */
export function encoderWorkerSpawner(): (() => Worker) | null {
  return workerSpawner({
    built: join(__dirname, 'transcoder-worker.js'),
    source: join(__dirname, 'encoder-worker.ts'),
  });
}
