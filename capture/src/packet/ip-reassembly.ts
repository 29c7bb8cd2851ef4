import type { Micros, PacketCounters } from './packet-types';

export interface ReassemblyLimits {
  /** Largest reassembled payload; an IP datagram cannot exceed 64 KiB. */
  maxDatagramBytes: number;
  /** Datagrams waiting for fragments between one source and destination. */
  maxPendingPerFlow: number;
  maxPendingDatagrams: number;
  maxPendingBytes: number;
  /** Capture time after the first fragment when an incomplete datagram is given up. */
  timeoutMicros: Micros;
}

export const DEFAULT_REASSEMBLY_LIMITS: ReassemblyLimits = {
  maxDatagramBytes: 65_535,
  maxPendingPerFlow: 64,
  maxPendingDatagrams: 4096,
  maxPendingBytes: 16 << 20,
  timeoutMicros: 30_000_000,
};

export interface ReassemblyStats {
  expired: number;
  evicted: number;
  overlaps: number;
  rejected: number;
}

/** Bookkeeping cost of one stored piece, counted against maxPendingBytes so tiny pieces cannot bloat memory. */
const PIECE_OVERHEAD_BYTES = 96;
/** Real fragmentation yields a few dozen pieces; thousands only come from an attack or a bug. */
const MAX_PIECES_PER_DATAGRAM = 1024;

interface Piece {
  offset: number;
  end: number;
  data: Buffer;
}

interface PendingDatagram {
  flowKey: string;
  firstTs: Micros;
  /** Known once the last fragment (more-fragments clear) has arrived. */
  totalLength: number;
  received: number;
  /** Payload bytes plus piece overhead, as counted in pendingBytes. */
  heldBytes: number;
  /** Non-overlapping, sorted by offset. */
  pieces: Piece[];
  /** Upper-layer protocol, from the first fragment for IPv6 (where it sits in the fragment header). */
  protocol: number;
}

/**
 * Reassembles fragmented IPv4 and IPv6 datagrams within fixed bounds. Overlapping fragments are
 * trimmed so that bytes already received win: a recorder wants the datagram, and this way no later
 * fragment can rewrite what an earlier one delivered (the classic overlap attacks need that).
 */
export class IpFragmentReassembler {
  readonly stats: ReassemblyStats = { expired: 0, evicted: 0, overlaps: 0, rejected: 0 };
  /** Protocol of the datagram the last successful add() completed. */
  completedProtocol = -1;
  private readonly pending = new Map<string, PendingDatagram>();
  private readonly perFlow = new Map<string, number>();
  private pendingBytes = 0;

  constructor(
    private readonly counters: PacketCounters,
    private readonly limits: ReassemblyLimits = DEFAULT_REASSEMBLY_LIMITS,
  ) {}

  get pendingDatagrams(): number {
    return this.pending.size;
  }

  /**
   * Adds one fragment (payload bytes at byte `offset` of the datagram; `protocol` -1 when this
   * fragment does not say). Returns the whole payload when this fragment completes it, else null.
   */
  add(
    key: string,
    flowKey: string,
    ts: Micros,
    offset: number,
    data: Buffer,
    moreFragments: boolean,
    protocol: number,
  ): Buffer | null {
    this.counters.ipFragments++;
    const end = offset + data.length;
    if (end > this.limits.maxDatagramBytes || (moreFragments && data.length % 8 !== 0) || data.length === 0) {
      // Too big for IP, or a middle fragment that is not a multiple of 8 bytes: cannot be real.
      this.reject(key);
      return null;
    }
    let datagram = this.pending.get(key);
    if (!datagram) datagram = this.start(key, flowKey, ts);
    if (protocol >= 0 && datagram.protocol < 0) datagram.protocol = protocol;
    if (!moreFragments) {
      const lastEnd = datagram.pieces.length ? datagram.pieces[datagram.pieces.length - 1].end : 0;
      if ((datagram.totalLength >= 0 && datagram.totalLength !== end) || lastEnd > end) return this.reject(key);
      datagram.totalLength = end;
    } else if (datagram.totalLength >= 0 && end > datagram.totalLength) return this.reject(key);
    if (!this.insertUncovered(datagram, offset, end, data)) return this.reject(key);
    if (datagram.totalLength < 0 || datagram.received !== datagram.totalLength) {
      this.enforceByteLimit();
      return null;
    }
    this.remove(key, datagram);
    this.counters.ipReassembled++;
    this.completedProtocol = datagram.protocol;
    return this.join(datagram);
  }

