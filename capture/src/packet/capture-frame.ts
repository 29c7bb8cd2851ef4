import type { Micros } from './packet-types';

/**
 * One captured link-layer frame, as a capture file or libpcap hands it over.
 *
 * Readers reuse one frame object and one read buffer, so a frame (and `data`) is valid only during
 * the call it is passed to: whoever keeps bytes past that call copies them.
 */
export interface CaptureFrame {
  /** LINKTYPE_* value of the interface the frame was captured on (https://www.tcpdump.org/linktypes.html). */
  linkType: number;
  ts: Micros;
  /** The captured bytes (may be shorter than originalLength when the snap length cut the frame). */
  data: Buffer;
  originalLength: number;
}

/** Where readers (capture files, live capture) deliver frames. */
export interface FrameHandler {
  frame(frame: CaptureFrame): void;
  /** A frame or record that could not even be framed (truncated file, absurd record length). */
  malformedFrame(reason: string): void;
}

/** Link types we decode; the numbers are LINKTYPE_* values, not the platform-specific DLT_* ones. */
export const LinkType = {
  null: 0,
  ethernet: 1,
  rawIpOpenBsd: 12,
  rawIpBsdOs: 14,
  raw: 101,
  loop: 108,
  linuxSll: 113,
  ipv4: 228,
  ipv6: 229,
  linuxSll2: 276,
} as const;
