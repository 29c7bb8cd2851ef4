// Builds RTP packets (RFC 3550 §5.1) for fixtures and synthetic benchmark traffic.

export interface RtpPacketSpec {
  payloadType: number;
  sequence: number;
  timestamp: number;
  ssrc: number;
  payload: Uint8Array;
  marker?: boolean;
  csrcs?: number[];
  /** Header extension body (a multiple of 4 bytes) with its 16-bit profile. */
  extension?: { profile: number; data: Uint8Array };
  /** Padding bytes to append (the last one holds the count). */
  padding?: number;
}

export function buildRtpPacket(spec: RtpPacketSpec): Buffer {
  const csrcs = spec.csrcs ?? [];
  const extensionBytes = spec.extension ? 4 + spec.extension.data.length : 0;
  const padding = spec.padding ?? 0;
  const packet = Buffer.alloc(12 + csrcs.length * 4 + extensionBytes + spec.payload.length + padding);
  packet[0] = 0x80 | (padding ? 0x20 : 0) | (spec.extension ? 0x10 : 0) | csrcs.length;
  packet[1] = (spec.marker ? 0x80 : 0) | spec.payloadType;
  packet.writeUInt16BE(spec.sequence & 0xffff, 2);
  packet.writeUInt32BE(spec.timestamp >>> 0, 4);
  packet.writeUInt32BE(spec.ssrc >>> 0, 8);
  let at = 12;
  for (const csrc of csrcs) {
    packet.writeUInt32BE(csrc >>> 0, at);
    at += 4;
  }
  if (spec.extension) {
    packet.writeUInt16BE(spec.extension.profile, at);
    packet.writeUInt16BE(spec.extension.data.length / 4, at + 2);
    packet.set(spec.extension.data, at + 4);
    at += extensionBytes;
  }
  packet.set(spec.payload, at);
  if (padding) packet[packet.length - 1] = padding;
  return packet;
}

/** An RFC 4733 telephone-event payload. */
export function telephoneEventPayload(event: number, end: boolean, volume: number, duration: number): Buffer {
  return Buffer.from([event, (end ? 0x80 : 0) | (volume & 0x3f), (duration >> 8) & 0xff, duration & 0xff]);
}
