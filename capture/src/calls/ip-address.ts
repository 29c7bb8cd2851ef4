import { isIPv4, isIPv6 } from 'node:net';

// Addresses as the packet layer writes them (dotted IPv4, RFC 5952 IPv6) and the numeric keys
// the media table is indexed by, so the per-packet lookup hashes a number, not a string.

/** Dotted IPv4 text to its 32-bit value, or -1 if it is not dotted IPv4. No allocation. */
export function ipv4ToNumber(ip: string): number {
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c === 0x2e) {
      if (digits === 0 || ++dots > 3) return -1;
      value = value * 256 + part;
      part = 0;
      digits = 0;
    } else if (c >= 0x30 && c <= 0x39) {
      part = part * 10 + (c - 0x30);
      if (++digits > 3 || part > 255) return -1;
    } else {
      return -1;
    }
  }
  if (dots !== 3 || digits === 0) return -1;
  return value * 256 + part;
}

/** An address from SDP or configuration in the packet layer's spelling, or null if invalid. */
export function canonicalIp(text: string): string | null {
  const trimmed = text.trim();
  if (isIPv4(trimmed)) return trimmed.split('.').map(Number).join('.');
  if (isIPv6(trimmed)) {
    // The WHATWG URL serializer writes RFC 5952 form (lower case, longest zero run compressed).
    return new URL(`http://[${trimmed}]/`).hostname.slice(1, -1);
  }
  return null;
}

/** 16 bytes of an IPv6 address in canonical or any valid text form. */
function ipv6Bytes(ip: string): Uint8Array | null {
  if (!isIPv6(ip)) return null;
  let text = ip;
  const bytes = new Uint8Array(16);
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const v4 = ipv4ToNumber(dotted[1]);
    text = `${text.slice(0, dotted.index)}${((v4 >>> 16) & 0xffff).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups = [...headGroups, ...new Array(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  groups.forEach((group, i) => {
    const value = parseInt(group, 16);
    bytes[i * 2] = value >> 8;
    bytes[i * 2 + 1] = value & 0xff;
  });
  return bytes;
}

/** A parsed CIDR block, e.g. 10.0.0.0/8 or fd00::/8. */
export interface Cidr {
  family: 4 | 6;
  bytes: Uint8Array;
  prefix: number;
}

export function parseCidr(text: string): Cidr | null {
  const [address, prefixText] = text.trim().split('/');
  const v4 = ipv4ToNumber(address);
  if (v4 !== -1) {
    const prefix = prefixText === undefined ? 32 : Number(prefixText);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) return null;
    return { family: 4, bytes: Uint8Array.of(v4 >>> 24, (v4 >>> 16) & 255, (v4 >>> 8) & 255, v4 & 255), prefix };
  }
  const v6 = ipv6Bytes(address);
  if (!v6) return null;
  const prefix = prefixText === undefined ? 128 : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 128) return null;
  return { family: 6, bytes: v6, prefix };
}

export function cidrContains(cidr: Cidr, ip: string): boolean {
  let bytes: Uint8Array | null;
  if (cidr.family === 4) {
    const v4 = ipv4ToNumber(ip);
    if (v4 === -1) return false;
    bytes = Uint8Array.of(v4 >>> 24, (v4 >>> 16) & 255, (v4 >>> 8) & 255, v4 & 255);
  } else {
    bytes = ipv6Bytes(ip);
    if (!bytes) return false;
  }
  let bits = cidr.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((bytes[i] & mask) !== (cidr.bytes[i] & mask)) return false;
  }
  return true;
}
