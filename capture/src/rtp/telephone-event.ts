// RFC 4733 (formerly 2833) telephone-events: one DTMF digit is many packets sharing the RTP
// timestamp of the event's start, with a growing duration and the End bit on the last ones
// (usually sent three times). Each event becomes one digit with its start time and length.

const DIGITS = '0123456789*#ABCD';

export function telephoneEventDigit(event: number): string | null {
  if (event < 16) return DIGITS[event];
  return event === 16 ? 'flash' : null;
}

export interface DtmfEvent {
  digit: string;
  /** Capture time of the event's first packet, µs. */
  startUs: number;
  durationMs: number;
  /** RTP timestamp where the tone starts and its length in RTP units (for muting the audio). */
  rtpStart: number;
  durationUnits: number;
}

export class TelephoneEventTracker {
  readonly events: DtmfEvent[] = [];
  private currentTimestamp = -1;
  private current: DtmfEvent | null = null;
  private ended = false;

  constructor(
    private readonly clockRate: number,
    private readonly maxEvents = 1000,
  ) {}

  /**
   * Reads one telephone-event payload. `rtpTimestamp` is the stream's extended timestamp.
   * Returns false if the payload is malformed.
   */
  add(payload: Uint8Array, rtpTimestamp: number, captureUs: number): boolean {
    if (payload.length < 4) return false;
    const event = payload[0];
    const end = (payload[1] & 0x80) !== 0;
    const duration = (payload[2] << 8) | payload[3];
    const digit = telephoneEventDigit(event);
    if (digit === null) return true; // other events (fax tones, line events): not DTMF
    if (rtpTimestamp !== this.currentTimestamp || !this.current || this.current.digit !== digit) {
      if (rtpTimestamp === this.currentTimestamp && this.ended) return true; // late repeat
      if (this.events.length >= this.maxEvents) return true;
      this.currentTimestamp = rtpTimestamp;
      this.ended = false;
      this.current = { digit, startUs: captureUs, durationMs: 0, rtpStart: rtpTimestamp, durationUnits: 0 };
      this.events.push(this.current);
    }
    if (duration > this.current.durationUnits) {
      this.current.durationUnits = duration;
      this.current.durationMs = Math.round((duration / this.clockRate) * 1000);
    }
    if (end) this.ended = true;
    return true;
  }
}
