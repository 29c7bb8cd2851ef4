// Builders of link, network and transport headers for test fixtures and benchmark captures.
// They write well-formed packets (lengths and IPv4 header checksum right); transport checksums are
// left zero, which decoders here (and tshark by default) do not check.
import { isIPv4, isIPv6 } from 'node:net';

export const IP_PROTO_TCP = 6;
export const IP_PROTO_UDP = 17;
export const IP_PROTO_GRE = 47;

export function ipv4Bytes(address: string): Buffer {
  if (!isIPv4(address)) throw new Error(`not an IPv4 address: ${address}`);
  return Buffer.from(address.split('.').map(Number));
}

export function ipv6Bytes(address: string): Buffer {
  if (!isIPv6(address)) throw new Error(`not an IPv6 address: ${address}`);
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (dotted) {
    // An embedded IPv4 tail (::ffff:192.0.2.1) stands for the last two groups.
    const v4 = ipv4Bytes(dotted[1]);
    address = `${address.slice(0, dotted.index)}${v4.readUInt16BE(0).toString(16)}:${v4.readUInt16BE(2).toString(16)}`;
  }
  const [head, tail] = address.includes('::') ? address.split('::') : [address, null];
  const groups = (part: string) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const left = groups(head);
  const right = tail === null ? [] : groups(tail);
  const all = tail === null ? left : [...left, ...new Array(8 - left.length - right.length).fill(0), ...right];
  const out = Buffer.alloc(16);
  all.forEach((group, i) => out.writeUInt16BE(group, i * 2));
  return out;
}

export interface EthernetOptions {
  etherType: number;
  payload: Buffer;
  /** Tags outermost first, e.g. [{ tpid: 0x88a8, id: 100 }, { tpid: 0x8100, id: 20 }] for QinQ. */
  vlans?: { tpid: number; id: number }[];
  srcMac?: string;
  dstMac?: string;
}

function macBytes(mac: string): Buffer {
  return Buffer.from(mac.split(':').map((h) => parseInt(h, 16)));
}

export function ethernetFrame(options: EthernetOptions): Buffer {
  const vlans = options.vlans ?? [];
  const header = Buffer.alloc(14 + vlans.length * 4);
  macBytes(options.dstMac ?? '02:00:00:00:00:02').copy(header, 0);
  macBytes(options.srcMac ?? '02:00:00:00:00:01').copy(header, 6);
  let at = 12;
  for (const tag of vlans) {
    header.writeUInt16BE(tag.tpid, at);
    header.writeUInt16BE(tag.id & 0x0fff, at + 2);
    at += 4;
  }
  header.writeUInt16BE(options.etherType, at);
  return Buffer.concat([header, options.payload]);
}

/** Linux cooked capture v1 (LINKTYPE_LINUX_SLL, 113). */
export function linuxSllFrame(protocol: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(16);
  header.writeUInt16BE(0, 0); // sent to us
  header.writeUInt16BE(1, 2); // ARPHRD_ETHER
  header.writeUInt16BE(6, 4);
  macBytes('02:00:00:00:00:01').copy(header, 6);
  header.writeUInt16BE(protocol, 14);
  return Buffer.concat([header, payload]);
}

/** Linux cooked capture v2 (LINKTYPE_LINUX_SLL2, 276). */
export function linuxSll2Frame(protocol: number, payload: Buffer, interfaceIndex = 2): Buffer {
  const header = Buffer.alloc(20);
  header.writeUInt16BE(protocol, 0);
  header.writeUInt32BE(interfaceIndex, 4);
  header.writeUInt16BE(1, 8); // ARPHRD_ETHER
  header[10] = 0; // sent to us
  header[11] = 6;
  macBytes('02:00:00:00:00:01').copy(header, 12);
  return Buffer.concat([header, payload]);
}

