import { LinkType } from './capture-frame';
import { EndpointCache } from './endpoint-cache';
import type { IpFragmentReassembler } from './ip-reassembly';
import type { Endpoint, Micros, PacketCounters, PacketSink } from './packet-types';
import type { TcpStreamReassembler } from './tcp-reassembly';
import {
  decodeGre,
  ETHERTYPE_IPV4,
  ETHERTYPE_IPV6,
  ETHERTYPE_TRANSPARENT_ETHERNET,
  INNER_RAW_IP,
  TUNNEL_MALFORMED,
  type InnerPacket,
} from './tunnels';

/** What became of one frame; push() turns it into counters. */
export const DECODED = 0;
export const IGNORED = 1;
export const MALFORMED = 2;
export type Outcome = typeof DECODED | typeof IGNORED | typeof MALFORMED;

const PROTO_HOP_BY_HOP = 0;
const PROTO_IPIP = 4;
const PROTO_TCP = 6;
const PROTO_UDP = 17;
const PROTO_IPV6 = 41;
const PROTO_ROUTING = 43;
const PROTO_FRAGMENT = 44;
const PROTO_GRE = 47;
const PROTO_AH = 51;
const PROTO_NO_NEXT = 59;
const PROTO_DEST_OPTIONS = 60;
/** Tunnels inside tunnels beyond this are refused (a crafted packet could nest without end). */
const MAX_ENCAPSULATION_DEPTH = 4;
const MAX_IPV6_EXTENSION_HEADERS = 12;

export type TcpFollowPredicate = (srcPort: number, dstPort: number) => boolean;

/**
 * Decodes link layer -> IP (with fragment reassembly) -> tunnels -> UDP/TCP and hands payloads to
 * the sink. Works on offsets into the frame buffer; the only per-packet objects are the datagram
 * handed to the sink and its payload view.
 */
export class NetworkDecoder {
  private readonly endpoints = new EndpointCache();
  private readonly inner: InnerPacket = { offset: 0 };

  constructor(
    private readonly sink: PacketSink,
    private readonly counters: PacketCounters,
    private readonly fragments: IpFragmentReassembler,
    private readonly tcp: TcpStreamReassembler,
    private readonly followTcp: TcpFollowPredicate | null,
  ) {}

  frame(linkType: number, buf: Buffer, ts: Micros): Outcome {
    const end = buf.length;
    switch (linkType) {
      case LinkType.ethernet:
        return this.ethernet(buf, 0, end, ts, 0);
      case LinkType.linuxSll:
        // 16 bytes: packet type, ARPHRD type, address length, 8 address bytes, protocol.
        if (end < 16) return MALFORMED;
        return this.network(buf.readUInt16BE(14), buf, 16, end, ts, 0);
      case LinkType.linuxSll2:
        // 20 bytes, protocol first: protocol, reserved, interface index, ARPHRD, packet type, address.
        if (end < 20) return MALFORMED;
        return this.network(buf.readUInt16BE(0), buf, 20, end, ts, 0);
      case LinkType.raw:
      case LinkType.rawIpOpenBsd:
      case LinkType.rawIpBsdOs:
        return this.network(INNER_RAW_IP, buf, 0, end, ts, 0);
      case LinkType.ipv4:
        return this.network(ETHERTYPE_IPV4, buf, 0, end, ts, 0);
      case LinkType.ipv6:
        return this.network(ETHERTYPE_IPV6, buf, 0, end, ts, 0);
      case LinkType.null:
      case LinkType.loop:
        // A 4-byte address family in the capturing host's byte order (LOOP: network order); the IP
        // version nibble is the reliable way to tell IPv4 from the many AF_INET6 values.
        if (end < 4) return MALFORMED;
        return this.network(INNER_RAW_IP, buf, 4, end, ts, 0);
      default:
        return IGNORED;
    }
  }

  private ethernet(buf: Buffer, offset: number, end: number, ts: Micros, depth: number): Outcome {
    if (end - offset < 14) return MALFORMED;
    let at = offset + 12;
    let type = buf.readUInt16BE(at);
    // 802.1Q and QinQ tags (0x88a8 and the pre-standard 0x9100/0x9200), stacked any number of times.
    while (type === 0x8100 || type === 0x88a8 || type === 0x9100 || type === 0x9200) {
      at += 4;
      if (at + 2 > end) return MALFORMED;
      type = buf.readUInt16BE(at);
    }
    return this.network(type, buf, at + 2, end, ts, depth);
  }

