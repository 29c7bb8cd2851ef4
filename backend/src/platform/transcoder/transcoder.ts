import { Readable } from 'node:stream';

/**
 * Normalises uploaded or captured call audio to the storage format and back.
 *
 * Storage format: Ogg Opus (RFC 7845). A one-party source is one mono stream (mapping family 0);
 * a two-party source is two *uncoupled* mono streams (mapping family 1, 2 streams, 0 coupled), so
 * operator and customer stay apart even at 6-8 kbit/s each (coupled stereo at such rates collapses
 * the channels to mono). Everything is streamed: memory stays bounded whatever the call length.
 *
 * Two drivers, one contract: `npm` (wasm libopus and mpg123 from npm: the default) and
 * `ffmpeg` (ffmpeg decodes the input, so it accepts more codecs; used only where ffmpeg is on PATH).
 */
export interface Transcoder {
  readonly driver: TranscoderDriver;
  /** What the first bytes of a file are (8 KiB is plenty), or why they cannot be accepted. */
  probe(head: Buffer): AudioFormat | UnsupportedAudioError;
  /**
   * Transcodes input to storage Ogg Opus. Nothing runs until output is read; result settles when
   * output has been read to its end (or rejects with the error output was destroyed with).
   */
  toStorageOpus(input: Readable, options?: StorageOpusOptions): StorageOpusJob;
  /** Decodes Ogg Opus (ours or anyone's) to 16-bit PCM WAV, streamed. */
  toWav(oggOpus: Readable, options?: WavOptions): Readable;
}

export type TranscoderDriver = 'npm' | 'ffmpeg';

/** DI token for the Transcoder chosen at start-up. */
export const TRANSCODER = Symbol('Transcoder');

export interface AudioFormat {
  container: 'wav' | 'ogg' | 'mp3' | (string & {});
  /** e.g. 'pcm_s16le', 'pcm_mulaw', 'pcm_alaw', 'opus', 'mp3'. */
  codec: string;
  /** Hz; 0 when the head did not reach the first frame header. */
  sampleRate: number;
  /** 0 when not known from the head. */
  channels: number;
}

export interface StorageOpusOptions {
  /** Output channels: default the source's (1 or 2). 1 mixes a stereo source down. */
  channels?: 1 | 2;
  /** Opus bitrate of each channel's stream (kbit/s, 6-32). Default 7: ≈ 6.6 MB per stereo hour. */
  bitrateKbpsPerChannel?: number;
  /** Opus frame duration: 20 (default), 40 or 60 ms. Longer frames spend fewer bytes on framing. */
  frameMs?: 20 | 40 | 60;
  /** libopus encoder complexity 0-10 (default 9, libopus's own): 5 encodes about twice as fast. */
  complexity?: number;
}

export interface StorageOpusJob {
  output: Readable;
  result: Promise<StorageOpusResult>;
}

export interface StorageOpusResult {
  durationMs: number;
  channels: number;
  /** Width of one peaks bucket (ms). */
  peakIntervalMs: number;
  /**
   * Waveform: per bucket, per channel, a [min, max] pair in -1..1 with two decimals, flat:
   * [b0c0min, b0c0max, b0c1min, b0c1max, b1c0min, ...]. Length = buckets × channels × 2.
   */
  peaks: number[];
  /** Bytes of Ogg Opus written. */
  bytes: number;
}

export interface WavOptions {
  /** Sample rate of the WAV: default the source rate recorded in OpusHead when Opus can decode to it, else 48000. */
  sampleRate?: 8000 | 12000 | 16000 | 24000 | 48000;
  /**
   * Exact length when known (e.g. stored at ingest): the header then carries real sizes and the
   * audio is padded or cut to it. Without it the sizes are 0xFFFFFFFF ("unknown", as tools write to pipes).
   */
  durationMs?: number;
}

/** The input is not audio we accept; message and `format` name what it is when we can tell. */
export class UnsupportedAudioError extends Error {
  constructor(
    message: string,
    /** What the bytes are, when recognised (e.g. 'wav/ima_adpcm', 'flac'), else 'unknown'. */
    readonly format = 'unknown',
  ) {
    super(message);
    this.name = 'UnsupportedAudioError';
  }
}

/** The input claims a supported format but its bytes are broken (truncated, bad CRC, bad header). */
export class CorruptAudioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CorruptAudioError';
  }
}
