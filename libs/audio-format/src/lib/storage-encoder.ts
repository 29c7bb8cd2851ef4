import { randomInt } from 'node:crypto';
import type { Readable } from 'node:stream';
import { lazyStorageJob } from './lazy-storage-job';
import { OggPageWriter } from './ogg';
import { OpusRate, opusRateAtLeast } from './opus-decoding';
import { encodeOpusHead, encodeOpusTags, joinMultistream } from './opus-packet';
import { PeaksAccumulator } from './peaks';
import { createEncoder, OPUS_GET_LOOKAHEAD, type OpusBitrateMode } from './libopus';
import { Resampler } from './resampler';
import { clip16, Planar, PcmStream } from './wav';

// The storage format: Ogg Opus (RFC 7845). A one-party source is one mono stream (mapping family 0);
// a two-party source is two *uncoupled* mono streams (mapping family 1, 2 streams, 0 coupled), so
// the parties stay apart even at 6-8 kbit/s each (coupled stereo at such rates collapses them to
// mono). The backend's transcoder and the capture service both write it with storageOpusJob.

export interface StorageOpusOptions {
  /** Output channels: default the source's (1 or 2). 1 mixes a stereo source down. */
  channels?: 1 | 2;
  /** Opus bitrate of each channel's stream (kbit/s, 6-32). Default 7: ≈ 6.6 MB per stereo hour. */
  bitrateKbpsPerChannel?: number;
  /** Opus frame duration: 20 (default), 40 or 60 ms. Longer frames spend fewer bytes on framing. */
  frameMs?: 20 | 40 | 60;
  /** libopus encoder complexity 0-10 (default 9, libopus's own): 5 encodes about twice as fast. */
  complexity?: number;
  /** Default `on`; `constrained` holds the size to the bitrate whatever the content (see OpusBitrateMode). */
  bitrateMode?: OpusBitrateMode;
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

export const DEFAULT_KBPS_PER_CHANNEL = 7;
/** Call audio at these bitrates carries at most wideband (8 kHz audio): encode at 16 kHz or less. */
export const MAX_ENCODER_RATE = 16000;
const VENDOR = 'call-recording-appliance transcoder (libopus wasm via @evan/opus)';

/** The encoder's input rate for a source rate: a rate Opus takes natively, never above 16 kHz. */
export function encoderRateFor(sourceRate: number): OpusRate {
  return opusRateAtLeast(Math.min(sourceRate, MAX_ENCODER_RATE));
}

/**
 * Runs `open` (which yields the source PCM) through mixing, resampling, peaks and one mono Opus
 * encoder per channel, into Ogg pages. Lazy: nothing happens until output is read.
 */
export function storageOpusJob(
  open: () => Promise<PcmStream>,
  options: StorageOpusOptions = {},
  cleanup?: () => void,
): StorageOpusJob {
  const kbps = options.bitrateKbpsPerChannel ?? DEFAULT_KBPS_PER_CHANNEL;
  const frameMs = options.frameMs ?? 20;
  const complexity = options.complexity ?? 9;
  const bitrateMode = options.bitrateMode ?? 'on';
  if (!['on', 'constrained', 'off'].includes(bitrateMode))
    throw new RangeError(`bitrateMode must be on, constrained or off`);
  if (!(Number.isInteger(complexity) && complexity >= 0 && complexity <= 10))
    throw new RangeError(`complexity must be 0-10, not ${complexity}`);
  if (!(kbps >= 6 && kbps <= 32)) throw new RangeError(`bitrateKbpsPerChannel must be 6-32, not ${kbps}`);
  if (![20, 40, 60].includes(frameMs)) throw new RangeError(`frameMs must be 20, 40 or 60, not ${frameMs}`);
  return lazyStorageJob(async function* (summary) {
    const source = await open();
    const channels = options.channels ?? (source.channels >= 2 ? 2 : 1);
    yield* encode(source, { channels, kbps, frameMs, complexity, bitrateMode }, summary);
  }, cleanup);
}

interface EncodeSettings {
  channels: 1 | 2;
  kbps: number;
  frameMs: number;
  complexity: number;
  bitrateMode: OpusBitrateMode;
}

async function* encode(
  source: PcmStream,
  settings: EncodeSettings,
  summary: Partial<StorageOpusResult>,
): AsyncGenerator<Buffer> {
  const { channels, frameMs } = settings;
  const rate = encoderRateFor(source.sampleRate);
  const encoders = Array.from({ length: channels }, () =>
    createEncoder(rate, settings.kbps * 1000, settings.complexity, settings.bitrateMode),
  );
  const lookahead = encoders[0].ctl(OPUS_GET_LOOKAHEAD);
  const preSkip = Math.round((lookahead * 48000) / rate);
  const frameSize = (rate * frameMs) / 1000;
  const frame48 = frameMs * 48;
  const resamplers = Array.from({ length: channels }, () => new Resampler(source.sampleRate, rate));
  const peaks = new PeaksAccumulator(rate, channels);
  const frames = Array.from({ length: channels }, () => new Int16Array(frameSize));
  let filled = 0;
  let samplesIn = 0; // at the encoder rate
  let packets = 0;
  let bytes = 0;

  const writer = new OggPageWriter(randomInt(0, 2 ** 32));
  const head = encodeOpusHead({
    channels,
    preSkip,
    inputSampleRate: source.sampleRate,
    outputGain: 0,
    // One party: one mono stream. Two: two uncoupled mono streams, so the parties never mix.
    mappingFamily: channels === 1 ? 0 : 1,
    streamCount: channels,
    coupledCount: 0,
    mapping: channels === 1 ? [0] : [0, 1],
  });
  const first = [writer.headerPage(head, true), writer.headerPage(encodeOpusTags(VENDOR), false)];
  for (const page of first) bytes += page.length;
  yield Buffer.concat(first);

  const encodeFrame = (): Buffer[] => {
    const parts = encoders.map((e, c) => e.encode(frames[c]));
    packets++;
    filled = 0;
    return writer.push(channels === 1 ? Buffer.from(parts[0]) : joinMultistream(parts), packets * frame48);
  };
  const feed = function* (planar: Planar): Generator<Buffer> {
    const length = planar[0].length;
    if (length === 0) return;
    peaks.push(planar);
    samplesIn += length;
    for (let i = 0; i < length;) {
      const take = Math.min(length - i, frameSize - filled);
      for (let c = 0; c < channels; c++) {
        const from = planar[c];
        const to = frames[c];
        for (let k = 0; k < take; k++) to[filled + k] = clip16(from[i + k]);
      }
      filled += take;
      i += take;
      if (filled === frameSize) yield* encodeFrame();
    }
  };

  for await (const chunk of source.chunks) {
    const mixed = mix(chunk, channels);
    const pages = [...feed(mixed.map((samples, c) => resamplers[c].push(samples)))];
    for (const page of pages) bytes += page.length;
    if (pages.length) yield Buffer.concat(pages);
  }
  const tail = [...feed(resamplers.map((r) => r.flush()))];
  // Pad with silence until the decoder has produced pre-skip + every input sample.
  const needed = samplesIn + lookahead;
  while (packets * frameSize < needed) {
    for (const f of frames) f.fill(0, filled);
    filled = frameSize;
    tail.push(...encodeFrame());
  }
  tail.push(writer.end(preSkip + Math.round((samplesIn * 48000) / rate)));
  for (const page of tail) bytes += page.length;
  yield Buffer.concat(tail);

  Object.assign(summary, {
    durationMs: Math.round((samplesIn * 1000) / rate),
    channels,
    peakIntervalMs: peaks.intervalMs,
    peaks: peaks.finish(),
    bytes,
  });
}

/** Source channels -> output channels: a stereo source mixed down, or a mono one duplicated. */
function mix(planar: Planar, channels: number): Planar {
  if (planar.length === channels) return planar;
  if (channels === 2) return [planar[0], planar[0]];
  const out = new Float32Array(planar[0].length);
  for (let i = 0; i < out.length; i++) out[i] = 0.5 * (planar[0][i] + planar[1][i]);
  return [out];
}
