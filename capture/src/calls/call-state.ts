import { CodecInfo, STATIC_PAYLOAD_TYPES } from '../codecs/codec-registry';
import { Endpoint } from '../packet/packet-types';
import { header, SipMessage } from '../sip/sip-message';
import { calleeOf, callerOf, diversionOf, PartyIdentity, tagOf } from './call-parties';
import { Disposition, EndReason, fileSafeCallId } from './call-record';
import type { CallStream } from './call-stream';
import { CallMediaLog, Side } from './media-log';

// One call as SIP describes it: a dialog (Call-ID + tags) from the initial INVITE through its
// responses to BYE or CANCEL, with the times and outcome the call record reports. Media state
// (streams, endpoints) hangs off it but is driven by the media router.

export type CallPhase = 'ringing' | 'answered' | 'ended';

/** Which party sent a message, when it carries SDP that must be applied. */
export interface SdpSource {
  side: Side;
  body: Buffer;
}

export function dispositionOfFailure(status: number): Disposition {
  if (status === 486 || status === 600) return 'busy';
  if (status === 487) return 'cancelled';
  if (status === 408 || status === 480) return 'missed';
  return 'failed';
}

function hasSdp(message: SipMessage): boolean {
  if (message.body.length === 0) return false;
  const type = header(message, 'content-type').toLowerCase();
  // A missing Content-Type with a body starting like SDP is accepted (seen from some gateways).
  return type.startsWith('application/sdp') || (type === '' && message.body.subarray(0, 2).toString() === 'v=');
}

export class CallState {
  readonly id: string;
  readonly caller: PartyIdentity;
  readonly callee: PartyIdentity;
  readonly diversion: { number: string; reason: string }[];
  readonly callerTag: string;
  readonly callerAddress: string;
  readonly calleeAddress: string;
  calleeTag: string | null = null;
  phase: CallPhase = 'ringing';
  disposition: Disposition = 'missed';
  endReason: EndReason = 'endOfInput';
  answeredUs: number | null = null;
  endedUs: number | null = null;
  /** Set when a 401/407 challenged the INVITE: the caller normally retries with credentials. */
  challengedUs: number | null = null;
  inviteCseq: number;
  lastSipUs: number;
  lastMediaUs = 0;
  /** When each party last put the call on hold (null = not holding). */
  readonly holdingSince: [number | null, number | null] = [null, null];
  readonly holds: { startUs: number; endUs: number | null }[] = [];

  // Media, maintained by the media router.
  mediaOriginUs: number | null = null;
  /** Earliest audio position relative to the media origin (≤ 0; negative after reordering). */
  earliestMediaOffsetUs = 0;
  readonly streams: CallStream[] = [];
  readonly codecs = new Map<number, CodecInfo>(STATIC_PAYLOAD_TYPES);
  readonly endpointKeys: number[] = [];
  audioTruncated = false;
  rtcpReports = 0;
  rtcpFractionLostSum = 0;
  rtcpJitterMsMax = 0;

  constructor(
    readonly callId: string,
    invite: SipMessage,
    readonly startedUs: number,
    src: Endpoint,
    dst: Endpoint,
    readonly log: CallMediaLog,
  ) {
    this.id = fileSafeCallId(callId, startedUs);
    this.caller = callerOf(invite);
    this.callee = calleeOf(invite);
    this.diversion = diversionOf(invite);
    this.callerTag = tagOf(header(invite, 'from'));
    this.callerAddress = src.ip;
    this.calleeAddress = dst.ip;
    this.inviteCseq = invite.cseq;
    this.lastSipUs = startedUs;
  }

  /** The party that sent a request, told apart by the From tag (the caller's is the dialog's). */
  private requesterOf(message: SipMessage): Side {
    return tagOf(header(message, 'from')) === this.callerTag ? 0 : 1;
  }

  /** Applies a request of this dialog; returns SDP the sender offered or answered, if any. */
  onRequest(message: SipMessage, ts: number): SdpSource | null {
    this.lastSipUs = ts;
    const side = this.requesterOf(message);
    switch (message.method) {
      case 'INVITE':
        if (side === 0 && !tagOf(header(message, 'to')) && this.phase === 'ringing') {
          // The same INVITE again: a retransmission, or a retry after an authentication challenge.
          if (message.cseq > this.inviteCseq) this.inviteCseq = message.cseq;
          this.challengedUs = null;
        }
        break;
      case 'CANCEL':
        if (this.phase === 'ringing') this.end(ts, 'cancelled', 'cancel');
        return null;
      case 'BYE':
        if (this.phase === 'answered') this.end(ts, 'answered', 'bye');
        else if (this.phase === 'ringing') this.end(ts, 'cancelled', 'bye');
        return null;
      case 'ACK':
      case 'UPDATE':
      case 'PRACK':
        break;
      default:
        return null;
    }
    return hasSdp(message) ? { side, body: message.body } : null;
  }

  /** Applies a response of this dialog; returns SDP its sender (the other party) supplied. */
  onResponse(message: SipMessage, ts: number): SdpSource | null {
    this.lastSipUs = ts;
    const side: Side = this.requesterOf(message) === 0 ? 1 : 0;
    const status = message.status;
    if (message.method !== 'INVITE' && message.method !== 'UPDATE' && message.method !== 'PRACK') return null;
    const initial = message.method === 'INVITE' && message.cseq === this.inviteCseq && side === 1;
    if (initial && status >= 200 && status < 300) {
      if (this.phase !== 'answered') {
        // A 2xx wins even over a failure from another fork that arrived just before it.
        this.phase = 'answered';
        this.disposition = 'answered';
        this.answeredUs = ts;
        this.endedUs = null;
        this.endReason = 'endOfInput';
        this.calleeTag = tagOf(header(message, 'to'));
      }
    } else if (initial && status >= 300 && this.phase === 'ringing') {
      if (status === 401 || status === 407) this.challengedUs = ts;
      else this.end(ts, dispositionOfFailure(status), 'rejected');
      return null;
    }
    if (status >= 300) return null;
    return hasSdp(message) ? { side, body: message.body } : null;
  }

  end(ts: number, disposition: Disposition, reason: EndReason): void {
    if (this.phase === 'ended') return;
    this.phase = 'ended';
    this.disposition = disposition;
    this.endReason = reason;
    this.endedUs = ts;
    for (const side of [0, 1] as const) this.setHolding(side, false, ts);
  }

  /** Records hold and resume as offered in SDP by `side`. */
  setHolding(side: Side, holding: boolean, ts: number): void {
    const wasHeld = this.holdingSince[0] !== null || this.holdingSince[1] !== null;
    if (holding && this.holdingSince[side] === null) this.holdingSince[side] = ts;
    if (!holding) this.holdingSince[side] = null;
    const isHeld = this.holdingSince[0] !== null || this.holdingSince[1] !== null;
    if (!wasHeld && isHeld) this.holds.push({ startUs: ts, endUs: null });
    if (wasHeld && !isHeld) this.holds[this.holds.length - 1].endUs = ts;
  }

  get onHold(): boolean {
    return this.holdingSince[0] !== null || this.holdingSince[1] !== null;
  }

  get lastActivityUs(): number {
    return Math.max(this.lastSipUs, this.lastMediaUs);
  }
}
