import { availableParallelism } from 'node:os';
import { EncoderPool, encoderWorkerSpawner } from './encoder-pool';
import { FfmpegTranscoder, ffmpegAvailable } from './ffmpeg-transcoder';
import { NpmTranscoder } from './npm-transcoder';
import { Transcoder } from './transcoder';

export interface TranscoderSettings {
  /**
   * `npm` (default): in-process wasm codecs from npm. `ffmpeg`: ffmpeg decodes the input
   * (fails fast when it is missing). `auto`: ffmpeg when it is on PATH, else npm.
   */
  driver?: 'npm' | 'ffmpeg' | 'auto';
  /** The ffmpeg executable: default `ffmpeg` from PATH. */
  ffmpegPath?: string;
  /** npm driver: encoder worker threads (default: one per CPU core); 0 encodes on the event loop. */
  workers?: number;
}

/** The driver the settings choose; ffmpeg is only ever used where it actually runs. */
export function createTranscoder(settings: TranscoderSettings = {}): Transcoder {
  const ffmpeg = settings.ffmpegPath ?? 'ffmpeg';
  switch (settings.driver ?? 'npm') {
    case 'npm':
      return npmTranscoder(settings.workers);
    case 'ffmpeg':
      if (!ffmpegAvailable(ffmpeg))
        throw new Error(`transcoder driver "ffmpeg" is configured but ${ffmpeg} does not run`);
      return new FfmpegTranscoder(ffmpeg);
    case 'auto':
      return ffmpegAvailable(ffmpeg) ? new FfmpegTranscoder(ffmpeg) : npmTranscoder(settings.workers);
  }
}

function npmTranscoder(workers = availableParallelism()): NpmTranscoder {
  const spawn = workers > 0 ? encoderWorkerSpawner() : null;
  return new NpmTranscoder(spawn ? new EncoderPool(workers, spawn) : undefined);
}
