import type { Endpoint, Micros, PacketSink, TcpBytes, UdpDatagram } from '../packet/packet-types';
import type { PacketClock } from './file-media-log';

/**
 * Passes packets on to the call assembler and notes their capture time: the spool stamps each
 * media generation with it (to place an interrupted call in time), and the end of input closes
 * the calls still up at the last packet's time.
 */
export class ClockedSink implements PacketSink {
  latestUs = 0;

  constructor(
    private readonly target: PacketSink,
    readonly clock: PacketClock,
  ) {}

  udp(datagram: UdpDatagram): void {
    this.tick(datagram.ts);
    this.target.udp(datagram);
  }

  tcp(data: TcpBytes): void {
    this.tick(data.ts);
    this.target.tcp(data);
  }

  tcpClosed(src: Endpoint, dst: Endpoint, ts: Micros): void {
    this.target.tcpClosed?.(src, dst, ts);
  }

  private tick(ts: Micros): void {
    this.clock.nowUs = ts;
    if (ts > this.latestUs) this.latestUs = ts;
  }
}