/** BSD loopback (LINKTYPE_NULL, 0): the address family in the capturing host's byte order. */
export function nullLoopbackFrame(family: number, payload: Buffer, littleEndian = true): Buffer {
  const header = Buffer.alloc(4);
  if (littleEndian) header.writeUInt32LE(family, 0);
  else header.writeUInt32BE(family, 0);
  return Buffer.concat([header, payload]);
}

export interface Ipv4Options {
  src: string;
  dst: string;
  protocol: number;
  payload: Buffer;
  id?: number;
  ttl?: number;
  /** Fragment offset in bytes (a multiple of 8). */
  fragmentOffset?: number;
  moreFragments?: boolean;
}

export function ipv4Packet(options: Ipv4Options): Buffer {
  const header = Buffer.alloc(20);
  header[0] = 0x45;
  header.writeUInt16BE(20 + options.payload.length, 2);
  header.writeUInt16BE((options.id ?? 1) & 0xffff, 4);
  header.writeUInt16BE(((options.fragmentOffset ?? 0) / 8) | (options.moreFragments ? 0x2000 : 0), 6);
  header[8] = options.ttl ?? 64;
  header[9] = options.protocol;
  ipv4Bytes(options.src).copy(header, 12);
  ipv4Bytes(options.dst).copy(header, 16);
  header.writeUInt16BE(internetChecksum(header), 10);
  return Buffer.concat([header, options.payload]);
}

