import { StereoChunk } from './call-audio';
import { MediaRecord, Side } from './media-log';

// What a finished call hands to the output side: the metadata document of the offline mode
// (`<id>.json`) and the call's audio as two PCM channels, produced lazily.

export type Disposition = 'answered' | 'busy' | 'cancelled' | 'missed' | 'failed';
export type CallDirection = 'inbound' | 'outbound' | 'internal' | 'unknown';
/** Why the call was closed: a BYE, a CANCEL, a final failure response, silence, or end of input. */
export type EndReason = 'bye' | 'cancel' | 'rejected' | 'timeout' | 'endOfInput';

export interface RtpStreamSummary {
  source: string;
  destination: string;
  /** 'caller' when the caller sent it (left channel), else 'callee'. */
  sender: 'caller' | 'callee';
  ssrc: number;
  payloadType: number;
  codec: string | null;
  packets: number;
  lost: number;
  jitterMs: number;
  /** How the stream was tied to the call: SDP endpoints, or learnt from where media flowed. */
  pairing: 'sdp' | 'learned';
}

export interface DtmfDigit {
  digit: string;
  at: string;
  durationMs: number;
  sender: 'caller' | 'callee';
}

export interface CallQuality {
  lossPercent: number;
  jitterMs: number;
  mos: number;
  /** What the endpoints reported in RTCP, if they sent any. */
  rtcp: { reports: number; fractionLostPercent: number; jitterMs: number } | null;
}

export interface CallRecord {
  /** File-name-safe identifier: `<dir>/<id>.json` and `<dir>/<id>.ogg`. */
  id: string;
  callId: string;
  from: { number: string; name: string };
  to: { number: string; name: string };
  /** Numbers the call was diverted from (Diversion headers), most recent first. */
  diversion: { number: string; reason: string }[];
  startedAt: string;
  answeredAt: string | null;
  endedAt: string;
  ringSeconds: number;
  talkSeconds: number;
  disposition: Disposition;
  endReason: EndReason;
  direction: CallDirection;
  /** Main audio codec (most packets), e.g. PCMA; null when no RTP was seen. */
  codec: string | null;
  /** Some audio used a codec this build keeps only as raw payload (G.729, Opus): see `rawCodecs`. */
  codecUnsupported: boolean;
  rawCodecs: string[];
  /** Audio file name, or null when no decodable audio was seen. */
  audio: string | null;
  /** Capture time of the first audio sample; the audio runs from here. */
  audioStartedAt: string | null;
  sampleRate: number;
  /** True if the call's audio outgrew its bound and the end was not kept. */
  audioTruncated: boolean;
  holds: { startedAt: string; endedAt: string | null }[];
  rtpStreams: RtpStreamSummary[];
  dtmf: DtmfDigit[];
  quality: CallQuality | null;
  /** 0 … 1: how sure we are the RTP belongs to this call (1 = exactly the SDP endpoints). */
  pairingConfidence: number;
}

export interface CallAudio {
  readonly sampleRate: number;
  /** False when there is nothing to decode (no RTP, or only unsupported codecs). */
  readonly hasAudio: boolean;
  /** Caller left, callee right; single pass, each chunk freshly allocated. */
  chunks(): Iterable<StereoChunk>;
  /** Payloads of one side as captured (e.g. G.729 or Opus to pass through), in arrival order. */
  rawRecords(side: Side): Iterable<MediaRecord>;
  /** Frees the media log; call after the audio has been consumed. */
  release(): void;
}

export interface EndedCall {
  record: CallRecord;
  audio: CallAudio;
}

export type CallEndedHandler = (call: EndedCall) => void;

/** ISO 8601 with milliseconds from a capture timestamp in µs. */
export function isoFromMicros(us: number): string {
  return new Date(Math.floor(us / 1000)).toISOString();
}

/**
 * A Call-ID made safe as a file name, with a short hash of the Call-ID and start time so that
 * distinct Call-IDs, and a Call-ID a device reuses for a later call, stay distinct.
 */
export function fileSafeCallId(callId: string, startedUs: number): string {
  const key = `${callId}\u0000${startedUs}`;
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  const stem = callId.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80);
  return `${stem}-${(hash >>> 0).toString(16).padStart(8, '0')}`;
}
