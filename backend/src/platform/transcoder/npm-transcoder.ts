import { Readable } from 'node:stream';
import { probeAudio } from './audio-probe';
import {
  ByteReader,
  openOggOpus,
  opusRateAtLeast,
  storageOpusJob,
  PcmStream,
  toInt16Interleaved,
  wavHeader,
} from '@appliance/audio-format';
import { openPcm } from './pcm-source';
import { EncoderPool } from './encoder-pool';
import { lazyStorageJob } from './lazy-storage-job';
import { passThrough, passthroughDoubt, passthroughPossible } from './storage-passthrough';
import {
  AudioFormat,
  StorageOpusJob,
  StorageOpusOptions,
  Transcoder,
  UnsupportedAudioError,
  WavOptions,
} from './transcoder';

/**
 * The default driver: everything in-process with wasm builds from npm: libopus (@evan/opus) and
 * mpg123 (mpg123-decoder); WAV, Ogg and the resampler are ours. Accepts WAV (PCM 8/16/24/32-bit, float, G.711 µ-law/A-law), MP3 and Ogg Opus.
 */
export class NpmTranscoder implements Transcoder {
  readonly driver = 'npm' as const;

  /** Without a pool, encoding runs on the calling thread (tests, tools). */
  constructor(private readonly pool?: EncoderPool) {}

  /** Nest calls this at shutdown: idle encoder workers are stopped. */
  async onModuleDestroy(): Promise<void> {
    await this.pool?.close();
  }

  probe(head: Buffer): AudioFormat | UnsupportedAudioError {
    return probeAudio(head);
  }

  toStorageOpus(input: Readable, options: StorageOpusOptions = {}): StorageOpusJob {
    const reader = new ByteReader(input);
    const close = () => void reader.close();
    // In-process, or in a worker of the pool; storageOpusJob also checks the options on the spot
    // (a RangeError here and now) and starts nothing until its output is read.
    const transcode = (): StorageOpusJob => {
      const inProcess = storageOpusJob(() => openPcm(reader), options, close);
      const pool = this.pool;
      if (!pool) return inProcess;
      return lazyStorageJob(async function* (summary) {
        yield* pool.encode(await openPcm(reader), options, summary);
      }, close);
    };
    if (!passthroughPossible(options)) return transcode();
    // Storage-format Ogg Opus is copied, not re-encoded: decided on the head, lazily like the encoder.
    return lazyStorageJob(async function* (summary) {
      if ((await passthroughDoubt(reader, options.channels)) === null) {
        yield* passThrough(reader, options.channels, summary);
        return;
      }
      const job = transcode();
      yield* job.output;
      Object.assign(summary, await job.result);
    }, close);
  }

  toWav(oggOpus: Readable, options: WavOptions = {}): Readable {
    const reader = new ByteReader(oggOpus);
    const open = () =>
      openOggOpus(reader, (head) => options.sampleRate ?? opusRateAtLeast(head.inputSampleRate || 48000));
    return Readable.from(pcmToWav(open, options.durationMs), { objectMode: false }).on(
      'close',
      () => void reader.close(),
    );
  }
}

/** Streams PCM as a 16-bit WAV; with durationMs the length is exact (padded with silence or cut). */
export async function* pcmToWav(open: () => Promise<PcmStream>, durationMs?: number): AsyncGenerator<Buffer> {
  const pcm = await open();
  const frameBytes = 2 * pcm.channels;
  const total = durationMs === undefined ? Infinity : Math.round((durationMs * pcm.sampleRate) / 1000);
  yield wavHeader(pcm.sampleRate, pcm.channels, 16, Number.isFinite(total) ? total * frameBytes : undefined);
  let written = 0;
  for await (const chunk of pcm.chunks) {
    const frames = Math.min(chunk[0].length, total - written);
    if (frames <= 0) break;
    yield toInt16Interleaved(chunk, frames);
    written += frames;
  }
  for (let left = total - written; Number.isFinite(left) && left > 0; left -= 4800) {
    yield Buffer.alloc(Math.min(left, 4800) * frameBytes);
  }
}
