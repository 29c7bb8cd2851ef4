import { Endpoint, Micros, TcpBytes } from '../packet/packet-types';
import { FramerProblem, SipStreamFramer } from '../sip/sip-stream-framer';

// One SIP stream framer per TCP connection direction. Connections without a FIN (a capture that
// starts or ends mid-connection) would otherwise pile up, so the number followed is bounded and
// the least recently active one is dropped first.

export interface SipTransportCounters {
  tcpSipJunkBytes: number;
  tcpSipOversized: number;
  tcpConnectionsEvicted: number;
  /** TCP directions given up on because they carry another protocol. */
  tcpNotSip: number;
  webSocketErrors: number;
}

const MAX_CONNECTIONS = 10_000;

type SipBytesHandler = (message: Buffer, ts: Micros, src: Endpoint, dst: Endpoint) => void;

export class SipTransports {
  readonly counters: SipTransportCounters = {
    tcpSipJunkBytes: 0,
    tcpSipOversized: 0,
    tcpConnectionsEvicted: 0,
    tcpNotSip: 0,
    webSocketErrors: 0,
  };
  // Map iteration order is insertion order; re-inserting on use keeps the oldest first.
  private readonly framers = new Map<string, SipStreamFramer>();
  private current: TcpBytes | null = null;

  constructor(private readonly onMessage: SipBytesHandler) {}

  private static key(src: Endpoint, dst: Endpoint): string {
    return `${src.ip}|${src.port}|${dst.ip}|${dst.port}`;
  }

  tcp(data: TcpBytes): void {
    const key = SipTransports.key(data.src, data.dst);
    let framer = this.framers.get(key);
    if (framer) {
      this.framers.delete(key);
    } else {
      if (this.framers.size >= MAX_CONNECTIONS) {
        const oldest = this.framers.keys().next().value as string;
        this.framers.delete(oldest);
        this.counters.tcpConnectionsEvicted++;
      }
      framer = new SipStreamFramer(
        (message) => {
          const at = this.current;
          if (at) this.onMessage(message, at.ts, at.src, at.dst);
        },
        (problem, bytes) => this.onProblem(problem, bytes),
      );
    }
    this.framers.set(key, framer);
    this.current = data;
    try {
      framer.push(data.bytes);
    } finally {
      this.current = null;
    }
  }

  closed(src: Endpoint, dst: Endpoint): void {
    this.framers.delete(SipTransports.key(src, dst));
  }

  private onProblem(problem: FramerProblem, bytes: number): void {
    if (problem === 'junk') this.counters.tcpSipJunkBytes += bytes;
    else if (problem === 'oversized') this.counters.tcpSipOversized++;
    else if (problem === 'notSip') this.counters.tcpNotSip++;
    else this.counters.webSocketErrors++;
  }
}
