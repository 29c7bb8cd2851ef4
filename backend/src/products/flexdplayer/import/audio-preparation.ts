import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PROBE_BYTES, probeAudio } from '../../../platform/transcoder/audio-probe';
import { FfmpegTranscoder, ffmpegAvailable } from '../../../platform/transcoder/ffmpeg-transcoder';
import { UnsupportedAudioError } from '../../../platform/transcoder/transcoder';

/** Why one file cannot be imported; the message is what failed/<name>.error.json and the UI show. */
export class DeliveryFault extends Error {
  override readonly name = 'DeliveryFault';
  constructor(
    message: string,
    readonly field = 'audio',
  ) {
    super(message);
  }
}

/** Audio ready for the recording store: a stream to read once, the SHA-256 of exactly those bytes. */
export interface PreparedAudio {
  open(): Readable;
  sha256: string;
  /** What the carrier sent, as the probe or ffmpeg named it (stored as the call's codec). */
  codec: string;
  cleanup(): Promise<void>;
}

export const FFMPEG_BINARY = Symbol('FlexDPlayer ffmpeg binary');

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

async function head(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(PROBE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, PROBE_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Gets a delivered file into a form the recording store takes. WAV (PCM, G.711) and MP3 go as they
 * are; AMR-NB/WB, 3GP and M4A/AAC are decoded by ffmpeg through the transcoder adapter into the
 * storage Ogg Opus first (the store then copies it). Without ffmpeg such a file fails with a
 * message naming the codec and the missing tool.
 */
@Injectable()
export class AudioPreparation {
  private ffmpeg: FfmpegTranscoder | null | undefined;

  constructor(@Inject(FFMPEG_BINARY) private readonly binary: string) {}

  async prepare(path: string, workDir: string): Promise<PreparedAudio> {
    const first = await head(path);
    if (!first.length) throw new DeliveryFault('the file is empty');
    const format = probeAudio(first);
    if (!(format instanceof UnsupportedAudioError)) {
      return {
        open: () => createReadStream(path),
        sha256: await sha256File(path),
        codec: format.codec,
        cleanup: async () => undefined,
      };
    }
    const ffmpeg = this.transcoder();
    if (!ffmpeg) {
      throw new DeliveryFault(
        `${format.message}: decoding ${format.format} needs ffmpeg, which is not installed on this server (apt-get install ffmpeg)`,
      );
    }
    const decoded = join(workDir, `${randomUUID()}.opus`);
    const hash = createHash('sha256');
    const job = ffmpeg.toStorageOpus(createReadStream(path));
    try {
      const tap = new Transform({
        transform(chunk: Buffer, _e, done) {
          hash.update(chunk);
          done(null, chunk);
        },
      });
      await Promise.all([pipeline(job.output, tap, createWriteStream(decoded)), job.result]);
    } catch (error) {
      await rm(decoded, { force: true });
      throw new DeliveryFault(`${format.format}: ${(error as Error).message}`);
    }
    return {
      open: () => createReadStream(decoded),
      sha256: hash.digest('hex'),
      codec: format.format === 'unknown' ? 'ffmpeg' : format.format.slice(0, 32),
      cleanup: () => rm(decoded, { force: true }),
    };
  }

  /** ffmpeg is looked for once, when a file first needs it. */
  private transcoder(): FfmpegTranscoder | null {
    if (this.ffmpeg === undefined)
      this.ffmpeg = ffmpegAvailable(this.binary) ? new FfmpegTranscoder(this.binary) : null;
    return this.ffmpeg;
  }
}
