import type { Endpoint, Micros, PacketCounters, PacketSink } from './packet-types';

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;

export interface TcpReassemblyLimits {
  /** Out-of-order bytes held per direction while waiting for a missing segment. */
  maxBufferedBytesPerDirection: number;
  /** Directions tracked at once; beyond it the least recently active one is given up. */
  maxDirections: number;
  /** A direction without segments for this long (capture time) is forgotten. */
  idleTimeoutMicros: Micros;
  /** How long buffered data waits for a missing segment before the gap is skipped. */
  gapTimeoutMicros: Micros;
  /** How long a closed direction is remembered so that late retransmissions are not delivered again. */
  closedLingerMicros: Micros;
}

export const DEFAULT_TCP_LIMITS: TcpReassemblyLimits = {
  maxBufferedBytesPerDirection: 256 * 1024,
  maxDirections: 20_000,
  idleTimeoutMicros: 600_000_000,
  gapTimeoutMicros: 10_000_000,
  closedLingerMicros: 60_000_000,
};

interface BufferedSegment {
  seq: number;
  data: Buffer;
}

interface Direction {
  key: string;
  src: Endpoint;
  dst: Endpoint;
  /** Next sequence number to deliver (uint32). */
  nextSeq: number;
  /** Initial sequence number when the SYN was seen, else -1. */
  isn: number;
  /** Sequence number of the FIN once seen, else -1. */
  finSeq: number;
  closed: boolean;
  buffered: BufferedSegment[];
  bufferedBytes: number;
  gapSince: Micros;
  lastTs: Micros;
  /** When this direction last moved to the end of the LRU order (done at most once a second). */
  lastRefresh: Micros;
}

/** Signed distance a - b in 32-bit sequence space: correct across the wrap at 2^32. */
function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

/**
 * Rebuilds each direction of TCP connections into in-order bytes: retransmissions and overlaps are
 * delivered once, out-of-order segments wait (bounded), a capture that starts mid-connection
 * starts at the first segment seen.
 */
export class TcpStreamReassembler {
  gapsSkipped = 0;
  private readonly directions = new Map<string, Direction>();

  constructor(
    private readonly sink: PacketSink,
    private readonly counters: PacketCounters,
    private readonly limits: TcpReassemblyLimits = DEFAULT_TCP_LIMITS,
  ) {}

  get trackedDirections(): number {
    return this.directions.size;
  }

  segment(src: Endpoint, dst: Endpoint, ts: Micros, seq: number, flags: number, payload: Buffer): void {
    const key = `${src.ip}\u0000${src.port}\u0000${dst.ip}\u0000${dst.port}`;
    let direction = this.directions.get(key);
    if (flags & TCP_RST) {
      // A reset ends both directions; the reverse one is closed too so consumers drop partial messages.
      if (direction) this.close(direction, ts);
      const reverse = this.directions.get(`${dst.ip}\u0000${dst.port}\u0000${src.ip}\u0000${src.port}`);
      if (reverse) this.close(reverse, ts);
      return;
    }
    if (flags & TCP_SYN) {
      if (direction && direction.isn === seq) return; // a retransmitted SYN
      if (direction) this.forget(direction, ts);
      direction = this.open(key, src, dst, ts, (seq + 1) >>> 0);
      direction.isn = seq;
      seq = (seq + 1) >>> 0; // data on a SYN (TCP Fast Open) starts after it
    } else if (!direction) {
      if (payload.length === 0) return; // a bare ACK or FIN tells us nothing worth tracking
      direction = this.open(key, src, dst, ts, seq); // picked up mid-stream
    } else if (direction.closed) {
      if (payload.length === 0 || seqDiff((seq + payload.length) >>> 0, direction.nextSeq) <= 0) {
        if (payload.length > 0) this.counters.tcpRetransmissions++;
        return;
      }
      // New bytes after a close: the tuple was reused without a SYN we saw.
      direction.closed = false;
      direction.finSeq = -1;
      if (seqDiff(seq, direction.nextSeq) > 0) direction.nextSeq = seq;
    }
    direction.lastTs = ts;
    if (ts - direction.lastRefresh > 1_000_000) {
      this.directions.delete(key);
      this.directions.set(key, direction);
      direction.lastRefresh = ts;
    }
    if (payload.length > 0) this.data(direction, seq, payload, ts);
    if (flags & TCP_FIN && direction.finSeq < 0) direction.finSeq = (seq + payload.length) >>> 0;
    if (direction.buffered.length > 0 && ts - direction.gapSince > this.limits.gapTimeoutMicros) {
      this.skipGap(direction, ts);
    }
    this.closeIfFinished(direction, ts);
  }

