// Loss and interarrival jitter of one RTP stream as RFC 3550 defines them (A.1 sequence
// accounting with wrap-around, A.3 expected/lost, A.8 jitter), updated in O(1) per packet.

const MAX_DROPOUT = 3000;
const MAX_MISORDER = 100;
const SEQ_MOD = 0x10000;

export class RtpSequenceStats {
  received = 0;
  /** Packets that arrived after a later one (reordered or duplicated). */
  outOfOrder = 0;
  private baseSeq = 0;
  private maxSeq = 0;
  private cycles = 0;
  /** Expected packets of earlier sequence runs, kept when the sender restarts its numbering. */
  private earlierExpected = 0;
  private earlierReceived = 0;
  private pendingRestartSeq = -1;
  private jitterUnits = 0;
  private lastTransit = Number.NaN;

  /** Counts one packet. `arrivalUnits` is the capture time expressed in RTP clock units. */
  add(seq: number, rtpTimestamp: number, arrivalUnits: number, measureJitter: boolean): void {
    if (this.received === 0) {
      this.baseSeq = seq;
      this.maxSeq = seq;
    } else {
      const delta = (seq - this.maxSeq + SEQ_MOD) % SEQ_MOD;
      if (delta === 0) {
        this.outOfOrder++;
      } else if (delta < MAX_DROPOUT) {
        if (seq < this.maxSeq) this.cycles += SEQ_MOD;
        this.maxSeq = seq;
        this.pendingRestartSeq = -1;
      } else if (delta <= SEQ_MOD - MAX_MISORDER) {
        // A big jump: accept it as a restart only when the next packet continues from it.
        if (seq === this.pendingRestartSeq) {
          this.earlierExpected += this.expectedInRun();
          this.earlierReceived += this.received;
          this.received = 0;
          this.cycles = 0;
          this.baseSeq = (seq - 1 + SEQ_MOD) % SEQ_MOD;
          this.maxSeq = seq;
          this.pendingRestartSeq = -1;
          this.received++;
          // The packet that announced the restart belongs to the new run.
          this.received++;
          return;
        }
        this.pendingRestartSeq = (seq + 1) % SEQ_MOD;
        return;
      } else {
        this.outOfOrder++;
      }
    }
    this.received++;
    if (measureJitter) {
      const transit = arrivalUnits - rtpTimestamp;
      if (!Number.isNaN(this.lastTransit)) {
        let d = transit - this.lastTransit;
        // RTP timestamps wrap at 2^32; a transit difference cannot really be that large.
        if (d > 2147483648) d -= 4294967296;
        else if (d < -2147483648) d += 4294967296;
        this.jitterUnits += (Math.abs(d) - this.jitterUnits) / 16;
      }
      this.lastTransit = transit;
    }
  }

  private expectedInRun(): number {
    return this.received === 0 ? 0 : this.cycles + this.maxSeq - this.baseSeq + 1;
  }

  get expected(): number {
    return this.earlierExpected + this.expectedInRun();
  }

  /** Packets never seen (duplicates do not make this negative). */
  get lost(): number {
    return Math.max(0, this.expected - this.earlierReceived - this.received);
  }

  get totalReceived(): number {
    return this.earlierReceived + this.received;
  }

  jitterMs(clockRate: number): number {
    return (this.jitterUnits / clockRate) * 1000;
  }
}