  private network(protocol: number, buf: Buffer, offset: number, end: number, ts: Micros, depth: number): Outcome {
    if (protocol === INNER_RAW_IP) {
      if (offset >= end) return MALFORMED;
      const version = buf[offset] >> 4;
      if (version === 4) protocol = ETHERTYPE_IPV4;
      else if (version === 6) protocol = ETHERTYPE_IPV6;
      else return MALFORMED;
    }
    if (protocol === ETHERTYPE_IPV4) return this.ipv4(buf, offset, end, ts, depth);
    if (protocol === ETHERTYPE_IPV6) return this.ipv6(buf, offset, end, ts, depth);
    return IGNORED; // ARP, LLDP, 802.3 length fields, …
  }

  private ipv4(buf: Buffer, offset: number, end: number, ts: Micros, depth: number): Outcome {
    if (end - offset < 20 || buf[offset] >> 4 !== 4) return MALFORMED;
    const headerLength = (buf[offset] & 0x0f) * 4;
    let totalLength = buf.readUInt16BE(offset + 2);
    // Zero appears in captures of outgoing TCP segmentation offload: the frame is the packet.
    if (totalLength === 0) totalLength = end - offset;
    if (headerLength < 20 || totalLength < headerLength || offset + totalLength > end) return MALFORMED;
    const fragmentField = buf.readUInt16BE(offset + 6);
    const protocol = buf[offset + 9];
    const payloadStart = offset + headerLength;
    const ipEnd = offset + totalLength; // anything after is link-layer padding
    if ((fragmentField & 0x3fff) === 0) {
      return this.transport(protocol, 4, buf, offset + 12, buf, payloadStart, ipEnd, ts, depth);
    }
    const flow = buf.toString('latin1', offset + 12, offset + 20);
    const key = `4${flow}${protocol}:${buf.readUInt16BE(offset + 4)}`;
    const whole = this.fragments.add(
      key,
      flow,
      ts,
      (fragmentField & 0x1fff) * 8,
      buf.subarray(payloadStart, ipEnd),
      (fragmentField & 0x2000) !== 0,
      protocol,
    );
    if (whole === null) return DECODED; // waiting for the other fragments (or counted as malformed)
    return this.transport(protocol, 4, buf, offset + 12, whole, 0, whole.length, ts, depth);
  }

  private ipv6(buf: Buffer, offset: number, end: number, ts: Micros, depth: number): Outcome {
    if (end - offset < 40 || buf[offset] >> 4 !== 6) return MALFORMED;
    const payloadLength = buf.readUInt16BE(offset + 4);
    // Zero: a jumbogram or a segmentation-offload capture; either way the frame bounds the packet.
    const ipEnd = payloadLength === 0 ? end : offset + 40 + payloadLength;
    if (ipEnd > end) return MALFORMED;
    return this.ipv6Headers(buf[offset + 6], buf, offset, buf, offset + 40, ipEnd, ts, depth, true);
  }

  /**
   * Walks IPv6 extension headers from `next` at data[at] to the upper-layer protocol. `header` is the
   * fixed header (for addresses); after reassembly `data` is the reassembled payload instead.
   */
  private ipv6Headers(
    next: number,
    header: Buffer,
    headerAt: number,
    data: Buffer,
    at: number,
    end: number,
    ts: Micros,
    depth: number,
    mayFragment: boolean,
  ): Outcome {
    for (let count = 0; count < MAX_IPV6_EXTENSION_HEADERS; count++) {
      if (next === PROTO_HOP_BY_HOP || next === PROTO_ROUTING || next === PROTO_DEST_OPTIONS || next === PROTO_AH) {
        if (end - at < 8) return MALFORMED;
        const length = next === PROTO_AH ? (data[at + 1] + 2) * 4 : (data[at + 1] + 1) * 8;
        next = data[at];
        at += length;
        if (at > end) return MALFORMED;
      } else if (next === PROTO_FRAGMENT) {
        if (end - at < 8 || !mayFragment) return MALFORMED;
        const fragmentNext = data[at];
        const offsetField = data.readUInt16BE(at + 2);
        const fragmentOffset = offsetField & 0xfff8;
        const more = (offsetField & 1) !== 0;
        if (fragmentOffset === 0 && !more) {
          next = fragmentNext; // an atomic fragment (RFC 6946) is a whole packet
          at += 8;
          continue;
        }
        const flow = header.toString('latin1', headerAt + 8, headerAt + 40);
        const key = `6${flow}${data.readUInt32BE(at + 4)}`;
        const payload = data.subarray(at + 8, end);
        const protocol = fragmentOffset === 0 ? fragmentNext : -1;
        const whole = this.fragments.add(key, flow, ts, fragmentOffset, payload, more, protocol);
        if (whole === null) return DECODED;
        const completedNext = this.fragments.completedProtocol;
        if (completedNext < 0) return MALFORMED;
        return this.ipv6Headers(completedNext, header, headerAt, whole, 0, whole.length, ts, depth, false);
      } else if (next === PROTO_NO_NEXT) {
        return IGNORED;
      } else {
        return this.transport(next, 6, header, headerAt + 8, data, at, end, ts, depth);
      }
    }
    return MALFORMED;
  }

