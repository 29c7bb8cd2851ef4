import { Readable } from 'node:stream';
import {
  CorruptAudioError,
  UnsupportedAudioError,
  type StorageOpusJob,
  type StorageOpusOptions,
  type StorageOpusResult,
} from '@appliance/audio-format';

// The storage format's encoder, its types and the audio errors live in the shared audio-format
// library (the capture service writes the same format); the backend's callers keep importing them here.
export { CorruptAudioError, UnsupportedAudioError };
export type { StorageOpusJob, StorageOpusOptions, StorageOpusResult };

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

export interface WavOptions {
  /** Sample rate of the WAV: default the source rate recorded in OpusHead when Opus can decode to it, else 48000. */
  sampleRate?: 8000 | 12000 | 16000 | 24000 | 48000;
  /**
   * Exact length when known (e.g. stored at ingest): the header then carries real sizes and the
   * audio is padded or cut to it. Without it the sizes are 0xFFFFFFFF ("unknown", as tools write to pipes).
   */
  durationMs?: number;
}