  /** Gives up datagrams whose first fragment is older than the timeout (by capture time). */
  expire(now: Micros): void {
    for (const [key, datagram] of this.pending) {
      if (now - datagram.firstTs < this.limits.timeoutMicros) continue;
      this.remove(key, datagram);
      this.stats.expired++;
    }
  }

  private start(key: string, flowKey: string, ts: Micros): PendingDatagram {
    const flowCount = this.perFlow.get(flowKey) ?? 0;
    if (flowCount >= this.limits.maxPendingPerFlow) this.evictOldest(flowKey);
    if (this.pending.size >= this.limits.maxPendingDatagrams) this.evictOldest(null);
    const datagram: PendingDatagram = {
      flowKey,
      firstTs: ts,
      totalLength: -1,
      received: 0,
      heldBytes: 0,
      pieces: [],
      protocol: -1,
    };
    this.pending.set(key, datagram);
    this.perFlow.set(flowKey, (this.perFlow.get(flowKey) ?? 0) + 1);
    return datagram;
  }

  /** Copies only the parts of [offset, end) that no earlier fragment covered. */
  private insertUncovered(datagram: PendingDatagram, offset: number, end: number, data: Buffer): boolean {
    const added: Piece[] = [];
    let cursor = offset;
    for (const piece of datagram.pieces) {
      if (piece.end <= cursor) continue;
      if (piece.offset >= end) break;
      if (piece.offset > cursor) added.push(this.copyPiece(data, offset, cursor, piece.offset));
      cursor = Math.max(cursor, piece.end);
      if (cursor >= end) break;
    }
    if (cursor < end) added.push(this.copyPiece(data, offset, cursor, end));
    const addedBytes = added.reduce((sum, piece) => sum + (piece.end - piece.offset), 0);
    if (addedBytes !== end - offset) this.stats.overlaps++;
    if (added.length === 0) return true;
    if (datagram.pieces.length + added.length > MAX_PIECES_PER_DATAGRAM) return false;
    datagram.pieces.push(...added);
    datagram.pieces.sort((a, b) => a.offset - b.offset);
    datagram.received += addedBytes;
    const held = addedBytes + added.length * PIECE_OVERHEAD_BYTES;
    datagram.heldBytes += held;
    this.pendingBytes += held;
    return true;
  }

  private copyPiece(data: Buffer, dataOffset: number, from: number, to: number): Piece {
    const copy = Buffer.allocUnsafe(to - from);
    data.copy(copy, 0, from - dataOffset, to - dataOffset);
    return { offset: from, end: to, data: copy };
  }

  private join(datagram: PendingDatagram): Buffer {
    const whole = Buffer.allocUnsafe(datagram.totalLength);
    for (const piece of datagram.pieces) piece.data.copy(whole, piece.offset);
    return whole;
  }

  private enforceByteLimit(): void {
    while (this.pendingBytes > this.limits.maxPendingBytes && this.pending.size > 0) this.evictOldest(null);
  }

  /** Map order is arrival order of first fragments, so the first match is the oldest. */
  private evictOldest(flowKey: string | null): void {
    for (const [key, datagram] of this.pending) {
      if (flowKey !== null && datagram.flowKey !== flowKey) continue;
      this.remove(key, datagram);
      this.stats.evicted++;
      return;
    }
  }

  private reject(key: string): null {
    const datagram = this.pending.get(key);
    if (datagram) this.remove(key, datagram);
    this.stats.rejected++;
    this.counters.malformed++;
    return null;
  }

  private remove(key: string, datagram: PendingDatagram): void {
    this.pending.delete(key);
    this.pendingBytes -= datagram.heldBytes;
    const left = (this.perFlow.get(datagram.flowKey) ?? 1) - 1;
    if (left > 0) this.perFlow.set(datagram.flowKey, left);
    else this.perFlow.delete(datagram.flowKey);
  }
}
