// RTP fixed header (RFC 3550 §5.1) read in place: one reusable object per reader, no allocation
// per packet. The payload is addressed by offset and length into the caller's buffer.

export class RtpHeader {
  marker = false;
  payloadType = 0;
  sequence = 0;
  timestamp = 0;
  ssrc = 0;
  payloadOffset = 0;
  payloadLength = 0;

  /** Reads `buf` into this object; false if it is not a well-formed RTP version 2 packet. */
  read(buf: Uint8Array): boolean {
    const length = buf.length;
    if (length < 12) return false;
    const first = buf[0];
    if (first >> 6 !== 2) return false;
    const second = buf[1];
    let offset = 12 + (first & 0x0f) * 4; // CSRC list
    if (first & 0x10) {
      // Header extension: 16-bit profile, 16-bit length in 32-bit words (RFC 3550 §5.3.1).
      if (offset + 4 > length) return false;
      offset += 4 + ((buf[offset + 2] << 8) | buf[offset + 3]) * 4;
    }
    let end = length;
    if (first & 0x20) {
      const padding = buf[length - 1];
      if (padding === 0) return false;
      end -= padding;
    }
    if (offset > end) return false;
    this.marker = (second & 0x80) !== 0;
    this.payloadType = second & 0x7f;
    this.sequence = (buf[2] << 8) | buf[3];
    this.timestamp = ((buf[4] << 24) | (buf[5] << 16) | (buf[6] << 8) | buf[7]) >>> 0;
    this.ssrc = ((buf[8] << 24) | (buf[9] << 16) | (buf[10] << 8) | buf[11]) >>> 0;
    this.payloadOffset = offset;
    this.payloadLength = end - offset;
    return true;
  }
}

/**
 * RTCP shares a port with RTP under rtcp-mux (RFC 5761 §4): its packet types 192-223 occupy the
 * second byte where RTP has marker + payload type, which RTP avoids for exactly this reason.
 */
export function looksLikeRtcp(buf: Uint8Array): boolean {
  return buf.length >= 8 && buf[0] >> 6 === 2 && buf[1] >= 192 && buf[1] <= 223;
}