  /** UDP, TCP and the tunnels we follow. Addresses are read from `addresses` (IP header), payload from `data`. */
  private transport(
    protocol: number,
    ipVersion: 4 | 6,
    addresses: Buffer,
    sourceAt: number,
    data: Buffer,
    at: number,
    end: number,
    ts: Micros,
    depth: number,
  ): Outcome {
    if (protocol === PROTO_UDP || protocol === PROTO_TCP) {
      // Both start with the two ports; the rest of each header is checked by its own decoder.
      if (end - at < 8) return MALFORMED;
      const srcPort = data.readUInt16BE(at);
      const dstPort = data.readUInt16BE(at + 2);
      if (protocol === PROTO_TCP && this.followTcp !== null && !this.followTcp(srcPort, dstPort)) return IGNORED;
      const src = this.endpoint(ipVersion, addresses, sourceAt, srcPort);
      const dst = this.endpoint(ipVersion, addresses, sourceAt + (ipVersion === 4 ? 4 : 16), dstPort);
      return protocol === PROTO_UDP
        ? this.udp(src, dst, data, at, end, ts)
        : this.tcpSegment(src, dst, data, at, end, ts);
    }
    if (protocol !== PROTO_GRE && protocol !== PROTO_IPIP && protocol !== PROTO_IPV6) return IGNORED;
    if (depth >= MAX_ENCAPSULATION_DEPTH) return MALFORMED;
    if (protocol === PROTO_IPIP) return this.ipv4(data, at, end, ts, depth + 1);
    if (protocol === PROTO_IPV6) return this.ipv6(data, at, end, ts, depth + 1);
    const inner = decodeGre(data, at, end, this.inner);
    if (inner < 0) return inner === TUNNEL_MALFORMED ? MALFORMED : IGNORED;
    const innerAt = this.inner.offset;
    if (inner === ETHERTYPE_TRANSPARENT_ETHERNET) return this.ethernet(data, innerAt, end, ts, depth + 1);
    return this.network(inner, data, innerAt, end, ts, depth + 1);
  }

  private udp(src: Endpoint, dst: Endpoint, data: Buffer, at: number, end: number, ts: Micros): Outcome {
    const length = data.readUInt16BE(at + 4);
    // Length 0 only happens for IPv6 jumbograms; otherwise it must fit inside the IP payload.
    const udpEnd = length === 0 ? end : at + length;
    if (length !== 0 && (length < 8 || udpEnd > end)) return MALFORMED;
    this.sink.udp({ ts, src, dst, payload: data.subarray(at + 8, udpEnd) });
    return DECODED;
  }

  private tcpSegment(src: Endpoint, dst: Endpoint, data: Buffer, at: number, end: number, ts: Micros): Outcome {
    if (end - at < 20) return MALFORMED;
    const headerLength = (data[at + 12] >> 4) * 4;
    if (headerLength < 20 || at + headerLength > end) return MALFORMED;
    this.tcp.segment(src, dst, ts, data.readUInt32BE(at + 4), data[at + 13], data.subarray(at + headerLength, end));
    return DECODED;
  }

  private endpoint(ipVersion: 4 | 6, addresses: Buffer, at: number, port: number): Endpoint {
    return ipVersion === 4 ? this.endpoints.ipv4(addresses, at, port) : this.endpoints.ipv6(addresses, at, port);
  }
}
