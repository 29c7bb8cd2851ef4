import type { CodecInfo } from '../codecs/codec-registry';
import { Endpoint, Micros, PacketSink, TcpBytes, UdpDatagram } from '../packet/packet-types';
import { parseSdp } from '../sip/sdp';
import { header, looksLikeSipStart, parseSipMessage, SipMessage } from '../sip/sip-message';
import { tagOf } from './call-parties';
import { CallEndedHandler, CallRecord } from './call-record';
import { buildEndedCall } from './call-record-builder';
import { CallState } from './call-state';
import { DirectionClassifier, DirectionRules } from './call-direction';
import { InMemoryMediaLog, MediaLogFactory } from './media-log';
import { MediaCounters, MediaRouter } from './media-router';
import { SipTransportCounters, SipTransports } from './sip-transports';

// Rebuilds calls from transport payloads: SIP (UDP, TCP, WebSocket) drives dialogs, RTP is paired
// to them by endpoint and logged for decoding at the end. Time is packet time only, so a file
// replays exactly as it was captured; calls close on BYE/CANCEL/final failure, after silence,
// or at end of input (finish), and each closed call is handed to `onCallEnded` once.

/**
 * A call's progress as it happens (for real-time call events and the crash-safe spool): `ringing`
 * once its INVITE is taken, `answered` on the 2xx, `ended` when SIP ends it (BYE, CANCEL, a final
 * failure) or, for timeouts and end of input, when it is closed.
 */
export interface CallProgress {
  kind: 'ringing' | 'answered' | 'ended';
  /** The call as known now; while it is up, endedAt is its last activity. */
  record: CallRecord;
  /** Payload types the parties announced so far (what a spool needs to decode after a crash). */
  codecs: ReadonlyMap<number, CodecInfo>;
  /** Capture time of the packet that moved the call on (µs). */
  ts: Micros;
}

export interface CallAssemblerOptions {
  direction?: DirectionRules;
  onCallProgress?: (progress: CallProgress) => void;
  /** Silence RFC 4733 DTMF tones in the recording (the digits are still listed). */
  muteDtmf?: boolean;
  mediaLogFactory?: MediaLogFactory;
  /** Calls followed at once; new INVITEs beyond it are counted and ignored. */
  maxActiveCalls?: number;
  /** How long a closed call stays to absorb retransmissions and a forked 2xx (ms). */
  lingerMs?: number;
  /** An unanswered call with no SIP for this long is closed as missed (s). */
  ringTimeoutSeconds?: number;
  /** An answered call with neither SIP nor RTP for this long is closed (s). */
  idleTimeoutSeconds?: number;
  /** The same while on hold, when silence is expected (s). */
  holdIdleTimeoutSeconds?: number;
  /** A 401/407-challenged INVITE not retried within this is closed as failed (s). */
  challengeTimeoutSeconds?: number;
}

export interface CallAssemblerCounters extends MediaCounters, SipTransportCounters {
  sipMessages: number;
  sipMalformed: number;
  /** Requests and responses of no call we follow (REGISTER, OPTIONS, unknown dialogs). */
  sipIgnored: number;
  sdpMalformed: number;
  sdpMediaLinesDropped: number;
  udpIgnored: number;
  /** RTP-looking datagrams that matched no call's endpoints. */
  rtpUnmatched: number;
  callsStarted: number;
  callsEnded: number;
  callsOverCapacity: number;
}

const SWEEP_INTERVAL_US = 1_000_000;
// A closed call's INVITE retransmitted late must not start a phantom call: closed Call-IDs are
// remembered this long (64 × T1, the longest a transaction lives, RFC 3261 §17), within a bound.
const CLOSED_MEMORY_US = 64 * 500_000;
const MAX_CLOSED_REMEMBERED = 20_000;

export class CallAssembler implements PacketSink {
  private readonly calls = new Map<string, CallState>();
  /** Call-ID -> [last INVITE CSeq, closed at], oldest first. */
  private readonly recentlyClosed = new Map<string, [number, Micros]>();
  private readonly router: MediaRouter;
  private readonly transports: SipTransports;
  private classifier: DirectionClassifier;
  private readonly options: Required<Omit<CallAssemblerOptions, 'direction' | 'mediaLogFactory' | 'onCallProgress'>>;
  private readonly onCallProgress: ((progress: CallProgress) => void) | null;
  /** Calls whose `ended` progress went out already (when SIP ended them, before they close). */
  private readonly endNotified = new WeakSet<CallState>();
  private readonly mediaLogFactory: MediaLogFactory;
  private readonly sip = {
    sipMessages: 0,
    sipMalformed: 0,
    sipIgnored: 0,
    sdpMalformed: 0,
    sdpMediaLinesDropped: 0,
    udpIgnored: 0,
    rtpUnmatched: 0,
    callsStarted: 0,
    callsEnded: 0,
    callsOverCapacity: 0,
  };
  private nowUs = 0;
  private nextSweepUs = 0;

