import { Readable } from 'node:stream';
import { probeAudio } from './audio-probe';
import { ByteReader } from './byte-reader';
import { openOggOpus, opusRateAtLeast } from './opus-decoding';
import { openPcm } from './pcm-source';
import { storageOpusJob } from './storage-encoder';
import {
  AudioFormat,
  StorageOpusJob,
  StorageOpusOptions,
  Transcoder,
  UnsupportedAudioError,
  WavOptions,
} from './transcoder';
import { PcmStream, toInt16Interleaved, wavHeader } from './wav';

/**
 * The default driver: everything in-process with wasm builds from npm: libopus (@evan/opus) and
 * mpg123 (mpg123-decoder); WAV, Ogg and the resampler are ours. Accepts WAV (PCM 8/16/24/32-bit, float, G.711 µ-law/A-law), MP3 and Ogg Opus.
 */
export class NpmTranscoder implements Transcoder {
  readonly driver = 'npm' as const;

  probe(head: Buffer): AudioFormat | UnsupportedAudioError {
    return probeAudio(head);
  }

  toStorageOpus(input: Readable, options?: StorageOpusOptions): StorageOpusJob {
    const reader = new ByteReader(input);
    return storageOpusJob(
      () => openPcm(reader),
      options,
      () => void reader.close(),
    );
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
