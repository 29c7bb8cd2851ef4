import type { CaptureFrame, FrameHandler } from './capture-frame';
import { DEFAULT_REASSEMBLY_LIMITS, IpFragmentReassembler, type ReassemblyLimits } from './ip-reassembly';
import { DECODED, IGNORED, NetworkDecoder, type TcpFollowPredicate } from './network-decoder';
import type { Endpoint, Micros, PacketCounters, PacketSink, TcpBytes, UdpDatagram } from './packet-types';
import { DEFAULT_TCP_LIMITS, TcpStreamReassembler, type TcpReassemblyLimits } from './tcp-reassembly';

export interface PacketPipelineOptions {
  reassembly?: Partial<ReassemblyLimits>;
  tcp?: Partial<TcpReassemblyLimits>;
  /** Which TCP connections to reassemble (by ports); all when absent. Others count as ignored. */
  followTcp?: TcpFollowPredicate;
}

/** How often (capture time) pending fragments and TCP directions are checked for timeouts. */
const EXPIRY_INTERVAL_MICROS = 1_000_000;

export function emptyPacketCounters(): PacketCounters {
  return {
    frames: 0,
    bytes: 0,
    malformed: 0,
    ignored: 0,
    ipFragments: 0,
    ipReassembled: 0,
    tcpRetransmissions: 0,
    kernelDrops: 0,
    interfaceDrops: 0,
  };
}

/**
 * Passes calls through to the consumer's sink and marks while one is under way, so that an
 * exception reaching the frame boundary can be blamed on the consumer rather than on the packet,
 * without a closure or try/catch per delivered datagram.
 */
class SinkCallTracker implements PacketSink {
  inConsumer = false;

  constructor(private readonly target: PacketSink) {}

  udp(datagram: UdpDatagram): void {
    this.inConsumer = true;
    this.target.udp(datagram);
    this.inConsumer = false;
  }

  tcp(data: TcpBytes): void {
    this.inConsumer = true;
    this.target.tcp(data);
    this.inConsumer = false;
  }

  tcpClosed(src: Endpoint, dst: Endpoint, ts: Micros): void {
    this.inConsumer = true;
    this.target.tcpClosed?.(src, dst, ts);
    this.inConsumer = false;
  }
}

/**
 * Frames in, transport payloads out: link layer, IP reassembly, tunnels, UDP, TCP reassembly.
 * push() never throws: whatever goes wrong inside one frame is counted as malformed and the next
 * frame is decoded as if nothing happened. An exception from the consumer's sink is not the
 * packet's fault: it is counted in sinkErrors (and kept in lastSinkError for the log) instead.
 */
export class PacketPipeline implements FrameHandler {
  readonly counters: PacketCounters = emptyPacketCounters();
  readonly fragments: IpFragmentReassembler;
  readonly tcp: TcpStreamReassembler;
  /** The last reason a reader gave for a malformed record (for the end-of-run report). */
  lastMalformedReason: string | null = null;
  sinkErrors = 0;
  lastSinkError: unknown = null;
  decoderErrors = 0;
  lastDecoderError: unknown = null;
  private readonly decoder: NetworkDecoder;
  private readonly guarded: SinkCallTracker;
  private lastExpiry: Micros = -1;

  constructor(sink: PacketSink, options: PacketPipelineOptions = {}) {
    const guarded = (this.guarded = new SinkCallTracker(sink));
    this.fragments = new IpFragmentReassembler(this.counters, { ...DEFAULT_REASSEMBLY_LIMITS, ...options.reassembly });
    this.tcp = new TcpStreamReassembler(guarded, this.counters, { ...DEFAULT_TCP_LIMITS, ...options.tcp });
    this.decoder = new NetworkDecoder(guarded, this.counters, this.fragments, this.tcp, options.followTcp ?? null);
  }

  push(frame: CaptureFrame): void {
    const counters = this.counters;
    counters.frames++;
    const ts = frame.ts;
    let outcome;
    try {
      counters.bytes += frame.data.length;
      if (ts - this.lastExpiry >= EXPIRY_INTERVAL_MICROS || ts < this.lastExpiry) this.expire(ts);
      outcome = this.decoder.frame(frame.linkType, frame.data, ts);
    } catch (error) {
      this.failed(error);
      return;
    }
    if (outcome === DECODED) return;
    if (outcome === IGNORED) counters.ignored++;
    else counters.malformed++;
  }

  /** FrameHandler: readers deliver frames here. */
  frame(frame: CaptureFrame): void {
    this.push(frame);
  }

  /** FrameHandler: a record a reader could not frame (truncated file) is one malformed frame. */
  malformedFrame(reason: string): void {
    this.counters.frames++;
    this.counters.malformed++;
    this.lastMalformedReason = reason;
  }

  /** The input ended: open TCP directions are closed (tcpClosed) and pending fragments dropped. */
  finish(): void {
    try {
      this.tcp.expire(Number.POSITIVE_INFINITY);
      this.fragments.expire(Number.POSITIVE_INFINITY);
    } catch (error) {
      this.failed(error);
    }
  }

  private expire(ts: Micros): void {
    this.lastExpiry = ts;
    this.fragments.expire(ts);
    this.tcp.expire(ts);
  }

  private failed(error: unknown): void {
    if (this.guarded.inConsumer) {
      this.guarded.inConsumer = false;
      this.sinkErrors++;
      this.lastSinkError = error;
    } else {
      // A decoder bug on a crafted frame must not stop the capture: the frame counts as malformed,
      // and decoderErrors tells the fuzz test (and the log) that a bounds check is missing.
      this.counters.malformed++;
      this.decoderErrors++;
      this.lastDecoderError = error;
    }
  }
}