  constructor(
    options: CallAssemblerOptions,
    private readonly onCallEnded: CallEndedHandler,
  ) {
    this.classifier = new DirectionClassifier(options.direction);
    this.router = new MediaRouter(options.muteDtmf ?? false);
    this.mediaLogFactory = options.mediaLogFactory ?? (() => new InMemoryMediaLog());
    this.onCallProgress = options.onCallProgress ?? null;
    this.options = {
      muteDtmf: options.muteDtmf ?? false,
      maxActiveCalls: options.maxActiveCalls ?? 50_000,
      lingerMs: options.lingerMs ?? 2000,
      ringTimeoutSeconds: options.ringTimeoutSeconds ?? 300,
      idleTimeoutSeconds: options.idleTimeoutSeconds ?? 600,
      holdIdleTimeoutSeconds: options.holdIdleTimeoutSeconds ?? 4 * 3600,
      challengeTimeoutSeconds: options.challengeTimeoutSeconds ?? 32,
    };
    this.transports = new SipTransports((message, ts, src, dst) => this.onSipBytes(message, ts, src, dst));
  }

  get counters(): CallAssemblerCounters {
    return { ...this.sip, ...this.router.counters, ...this.transports.counters };
  }

  get activeCalls(): number {
    return this.calls.size;
  }

  /**
   * Moves time on without a packet (live capture on a quiet port, from the wall clock): timeouts
   * fire and lingering calls close as they would on the next packet.
   */
  tick(nowUs: Micros): void {
    this.advance(nowUs);
  }

  /** New direction rules (a site's configuration changed); calls closed from now on use them. */
  setDirectionRules(rules: DirectionRules): void {
    this.classifier = new DirectionClassifier(rules);
  }

  udp(datagram: UdpDatagram): void {
    this.advance(datagram.ts);
    const payload = datagram.payload;
    const first = payload[0];
    // SIP starts with a capital letter (RTP and RTCP with 0x80-0xbf), and is read as SIP first: a
    // SIP port may also be some call's RTP port + 1, which the media router takes for its RTCP.
    const sipShaped = first >= 0x41 && first <= 0x5a && looksLikeSipStart(payload);
    if (sipShaped) {
      this.onSipBytes(payload, datagram.ts, datagram.src, datagram.dst);
      return;
    }
    if (this.router.route(datagram)) return;
    // CR/LF alone are keep-alives (RFC 5626 §3.5.1); other text is not SIP.
    if (first >= 0x41 && first <= 0x5a) {
      this.notSip(datagram);
    } else if (first >> 6 === 2 && payload.length >= 12) {
      // RTP-shaped, but to and from endpoints no call announced (or whose call has closed).
      this.sip.rtpUnmatched++;
    } else {
      this.sip.udpIgnored++;
    }
  }

  tcp(data: TcpBytes): void {
    this.advance(data.ts);
    this.transports.tcp(data);
  }

  tcpClosed(src: Endpoint, dst: Endpoint): void {
    this.transports.closed(src, dst);
  }

  /** Closes every call still open at `atUs` (end of input) and hands them over. */
  finish(atUs: Micros = this.nowUs): void {
    this.advance(atUs);
    for (const call of [...this.calls.values()]) {
      if (call.phase === 'answered') call.end(atUs, 'answered', 'endOfInput');
      else if (call.phase === 'ringing') call.end(atUs, call.challengedUs !== null ? 'failed' : 'missed', 'endOfInput');
      this.close(call);
    }
  }

  private notSip(datagram: UdpDatagram): void {
    // Text on a SIP port that is not SIP is malformed SIP; elsewhere it is just another protocol.
    if (datagram.dst.port === 5060 || datagram.src.port === 5060) this.sip.sipMalformed++;
    else this.sip.udpIgnored++;
  }

  private advance(ts: Micros): void {
    if (ts > this.nowUs) this.nowUs = ts;
    if (this.nowUs >= this.nextSweepUs) {
      this.nextSweepUs = this.nowUs + SWEEP_INTERVAL_US;
      this.sweep();
    }
  }

