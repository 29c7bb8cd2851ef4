// The contract between packet input (pcap files, live libpcap, link layers, IP/TCP reassembly,
// tunnels) and what understands calls (SIP, SDP, RTP). Packet input hands over transport payloads
// only; it knows nothing of SIP.

export interface Endpoint {
  /** Dotted IPv4 or canonical lower-case IPv6 (RFC 5952). */
  ip: string;
  port: number;
}

/** Capture time in microseconds since the Unix epoch (pcap timestamps are µs or ns resolution). */
export type Micros = number;

/** One UDP datagram, after IP fragment reassembly and tunnel (GRE/ERSPAN) decapsulation. */
export interface UdpDatagram {
  ts: Micros;
  src: Endpoint;
  dst: Endpoint;
  payload: Buffer;
}

/**
 * New in-order bytes of one direction of a TCP connection (retransmissions removed, gaps waited
 * for within a bound). Message framing (SIP Content-Length) is the consumer's job.
 */
export interface TcpBytes {
  ts: Micros;
  src: Endpoint;
  dst: Endpoint;
  bytes: Buffer;
}

/**
 * `payload` and `bytes` are views of the reader's buffer (reused for the next frame): valid only
 * during the call, copy what you keep. Endpoint objects are shared between packets and frozen.
 */
export interface PacketSink {
  udp(datagram: UdpDatagram): void;
  tcp(data: TcpBytes): void;
  /** A connection direction ended (FIN/RST) or was given up; consumers drop partial messages. */
  tcpClosed?(src: Endpoint, dst: Endpoint, ts: Micros): void;
}

/** Counters every stage keeps, reported in heartbeats and at the end of an offline run. */
export interface PacketCounters {
  frames: number;
  bytes: number;
  /** Frames that could not be parsed (truncated, bad header); counted, never thrown. */
  malformed: number;
  /** Frames of protocols we do not follow (ARP, ICMP, …). */
  ignored: number;
  ipFragments: number;
  ipReassembled: number;
  tcpRetransmissions: number;
  /** Kernel/interface drops reported by libpcap (live capture only). */
  kernelDrops: number;
  interfaceDrops: number;
}
