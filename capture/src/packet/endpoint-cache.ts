import type { Endpoint } from './packet-types';

/** Dotted-quad form of the IPv4 address at buf[at]. */
export function formatIpv4(buf: Buffer, at: number): string {
  return `${buf[at]}.${buf[at + 1]}.${buf[at + 2]}.${buf[at + 3]}`;
}

/** RFC 5952 text of the IPv6 address at buf[at]: lower case, no leading zeros, longest zero run as "::". */
export function formatIpv6(buf: Buffer, at: number): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(buf.readUInt16BE(at + i * 2));
  // IPv4-mapped addresses keep their dotted tail (RFC 5952 section 5).
  if (groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0 && groups[4] === 0) {
    if (groups[5] === 0xffff) return `::ffff:${formatIpv4(buf, at + 12)}`;
  }
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number) =>
    groups
      .slice(from, to)
      .map((g) => g.toString(16))
      .join(':');
  // A single zero group is not shortened (RFC 5952 section 4.2.2).
  if (bestLength < 2) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLength, 8)}`;
}

const SLOTS = 4096; // power of two
const MASK = SLOTS - 1;

/**
 * Endpoint objects shared between packets of the same address and port, so the per-packet work on
 * the RTP path is a hash, a compare and no string building. Direct-mapped: a collision just
 * replaces the slot. The endpoints are frozen because every consumer sees the same object.
 */
export class EndpointCache {
  private readonly v4Address = new Uint32Array(SLOTS);
  private readonly v4Port = new Int32Array(SLOTS).fill(-1);
  private readonly v4Endpoint: (Endpoint | undefined)[] = new Array(SLOTS);
  private readonly v6Address = new Uint8Array(SLOTS * 16);
  private readonly v6Port = new Int32Array(SLOTS).fill(-1);
  private readonly v6Endpoint: (Endpoint | undefined)[] = new Array(SLOTS);

  ipv4(buf: Buffer, at: number, port: number): Endpoint {
    const address = buf.readUInt32BE(at);
    const slot = (Math.imul(address ^ (port << 16), 0x9e3779b1) >>> 20) & MASK;
    const cached = this.v4Endpoint[slot];
    if (cached !== undefined && this.v4Address[slot] === address && this.v4Port[slot] === port) return cached;
    const endpoint = Object.freeze({ ip: formatIpv4(buf, at), port });
    this.v4Address[slot] = address;
    this.v4Port[slot] = port;
    this.v4Endpoint[slot] = endpoint;
    return endpoint;
  }

  ipv6(buf: Buffer, at: number, port: number): Endpoint {
    let hash = port;
    for (let i = 0; i < 16; i += 4) hash = Math.imul(hash ^ buf.readInt32BE(at + i), 0x9e3779b1);
    const slot = (hash >>> 20) & MASK;
    const cached = this.v6Endpoint[slot];
    if (cached !== undefined && this.v6Port[slot] === port && this.sameV6(slot, buf, at)) return cached;
    const endpoint = Object.freeze({ ip: formatIpv6(buf, at), port });
    this.v6Address.set(buf.subarray(at, at + 16), slot * 16);
    this.v6Port[slot] = port;
    this.v6Endpoint[slot] = endpoint;
    return endpoint;
  }

  private sameV6(slot: number, buf: Buffer, at: number): boolean {
    const base = slot * 16;
    for (let i = 0; i < 16; i++) if (this.v6Address[base + i] !== buf[at + i]) return false;
    return true;
  }
}
