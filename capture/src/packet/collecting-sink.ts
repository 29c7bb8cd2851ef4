import type { Endpoint, Micros, PacketSink, TcpBytes, UdpDatagram } from './packet-types';

export function endpointText(endpoint: Endpoint): string {
  return endpoint.ip.includes(':') ? `[${endpoint.ip}]:${endpoint.port}` : `${endpoint.ip}:${endpoint.port}`;
}

export function directionText(src: Endpoint, dst: Endpoint): string {
  return `${endpointText(src)}>${endpointText(dst)}`;
}

/**
 * A PacketSink that keeps everything it is given (copied, since the pipeline's buffers are only
 * valid during the call): for tests and for tools that inspect a small capture.
 */
export class CollectingSink implements PacketSink {
  readonly datagrams: UdpDatagram[] = [];
  readonly tcpChunks: TcpBytes[] = [];
  readonly closed: { direction: string; ts: Micros }[] = [];

  udp(datagram: UdpDatagram): void {
    this.datagrams.push({ ...datagram, payload: Buffer.from(datagram.payload) });
  }

  tcp(data: TcpBytes): void {
    this.tcpChunks.push({ ...data, bytes: Buffer.from(data.bytes) });
  }

  tcpClosed(src: Endpoint, dst: Endpoint, ts: Micros): void {
    this.closed.push({ direction: directionText(src, dst), ts });
  }

  /** All bytes delivered for each TCP direction ("ip:port>ip:port"), in delivery order. */
  tcpStreams(): Map<string, Buffer> {
    const parts = new Map<string, Buffer[]>();
    for (const chunk of this.tcpChunks) {
      const key = directionText(chunk.src, chunk.dst);
      const list = parts.get(key) ?? [];
      list.push(chunk.bytes);
      parts.set(key, list);
    }
    return new Map([...parts].map(([key, list]) => [key, Buffer.concat(list)]));
  }
}