function internetChecksum(bytes: Buffer): number {
  let sum = 0;
  for (let i = 0; i + 1 < bytes.length; i += 2) sum += bytes.readUInt16BE(i);
  if (bytes.length % 2) sum += bytes[bytes.length - 1] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** Splits an IPv4 payload into fragments of at most `chunk` payload bytes (rounded down to 8). */
export function ipv4Fragments(options: Omit<Ipv4Options, 'fragmentOffset' | 'moreFragments'>, chunk: number): Buffer[] {
  const size = Math.max(8, chunk - (chunk % 8));
  const packets: Buffer[] = [];
  for (let offset = 0; offset < options.payload.length; offset += size) {
    const part = options.payload.subarray(offset, offset + size);
    const moreFragments = offset + size < options.payload.length;
    packets.push(ipv4Packet({ ...options, payload: part, fragmentOffset: offset, moreFragments }));
  }
  return packets;
}

export interface Ipv6ExtensionHeader {
  /** 0 hop-by-hop, 43 routing, 60 destination options. */
  type: number;
  /** Option bytes after the two-byte next-header/length prefix; padded to a multiple of 8. */
  body?: Buffer;
}

export interface Ipv6Options {
  src: string;
  dst: string;
  nextHeader: number;
  payload: Buffer;
  extensionHeaders?: Ipv6ExtensionHeader[];
  hopLimit?: number;
}

export function ipv6Packet(options: Ipv6Options): Buffer {
  const extensions = options.extensionHeaders ?? [];
  const chain = [...extensions.map((e) => e.type), options.nextHeader];
  const extensionBytes = extensions.map((extension, i) => {
    const body = extension.body ?? Buffer.alloc(6);
    const length = Math.ceil((body.length + 2) / 8) * 8;
    const bytes = Buffer.alloc(length);
    bytes[0] = chain[i + 1];
    bytes[1] = length / 8 - 1;
    body.copy(bytes, 2);
    return bytes;
  });
  const payload = Buffer.concat([...extensionBytes, options.payload]);
  const header = Buffer.alloc(40);
  header.writeUInt32BE(0x60000000, 0);
  header.writeUInt16BE(payload.length, 4);
  header[6] = chain[0];
  header[7] = options.hopLimit ?? 64;
  ipv6Bytes(options.src).copy(header, 8);
  ipv6Bytes(options.dst).copy(header, 24);
  return Buffer.concat([header, payload]);
}

/** Fragments (RFC 8200 section 4.5) of an IPv6 payload, each carrying `chunk` bytes (rounded down to 8). */
export function ipv6Fragments(options: Ipv6Options, chunk: number, identification = 0x1234): Buffer[] {
  const size = Math.max(8, chunk - (chunk % 8));
  const packets: Buffer[] = [];
  for (let offset = 0; offset < options.payload.length; offset += size) {
    const part = options.payload.subarray(offset, offset + size);
    const more = offset + size < options.payload.length;
    const fragmentHeader = Buffer.alloc(8);
    fragmentHeader[0] = options.nextHeader;
    fragmentHeader.writeUInt16BE(offset | (more ? 1 : 0), 2);
    fragmentHeader.writeUInt32BE(identification, 4);
    packets.push(ipv6Packet({ ...options, nextHeader: 44, payload: Buffer.concat([fragmentHeader, part]) }));
  }
  return packets;
}

export function udpDatagram(srcPort: number, dstPort: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt16BE(srcPort, 0);
  header.writeUInt16BE(dstPort, 2);
  header.writeUInt16BE(8 + payload.length, 4);
  return Buffer.concat([header, payload]);
}

export const TCP_FLAGS = { fin: 0x01, syn: 0x02, rst: 0x04, psh: 0x08, ack: 0x10 } as const;

export interface TcpOptions {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack?: number;
  flags?: number;
  payload?: Buffer;
}

export function tcpSegment(options: TcpOptions): Buffer {
  const header = Buffer.alloc(20);
  header.writeUInt16BE(options.srcPort, 0);
  header.writeUInt16BE(options.dstPort, 2);
  header.writeUInt32BE(options.seq >>> 0, 4);
  header.writeUInt32BE((options.ack ?? 0) >>> 0, 8);
  header[12] = 5 << 4;
  header[13] = options.flags ?? TCP_FLAGS.ack | TCP_FLAGS.psh;
  header.writeUInt16BE(65535, 14);
  return Buffer.concat([header, options.payload ?? Buffer.alloc(0)]);
}

export interface GreOptions {
  protocol: number;
  key?: number;
  sequence?: number;
  checksum?: boolean;
}

export function greHeader(options: GreOptions): Buffer {
  const words: number[] = [];
  let flags = 0;
  if (options.checksum) {
    flags |= 0x8000;
    words.push(0);
  }
  if (options.key !== undefined) {
    flags |= 0x2000;
    words.push(options.key);
  }
  if (options.sequence !== undefined) {
    flags |= 0x1000;
    words.push(options.sequence);
  }
  const header = Buffer.alloc(4 + words.length * 4);
  header.writeUInt16BE(flags, 0);
  header.writeUInt16BE(options.protocol, 2);
  words.forEach((word, i) => header.writeUInt32BE(word >>> 0, 4 + i * 4));
  return header;
}

/** GRE (with sequence number) + ERSPAN type II header around a mirrored Ethernet frame. */
export function erspan2(mirrored: Buffer, sessionId = 1, sequence = 1): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt16BE(0x1000, 0); // version 1 = type II, VLAN 0
  header.writeUInt16BE(sessionId & 0x3ff, 2);
  return Buffer.concat([greHeader({ protocol: 0x88be, sequence }), header, mirrored]);
}

/** GRE + ERSPAN type III header (optionally with the 8-byte platform sub-header) around a frame. */
export function erspan3(mirrored: Buffer, withSubHeader = false, sessionId = 1): Buffer {
  const header = Buffer.alloc(12 + (withSubHeader ? 8 : 0));
  header.writeUInt16BE(0x2000, 0); // version 2 = type III
  header.writeUInt16BE(sessionId & 0x3ff, 2);
  header.writeUInt32BE(123456, 4); // timestamp
  header[10] = 0; // frame type 0: Ethernet
  header[11] = withSubHeader ? 1 : 0;
  return Buffer.concat([greHeader({ protocol: 0x22eb, sequence: 7 }), header, mirrored]);
}
