import { type AudioRenderPlan, type MuteInterval } from '../calls/call-audio';
import { isoFromMicros, type CallRecord } from '../calls/call-record';
import type { CallMediaLog, MediaRecord, Side } from '../calls/media-log';
import { type CodecInfo, decodedSampleRate, STATIC_PAYLOAD_TYPES } from '../codecs/codec-registry';
import { readMediaLog, readMediaRecords, type StoredGeneration } from './media-log-format';
import type { SpooledCall } from './spooled-call';

// A call's media as the spool has it on disk, turned back into what the renderer needs. Used when
// the in-memory view of the call is gone: after a restart, for calls that ended but were not
// encoded yet, and for calls the crash interrupted (closed here, flagged partial).

export interface MediaScan {
  generations: StoredGeneration[];
  records: [number, number];
  payloadTypes: Set<number>;
  /** Earliest audio position on the call's timeline (µs after its media origin; ≤ 0). */
  earliestUs: number;
  /** Where the last audio ends on that timeline (µs). */
  latestEndUs: number;
  validBytes: number;
}

// G.711 and G.722 payloads carry 125 µs of audio per byte; other codecs are taken as 20 ms a packet.
const payloadDurationUs = (codec: CodecInfo | undefined, bytes: number) =>
  codec && decodedSampleRate(codec.name) !== null ? bytes * 125 : 20_000;

export function codecTable(document: SpooledCall): Map<number, CodecInfo> {
  return new Map([...STATIC_PAYLOAD_TYPES, ...document.codecs]);
}

export function scanMedia(path: string, codecs: Map<number, CodecInfo>): MediaScan {
  const scan: MediaScan = {
    generations: [],
    records: [0, 0],
    payloadTypes: new Set(),
    earliestUs: 0,
    latestEndUs: 0,
    validBytes: 0,
  };
  const entries = readMediaLog(path);
  for (let step = entries.next(); ; step = entries.next()) {
    if (step.done) {
      scan.validBytes = step.value;
      return scan;
    }
    const entry = step.value;
    if (entry.kind === 'generation') {
      scan.generations.push(entry.generation);
      continue;
    }
    const { record } = entry;
    const generation = scan.generations[record.generation];
    if (!generation) continue;
    scan.records[entry.side]++;
    scan.payloadTypes.add(record.payloadType);
    const offsetUs = generation.anchorUs + (record.rtpOffset * 1e6) / generation.clockRate;
    const endUs = offsetUs + payloadDurationUs(codecs.get(record.payloadType), record.payload.length);
    if (offsetUs < scan.earliestUs) scan.earliestUs = offsetUs;
    if (endUs > scan.latestEndUs) scan.latestEndUs = endUs;
  }
}

/** A finished media file read back: the renderer's CallMediaLog, read-only. */
export class SpooledMediaLog implements CallMediaLog {
  constructor(
    readonly path: string,
    readonly generations: readonly StoredGeneration[],
    readonly bytes: number,
  ) {}

  addGeneration(): number {
    throw new Error('a spooled media log is read-only');
  }

  append(): boolean {
    return false;
  }

  records(side: Side): Iterable<MediaRecord> {
    return readMediaRecords(this.path, side);
  }

  release(): void {
    // Nothing held: each read opens and closes the file.
  }
}

/** Capture time (µs) of the call's media origin, from the first generation's stamp. */
export function mediaOriginUs(scan: MediaScan): number | null {
  const first = scan.generations[0];
  return first ? first.packetUs - first.anchorUs : null;
}

function decodable(scan: MediaScan, codecs: Map<number, CodecInfo>): CodecInfo[] {
  return [...scan.payloadTypes]
    .map((pt) => codecs.get(pt))
    .filter((codec): codec is CodecInfo => !!codec && codec.kind === 'audio' && decodedSampleRate(codec.name) !== null);
}

/**
 * The render plan for a spooled call. DTMF muting is rebuilt from the digits' capture times (a few
 * ms less exact than the live plan, which places them by RTP time), padded by 20 ms on each side.
 */
export function spooledRenderPlan(document: SpooledCall, path: string, scan: MediaScan): AudioRenderPlan | null {
  const codecs = codecTable(document);
  const usable = decodable(scan, codecs);
  const origin = mediaOriginUs(scan);
  if (usable.length === 0 || origin === null) return null;
  const sampleRate = usable.some((codec) => codec.name === 'G722') ? 16000 : 8000;
  const startFrame = Math.floor((scan.earliestUs * sampleRate) / 1e6);
  const endedUs = Date.parse(document.record.endedAt) * 1000;
  const timelineEndUs = document.partial ? scan.latestEndUs : Math.max(endedUs - origin, scan.latestEndUs);
  const mediaSeconds = (timelineEndUs - scan.earliestUs) / 1e6 + (document.partial ? 0 : 1);
  const mutes: MuteInterval[] = [];
  const reference = scan.generations[0];
  if (document.muteDtmf) {
    for (const digit of document.record.dtmf) {
      const startUs = Date.parse(digit.at) * 1000 - origin - 20_000;
      const durationUs = (digit.durationMs + 40) * 1000;
      mutes.push({
        side: digit.sender === 'caller' ? 0 : 1,
        generation: 0,
        rtpOffset: ((startUs - reference.anchorUs) * reference.clockRate) / 1e6,
        durationUnits: (durationUs * reference.clockRate) / 1e6,
      });
    }
  }
  return {
    log: new SpooledMediaLog(path, scan.generations, scan.validBytes),
    codecOf: (_side, payloadType) => codecs.get(payloadType),
    sampleRate,
    mutes,
    startFrame,
    maxFrames: Math.max(0, Math.ceil(mediaSeconds * sampleRate)),
  };
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;

/**
 * Closes a call the capture was recording when it stopped: it ends where its last spooled audio
 * ends (or at its last known moment), keeps what its snapshot knew, and is flagged partial.
 */
export function closeInterrupted(snapshot: SpooledCall, scan: MediaScan): SpooledCall {
  const codecs = codecTable(snapshot);
  const previous = snapshot.record;
  const origin = mediaOriginUs(scan);
  const knownEndUs = Date.parse(previous.endedAt) * 1000;
  const endedUs = Math.max(knownEndUs, origin === null ? 0 : origin + scan.latestEndUs);
  const answeredUs = previous.answeredAt === null ? null : Date.parse(previous.answeredAt) * 1000;
  const startedUs = Date.parse(previous.startedAt) * 1000;
  const usable = decodable(scan, codecs);
  const sampleRate = usable.some((codec) => codec.name === 'G722') ? 16000 : 8000;
  const hasAudio = usable.length > 0 && origin !== null;
  const startFrame = Math.floor((scan.earliestUs * sampleRate) / 1e6);
  const record: CallRecord = {
    ...previous,
    endedAt: isoFromMicros(endedUs),
    ringSeconds: round3(((answeredUs ?? endedUs) - startedUs) / 1e6),
    talkSeconds: answeredUs === null ? 0 : round3((endedUs - answeredUs) / 1e6),
    endReason: 'endOfInput',
    codec: previous.codec ?? usable[0]?.name ?? null,
    audio: hasAudio ? `${previous.id}.ogg` : null,
    audioStartedAt: hasAudio ? isoFromMicros((origin as number) + (startFrame * 1e6) / sampleRate) : null,
    sampleRate,
    quality: null,
  };
  return {
    ...snapshot,
    state: 'ended',
    partial: true,
    record,
    problems: [...snapshot.problems, 'the capture stopped during the call: audio up to its last spooled second'],
  };
}
