import { RtpSequenceStats } from '../rtp/rtp-sequence-stats';
import { DtmfEvent, TelephoneEventTracker } from '../rtp/telephone-event';
import { Side } from './media-log';

// One RTP stream of a call (one sender, one SSRC): its counters, its place on the call's
// timeline, and the DTMF it carried. Updated per packet, so everything here is plain numbers.

/** Capture time and RTP time may drift apart this much before the timeline is re-anchored. */
export const REANCHOR_THRESHOLD_US = 1_000_000;

export class CallStream {
  packets = 0;
  readonly stats = new RtpSequenceStats();
  /** First audio payload type seen, -1 until then. */
  payloadType = -1;
  codec: string | null = null;
  clockRate = 8000;
  confidenceSum = 0;
  generation = -1;
  anchorUs = 0;
  anchorRtp = 0;
  private lastTimestamp = -1;
  /** RTP timestamp unwrapped past 2^32. */
  extendedTimestamp = 0;
  dtmf: TelephoneEventTracker | null = null;
  /** DTMF events with where they sit on the timeline, for muting. */
  readonly dtmfMarks: { event: DtmfEvent; generation: number; anchorRtp: number }[] = [];

  constructor(
    readonly sender: Side,
    readonly ssrc: number,
    readonly source: string,
    readonly destination: string,
    readonly learned: boolean,
  ) {}

  /** Unwraps a 32-bit RTP timestamp into a monotonic-ish number. */
  unwrap(timestamp: number): number {
    if (this.lastTimestamp < 0) this.extendedTimestamp = timestamp;
    else this.extendedTimestamp += (timestamp - this.lastTimestamp) | 0;
    this.lastTimestamp = timestamp;
    return this.extendedTimestamp;
  }

  /**
   * True when `relativeUs` (capture time on the call's timeline) no longer fits the current
   * generation: none yet, or capture and RTP time diverged (a paused RTP clock during hold,
   * a sender restart, a jump of the timestamp base).
   */
  needsNewGeneration(extended: number, relativeUs: number): boolean {
    if (this.generation < 0) return true;
    const expectedUs = this.anchorUs + ((extended - this.anchorRtp) * 1e6) / this.clockRate;
    const drift = relativeUs - expectedUs;
    return drift > REANCHOR_THRESHOLD_US || drift < -REANCHOR_THRESHOLD_US;
  }

  get jitterMs(): number {
    return this.stats.jitterMs(this.clockRate);
  }
}