  /** Gives up idle directions, stale gaps and long-closed directions (call about once a second). */
  expire(now: Micros): void {
    for (const direction of this.directions.values()) {
      const idle = now - direction.lastTs;
      if (direction.closed ? idle > this.limits.closedLingerMicros : idle > this.limits.idleTimeoutMicros) {
        this.forget(direction, now);
      } else if (direction.buffered.length > 0 && now - direction.gapSince > this.limits.gapTimeoutMicros) {
        this.skipGap(direction, now);
        this.closeIfFinished(direction, now);
      }
    }
  }

  private open(key: string, src: Endpoint, dst: Endpoint, ts: Micros, nextSeq: number): Direction {
    if (this.directions.size >= this.limits.maxDirections) {
      const leastRecent = this.directions.values().next().value;
      if (leastRecent) this.forget(leastRecent, ts);
    }
    const direction: Direction = {
      key,
      src,
      dst,
      nextSeq,
      isn: -1,
      finSeq: -1,
      closed: false,
      buffered: [],
      bufferedBytes: 0,
      gapSince: 0,
      lastTs: ts,
      lastRefresh: ts,
    };
    this.directions.set(key, direction);
    return direction;
  }

  private data(direction: Direction, seq: number, payload: Buffer, ts: Micros): void {
    const ahead = seqDiff(seq, direction.nextSeq);
    if (ahead + payload.length <= 0) {
      this.counters.tcpRetransmissions++;
      return;
    }
    if (ahead > 0) {
      this.buffer(direction, seq, payload, ts);
      return;
    }
    if (ahead < 0) this.counters.tcpRetransmissions++; // partly old: deliver only the new tail
    this.deliver(direction, payload.subarray(-ahead), ts);
    this.drain(direction, ts);
  }

  private deliver(direction: Direction, bytes: Buffer, ts: Micros): void {
    direction.nextSeq = (direction.nextSeq + bytes.length) >>> 0;
    this.sink.tcp({ ts, src: direction.src, dst: direction.dst, bytes });
  }

  private buffer(direction: Direction, seq: number, payload: Buffer, ts: Micros): void {
    const buffered = direction.buffered;
    let index = buffered.length;
    while (index > 0 && seqDiff(buffered[index - 1].seq, seq) > 0) index--;
    const previous = buffered[index - 1];
    if (previous && previous.seq === seq && previous.data.length >= payload.length) {
      this.counters.tcpRetransmissions++;
      return;
    }
    if (buffered.length === 0) direction.gapSince = ts;
    // The frame's bytes are only valid during this call: what waits must be copied.
    buffered.splice(index, 0, { seq, data: Buffer.from(payload) });
    direction.bufferedBytes += payload.length;
    if (direction.bufferedBytes > this.limits.maxBufferedBytesPerDirection) this.skipGap(direction, ts);
  }

  /** Delivers buffered segments that have become contiguous with what was delivered. */
  private drain(direction: Direction, ts: Micros): void {
    const buffered = direction.buffered;
    while (buffered.length > 0) {
      const first = buffered[0];
      const ahead = seqDiff(first.seq, direction.nextSeq);
      if (ahead > 0) return;
      buffered.shift();
      direction.bufferedBytes -= first.data.length;
      if (ahead < 0) this.counters.tcpRetransmissions++; // overlapped what was delivered meanwhile
      if (ahead + first.data.length <= 0) continue;
      this.deliver(direction, first.data.subarray(-ahead), ts);
    }
  }

  /**
   * The missing bytes are not coming (or would cost too much to wait for): tell the consumer the
   * stream broke so it drops any partial message, then carry on from the first buffered segment.
   */
  private skipGap(direction: Direction, ts: Micros): void {
    if (direction.buffered.length === 0) return;
    this.gapsSkipped++;
    this.sink.tcpClosed?.(direction.src, direction.dst, ts);
    direction.nextSeq = direction.buffered[0].seq;
    this.drain(direction, ts);
    if (direction.buffered.length > 0) direction.gapSince = ts;
  }

  private closeIfFinished(direction: Direction, ts: Micros): void {
    if (direction.finSeq >= 0 && !direction.closed && seqDiff(direction.nextSeq, direction.finSeq) >= 0) {
      direction.nextSeq = (direction.finSeq + 1) >>> 0; // the FIN takes a sequence number
      this.close(direction, ts);
    }
  }

  /** Ends a direction but remembers where it stopped, so late retransmissions are recognised. */
  private close(direction: Direction, ts: Micros): void {
    if (direction.closed) return;
    direction.closed = true;
    direction.buffered = [];
    direction.bufferedBytes = 0;
    direction.lastTs = ts;
    this.sink.tcpClosed?.(direction.src, direction.dst, ts);
  }

  private forget(direction: Direction, ts: Micros): void {
    this.close(direction, ts);
    this.directions.delete(direction.key);
  }
}
