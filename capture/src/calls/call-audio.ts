import { CodecInfo, createPayloadDecoder, PayloadDecoder } from '../codecs/codec-registry';
import { CallMediaLog, MediaGeneration, Side } from './media-log';

// Turns a finished call's media log into two time-aligned PCM channels. Each payload is placed
// by its RTP timestamp within its generation (whose anchor is a capture time), so both sides line
// up and gaps (loss, silence suppression, hold) become silence of the right length. Silence is
// never materialised beyond the chunk being produced, so a long hold costs no memory.

export interface StereoChunk {
  /** Caller. */
  left: Int16Array;
  /** Callee; always as long as `left`. */
  right: Int16Array;
}

/** A stretch of one side to silence (a DTMF tone when tones are muted). */
export interface MuteInterval {
  side: Side;
  generation: number;
  rtpOffset: number;
  durationUnits: number;
}

export interface AudioRenderPlan {
  log: CallMediaLog;
  /** The codec a payload type stands for on that side's stream. */
  codecOf(side: Side, payloadType: number): CodecInfo | undefined;
  sampleRate: number;
  mutes: readonly MuteInterval[];
  /** Timeline sample of the first output frame (≤ 0: audio reordered before the media origin). */
  startFrame: number;
  /** Hard bound on the output length (from the call's duration). */
  maxFrames: number;
}

/** Packets held to put reordered ones back in place. */
export const REORDER_WINDOW = 64;
// A tone's last packets (and the decoder's tail) reach a little past its nominal duration.
const MUTE_TAIL_SECONDS = 0.04;

interface PendingPayload {
  start: number;
  key: number;
  codec: CodecInfo;
  payload: Buffer;
}

function anchorSample(generation: MediaGeneration, sampleRate: number): number {
  return Math.round((generation.anchorUs * sampleRate) / 1e6);
}

class SideRenderer {
  private readonly records: Iterator<{ generation: number; rtpOffset: number; payloadType: number; payload: Buffer }>;
  private readonly window: PendingPayload[] = [];
  private readonly decoders = new Map<number, { decoder: PayloadDecoder | null; previous: number }>();
  private readonly mutes: [number, number][];
  private exhausted = false;
  private writePos = 0;
  private segment: Int16Array | null = null;
  private segmentStart = 0;
  /** Payloads of codecs this build cannot decode (left as silence). */
  undecodable = 0;

  constructor(
    private readonly plan: AudioRenderPlan,
    private readonly side: Side,
  ) {
    this.records = plan.log.records(side)[Symbol.iterator]();
    this.writePos = plan.startFrame;
    const generations = plan.log.generations;
    this.mutes = plan.mutes
      .filter((mute) => mute.side === side && generations[mute.generation])
      .map((mute): [number, number] => {
        const generation = generations[mute.generation];
        const ratio = plan.sampleRate / generation.clockRate;
        const start = anchorSample(generation, plan.sampleRate) + Math.round(mute.rtpOffset * ratio);
        return [start, start + Math.round(mute.durationUnits * ratio + MUTE_TAIL_SECONDS * plan.sampleRate)];
      })
      .sort((a, b) => a[0] - b[0]);
  }

  /** Fills `out[0..count)` with this side's next samples; returns how many exist (0 at the end). */
  read(out: Int16Array, count: number): number {
    const from = this.writePos;
    let filled = 0;
    while (filled < count) {
      if (this.segment) {
        if (this.writePos < this.segmentStart) {
          // A gap: the output array is already zero, so silence costs only the position move.
          const silence = Math.min(this.segmentStart - this.writePos, count - filled);
          filled += silence;
          this.writePos += silence;
          continue;
        }
        const available = this.segmentStart + this.segment.length - this.writePos;
        if (available <= 0) {
          this.segment = null;
          continue;
        }
        const take = Math.min(available, count - filled);
        const offset = this.writePos - this.segmentStart;
        out.set(this.segment.subarray(offset, offset + take), filled);
        filled += take;
        this.writePos += take;
        continue;
      }
      const next = this.nextPayload();
      if (!next) break;
      const pcm = this.decode(next);
      if (!pcm || next.start + pcm.length <= this.writePos) continue; // undecodable or wholly late
      this.segment = pcm;
      this.segmentStart = next.start;
    }
    this.applyMutes(out, from, filled);
    return filled;
  }

  private applyMutes(out: Int16Array, from: number, filled: number): void {
    const to = from + filled;
    for (const [start, end] of this.mutes) {
      if (start >= to) break;
      if (end <= from) continue;
      out.fill(0, Math.max(start, from) - from, Math.min(end, to) - from);
    }
  }

  private nextPayload(): PendingPayload | undefined {
    while (!this.exhausted && this.window.length < REORDER_WINDOW) {
      const step = this.records.next();
      if (step.done) {
        this.exhausted = true;
        break;
      }
      const record = step.value;
      const generation = this.plan.log.generations[record.generation];
      const codec = this.plan.codecOf(this.side, record.payloadType);
      if (!generation || !codec || codec.kind !== 'audio') continue;
      const start =
        anchorSample(generation, this.plan.sampleRate) +
        Math.round((record.rtpOffset * this.plan.sampleRate) / generation.clockRate);
      const pending = { start, key: record.generation * 128 + record.payloadType, codec, payload: record.payload };
      // Insertion from the back: packets are nearly always already in order.
      let i = this.window.length;
      while (i > 0 && this.window[i - 1].start > start) i--;
      this.window.splice(i, 0, pending);
    }
    return this.window.shift();
  }

  private decode(item: PendingPayload): Int16Array | null {
    let state = this.decoders.get(item.key);
    if (!state) {
      state = { decoder: createPayloadDecoder(item.codec.name), previous: 0 };
      this.decoders.set(item.key, state);
    }
    const decoder = state.decoder;
    if (!decoder) {
      this.undecodable++;
      return null;
    }
    const decoded = new Int16Array(decoder.samplesIn(item.payload.length));
    decoder.decode(item.payload, decoded, 0);
    const factor = this.plan.sampleRate / decoder.sampleRate;
    if (factor === 1) return decoded;
    // Only 8 kHz into 16 kHz occurs (G.711 on one side, G.722 on the other): linear interpolation.
    const upsampled = new Int16Array(decoded.length * 2);
    let previous = state.previous;
    for (let i = 0; i < decoded.length; i++) {
      upsampled[2 * i] = (previous + decoded[i]) >> 1;
      upsampled[2 * i + 1] = decoded[i];
      previous = decoded[i];
    }
    state.previous = previous;
    return upsampled;
  }
}

/** Caller left, callee right, in chunks of at most `chunkFrames` frames. */
export function* renderStereo(plan: AudioRenderPlan, chunkFrames = 8000): Generator<StereoChunk> {
  const left = new SideRenderer(plan, 0);
  const right = new SideRenderer(plan, 1);
  let produced = 0;
  while (produced < plan.maxFrames) {
    const frames = Math.min(chunkFrames, plan.maxFrames - produced);
    const leftPcm = new Int16Array(frames);
    const rightPcm = new Int16Array(frames);
    const got = Math.max(left.read(leftPcm, frames), right.read(rightPcm, frames));
    if (got === 0) return;
    yield { left: leftPcm.subarray(0, got), right: rightPcm.subarray(0, got) };
    produced += got;
  }
}
