import { spawn, spawnSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { probeAudio } from './audio-probe';
import { ByteReader, storageOpusJob, openWav, PcmStream } from '@appliance/audio-format';
import { NpmTranscoder } from './npm-transcoder';
import {
  AudioFormat,
  StorageOpusJob,
  StorageOpusOptions,
  Transcoder,
  UnsupportedAudioError,
  WavOptions,
} from './transcoder';

/** True when `binary -version` runs (ffmpeg on PATH, or the path given). */
export function ffmpegAvailable(binary = 'ffmpeg'): boolean {
  const run = spawnSync(binary, ['-hide_banner', '-version'], { stdio: 'ignore', timeout: 10_000 });
  return run.status === 0;
}

/**
 * The optional driver where ffmpeg is installed: ffmpeg decodes the input (so ADPCM, GSM, AMR,
 * FLAC, AAC... are accepted too) to PCM WAV on a pipe; encoding, peaks and the Ogg Opus layout
 * are the npm driver's, so stored files are the same whichever driver made them. toWav is the
 * npm driver's (our Ogg Opus needs nothing more).
 */
export class FfmpegTranscoder implements Transcoder {
  readonly driver = 'ffmpeg' as const;
  private readonly npm = new NpmTranscoder();

  constructor(private readonly binary = 'ffmpeg') {}

  /** Anything we can name is ffmpeg's to try; bytes nobody recognises stay refused. */
  probe(head: Buffer): AudioFormat | UnsupportedAudioError {
    const format = probeAudio(head);
    if (!(format instanceof UnsupportedAudioError) || format.format === 'unknown') return format;
    const [container, codec = container] = format.format.split('/');
    return { container, codec, sampleRate: 0, channels: 0 };
  }

  toStorageOpus(input: Readable, options?: StorageOpusOptions): StorageOpusJob {
    const child = spawn(
      this.binary,
      [
        '-hide_banner',
        '-nostdin',
        '-loglevel',
        'error',
        '-i',
        'pipe:0',
        '-vn',
        '-map',
        '0:a:0',
        '-f',
        'wav',
        '-c:a',
        'pcm_s16le',
        'pipe:1',
      ],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr = (stderr + text).slice(-2000)));
    const exited = new Promise<number | null>((resolve) => {
      child.on('error', () => resolve(-1));
      child.on('close', (code) => resolve(code));
    });
    // ffmpeg may stop reading early (bad input): its exit code tells, not the broken pipe.
    pipeline(input, child.stdin).catch(() => undefined);
    const reader = new ByteReader(child.stdout);

    const failure = async (): Promise<Error | null> => {
      const code = await exited;
      if (code === 0) return null;
      const reason =
        stderr.trim().split('\n').pop() || (code === -1 ? `${this.binary} could not be started` : `exit code ${code}`);
      return new UnsupportedAudioError(`ffmpeg could not decode the input: ${reason}`, 'unknown');
    };
    const open = async (): Promise<PcmStream> => {
      let pcm: PcmStream;
      try {
        pcm = await openWav(reader);
      } catch (error) {
        throw (await failure()) ?? error;
      }
      return { ...pcm, chunks: checked(pcm.chunks, failure) };
    };
    return storageOpusJob(open, options, () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      input.destroy();
    });
  }

  toWav(oggOpus: Readable, options?: WavOptions): Readable {
    return this.npm.toWav(oggOpus, options);
  }
}

/** The chunks, then ffmpeg's exit status: a decode that died half-way must not pass as a short call. */
async function* checked<T>(chunks: AsyncIterable<T>, failure: () => Promise<Error | null>): AsyncGenerator<T> {
  yield* chunks;
  const error = await failure();
  if (error) throw error;
}
