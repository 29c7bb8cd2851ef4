import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { type Planar, type PcmStream, storageOpusJob, type StorageOpusOptions } from '@appliance/audio-format';
import type { StereoChunk } from '../calls/call-audio';
import { syncDirectory, temporaryNameFor } from '../spool/durable-files';

// A call's stereo PCM (caller left, callee right) into the appliance's storage format: Ogg Opus
// with two uncoupled mono streams, the same encoder the backend uses (libs/audio-format). The
// file appears under its name only when complete and fsync'd.

/**
 * 7 kbit/s per party at a constant bitrate: 6.9 MB per call-hour whatever the content, under the
 * 7.2 MB budget. Variable bitrate averages less on speech (5.5 MB/h measured) but music on hold and
 * tones drove it to 7.6 MB/h, and libopus's constrained VBR did not hold it back at this rate.
 */
export const CAPTURE_OPUS_DEFAULTS: Required<StorageOpusOptions> = {
  channels: 2,
  bitrateKbpsPerChannel: 7,
  frameMs: 20,
  // libopus's 9 costs about twice the CPU of 5 for no audible gain on narrowband call audio; the
  // capture box encodes every call of the site, so speed wins here.
  complexity: 5,
  bitrateMode: 'off',
};

export interface EncodedAudio {
  bytes: number;
  durationMs: number;
  /** SHA-256 (hex) of the file, as the ingest API wants it. */
  sha256: string;
}

const toFloat = (pcm: Int16Array): Float32Array => {
  const out = new Float32Array(pcm.length);
  for (let i = 0; i < pcm.length; i++) out[i] = pcm[i] / 32768;
  return out;
};

/**
 * The chunks as the encoder's PCM stream. Between chunks (about a second of audio each) it yields
 * to the event loop, so that encoding a long call never holds up the packet path for long.
 */
function pcmStreamOf(chunks: Iterable<StereoChunk>, sampleRate: number): PcmStream {
  async function* planar(): AsyncGenerator<Planar> {
    for (const chunk of chunks) {
      yield [toFloat(chunk.left), toFloat(chunk.right)];
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  return { container: 'pcm', codec: 'pcm_s16le', sampleRate, channels: 2, chunks: planar() };
}

/**
 * Encodes the chunks to `path` (through a temporary file, fsync and rename). No chunks at all
 * gives a valid recording of zero length: the ingest API wants audio with every call.
 */
export async function encodeStereoToFile(
  chunks: Iterable<StereoChunk>,
  sampleRate: number,
  path: string,
  options: StorageOpusOptions = {},
  /** Spool files are the site's recordings: readable by the service only. */
  fileMode = 0o600,
): Promise<EncodedAudio> {
  const settings: StorageOpusOptions = { ...CAPTURE_OPUS_DEFAULTS };
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined) Object.assign(settings, { [key]: value });
  }
  const job = storageOpusJob(async () => pcmStreamOf(chunks, sampleRate), { ...settings, channels: 2 });
  const temporary = temporaryNameFor(path);
  const hash = createHash('sha256');
  const handle = await fs.open(temporary, 'w', fileMode);
  let bytes = 0;
  try {
    for await (const piece of job.output) {
      const buffer = piece as Buffer;
      hash.update(buffer);
      await handle.write(buffer);
      bytes += buffer.length;
    }
    await handle.sync();
  } catch (error) {
    await handle.close();
    await fs.rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  const result = await job.result;
  await fs.rename(temporary, path);
  await syncDirectory(dirname(path));
  return { bytes, durationMs: result.durationMs, sha256: hash.digest('hex') };
}
