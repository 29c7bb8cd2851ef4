export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_IPV6 = 0x86dd;
/** GRE protocol type of a whole Ethernet frame (transparent Ethernet bridging). */
export const ETHERTYPE_TRANSPARENT_ETHERNET = 0x6558;
export const ETHERTYPE_ERSPAN_2 = 0x88be;
export const ETHERTYPE_ERSPAN_3 = 0x22eb;
/** Not an ethertype: the inner packet is IP of either version (ERSPAN III frame type 2). */
export const INNER_RAW_IP = 0x10000;
export const TUNNEL_UNSUPPORTED = -1;
export const TUNNEL_MALFORMED = -2;

/** Where the inner packet of a tunnel starts; one instance is reused to keep the hot path allocation-free. */
export interface InnerPacket {
  offset: number;
}

/**
 * Reads a GRE header (RFC 2784/2890) and, for ERSPAN, the mirror header after it. Returns the
 * inner protocol (an ethertype, ETHERTYPE_TRANSPARENT_ETHERNET for a mirrored Ethernet frame, or
 * INNER_RAW_IP) and sets inner.offset; TUNNEL_UNSUPPORTED or TUNNEL_MALFORMED otherwise.
 */
export function decodeGre(buf: Buffer, offset: number, end: number, inner: InnerPacket): number {
  if (end - offset < 4) return TUNNEL_MALFORMED;
  const flags = buf.readUInt16BE(offset);
  // Version 1 is PPTP's enhanced GRE and the routing bit belongs to the obsolete RFC 1701 form.
  if ((flags & 0x0007) !== 0 || flags & 0x4000) return TUNNEL_UNSUPPORTED;
  const protocol = buf.readUInt16BE(offset + 2);
  const hasSequence = (flags & 0x1000) !== 0;
  let at = offset + 4;
  if (flags & 0x8000) at += 4; // checksum + reserved
  if (flags & 0x2000) at += 4; // key
  if (hasSequence) at += 4;
  if (at > end) return TUNNEL_MALFORMED;
  if (protocol === ETHERTYPE_ERSPAN_2) {
    // ERSPAN type I has no header of its own (and no GRE sequence number); type II has 8 bytes.
    if (hasSequence) at += 8;
    if (at > end) return TUNNEL_MALFORMED;
    inner.offset = at;
    return ETHERTYPE_TRANSPARENT_ETHERNET;
  }
  if (protocol === ETHERTYPE_ERSPAN_3) return decodeErspan3(buf, at, end, inner);
  inner.offset = at;
  return protocol;
}

/** ERSPAN type III: 12 bytes, then an 8-byte platform sub-header when the O bit is set. */
function decodeErspan3(buf: Buffer, offset: number, end: number, inner: InnerPacket): number {
  if (end - offset < 12) return TUNNEL_MALFORMED;
  const frameType = (buf[offset + 10] >> 2) & 0x1f;
  const hasSubHeader = (buf[offset + 11] & 0x01) !== 0;
  const at = offset + 12 + (hasSubHeader ? 8 : 0);
  if (at > end) return TUNNEL_MALFORMED;
  inner.offset = at;
  if (frameType === 0) return ETHERTYPE_TRANSPARENT_ETHERNET;
  if (frameType === 2) return INNER_RAW_IP;
  return TUNNEL_UNSUPPORTED;
}
