import { createHash } from 'node:crypto';
import type { CodecInfo } from '../codecs/codec-registry';
import type { CallRecord } from '../calls/call-record';

// The document the spool keeps beside each call's media (`call.json`). While the call is up it is
// a snapshot (state "active", rewritten when the call rings and when it is answered); when the
// call ends it becomes the final metadata (state "ended") and the call moves to done/.

export const SPOOL_FORMAT = 1;

export interface SpooledCall {
  format: typeof SPOOL_FORMAT;
  state: 'active' | 'ended';
  /** The call's metadata, as the offline mode writes it (`<id>.json`). */
  record: CallRecord;
  /** The capture stopped during the call (crash, kill -9, power cut): it was closed from its spool. */
  partial: boolean;
  /** The same for every upload attempt of this call, so the backend stores it once. */
  clientRecordingId: string;
  /** Payload type -> codec as the parties announced them: decoding the media after a crash needs it. */
  codecs: [number, CodecInfo][];
  /** DTMF tones were to be silenced in the recording. */
  muteDtmf: boolean;
  /** Why some of the call's audio may be missing (a write error, a full spool). */
  problems: string[];
}

/** What the uploader learnt from the backend, kept beside the call once it is stored there. */
export interface UploadReceipt {
  uploadedAt: string;
  callId: string;
  recordingId: string;
  duplicate: boolean;
}

/** Why the backend refused the call for good (a 4xx that a retry cannot fix). */
export interface RejectionNote {
  rejectedAt: string;
  status: number;
  reason: string;
  attempts: number;
}

/** A record of which only the identity and the start are known (the rest empty, as for a call never set up). */
export function blankCallRecord(id: string, callId: string, startedAt: string): CallRecord {
  return {
    id,
    callId,
    from: { number: '', name: '' },
    to: { number: '', name: '' },
    diversion: [],
    startedAt,
    answeredAt: null,
    endedAt: startedAt,
    ringSeconds: 0,
    talkSeconds: 0,
    disposition: 'missed',
    endReason: 'endOfInput',
    direction: 'unknown',
    codec: null,
    codecUnsupported: false,
    rawCodecs: [],
    audio: null,
    audioStartedAt: null,
    sampleRate: 8000,
    audioTruncated: false,
    holds: [],
    rtpStreams: [],
    dtmf: [],
    quality: null,
    pairingConfidence: 0,
  };
}

/**
 * The idempotency key of a call: the site (its key prefix), the SIP Call-ID and the call's start,
 * hashed into printable ASCII the ingest API accepts (at most 128 characters).
 */
export function clientRecordingIdOf(siteKey: string, record: Pick<CallRecord, 'callId' | 'id'>): string {
  const digest = createHash('sha256').update(`${siteKey}\0${record.callId}\0${record.id}`).digest('hex');
  return `flexlog-${digest.slice(0, 40)}`;
}