  private sweep(): void {
    const now = this.nowUs;
    const o = this.options;
    for (const [callId, [, closedUs]] of this.recentlyClosed) {
      if (now - closedUs < CLOSED_MEMORY_US) break;
      this.recentlyClosed.delete(callId);
    }
    for (const call of [...this.calls.values()]) {
      if (call.phase === 'ringing') {
        if (call.challengedUs !== null && now - call.challengedUs >= o.challengeTimeoutSeconds * 1e6) {
          call.end(call.challengedUs, 'failed', 'rejected');
        } else if (now - call.lastActivityUs >= o.ringTimeoutSeconds * 1e6) {
          call.end(call.lastActivityUs, 'missed', 'timeout');
        }
      } else if (call.phase === 'answered') {
        const idle = (call.onHold ? o.holdIdleTimeoutSeconds : o.idleTimeoutSeconds) * 1e6;
        if (now - call.lastActivityUs >= idle) call.end(call.lastActivityUs, 'answered', 'timeout');
      }
      if (call.phase === 'ended' && now - (call.endedUs ?? now) >= o.lingerMs * 1000) this.close(call);
    }
  }

  private close(call: CallState): void {
    this.calls.delete(call.callId);
    this.recentlyClosed.delete(call.callId);
    this.recentlyClosed.set(call.callId, [call.inviteCseq, this.nowUs]);
    if (this.recentlyClosed.size > MAX_CLOSED_REMEMBERED) {
      this.recentlyClosed.delete(this.recentlyClosed.keys().next().value as string);
    }
    this.router.release(call);
    this.sip.callsEnded++;
    const ended = buildEndedCall(call, this.classifier);
    if (this.onCallProgress && !this.endNotified.has(call)) {
      this.onCallProgress({ kind: 'ended', record: ended.record, codecs: call.codecs, ts: this.nowUs });
    }
    this.onCallEnded(ended);
  }

  private progress(call: CallState, kind: CallProgress['kind'], ts: Micros): void {
    if (!this.onCallProgress) return;
    if (kind === 'ended') this.endNotified.add(call);
    const record = buildEndedCall(call, this.classifier).record;
    this.onCallProgress({ kind, record, codecs: call.codecs, ts });
  }

  private onSipBytes(bytes: Buffer, ts: Micros, src: Endpoint, dst: Endpoint): void {
    const parsed = parseSipMessage(bytes);
    if (!parsed.ok) {
      this.sip.sipMalformed++;
      return;
    }
    this.sip.sipMessages++;
    this.onSipMessage(parsed.message, ts, src, dst);
  }

  private onSipMessage(message: SipMessage, ts: Micros, src: Endpoint, dst: Endpoint): void {
    const before = this.calls.get(message.callId);
    const phaseBefore = before?.phase;
    this.applySipMessage(message, ts, src, dst);
    if (!this.onCallProgress) return;
    const call = this.calls.get(message.callId);
    if (!call) return;
    if (!before) this.progress(call, 'ringing', ts);
    else if (call.phase === phaseBefore) return;
    if (call.phase === 'answered') this.progress(call, 'answered', ts);
    else if (call.phase === 'ended') this.progress(call, 'ended', ts);
  }

  private applySipMessage(message: SipMessage, ts: Micros, src: Endpoint, dst: Endpoint): void {
    let call = this.calls.get(message.callId);
    if (!call) {
      const closed = this.recentlyClosed.get(message.callId);
      const initialInvite = message.kind === 'request' && message.method === 'INVITE' && !tagOf(header(message, 'to'));
      if (!initialInvite || (closed && message.cseq <= closed[0])) {
        this.sip.sipIgnored++;
        return;
      }
      if (this.calls.size >= this.options.maxActiveCalls) {
        this.sip.callsOverCapacity++;
        return;
      }
      call = new CallState(message.callId, message, ts, src, dst, this.mediaLogFactory(message.callId));
      this.calls.set(message.callId, call);
      this.sip.callsStarted++;
    }
    const sdpSource = message.kind === 'request' ? call.onRequest(message, ts) : call.onResponse(message, ts);
    if (!sdpSource) return;
    const sdp = parseSdp(sdpSource.body);
    if (!sdp.ok) {
      this.sip.sdpMalformed++;
      return;
    }
    this.sip.sdpMediaLinesDropped += sdp.sdp.droppedMediaLines;
    this.router.applySdp(call, sdpSource.side, sdp.sdp, ts);
  }
}
