import { createSocket, type Socket } from 'node:dgram';
import type { UdpDatagram } from '../../packet/packet-types';

// Plays datagrams onto the loopback interface in real time, each from its own source port, so a
// live capture on `lo` sees them as a phone and a PBX would send them.

export class UdpPlayer {
  private readonly sockets = new Map<number, Socket>();

  private async socketFor(port: number): Promise<Socket> {
    let socket = this.sockets.get(port);
    if (!socket) {
      socket = createSocket('udp4');
      const bound = socket;
      await new Promise<void>((resolve, reject) => {
        bound.once('error', reject);
        bound.bind(port, '127.0.0.1', () => resolve());
      });
      this.sockets.set(port, socket);
    }
    return socket;
  }

  /** Sends the datagrams at their relative times; answers the wall time each was sent (ms). */
  async play(datagrams: UdpDatagram[]): Promise<number[]> {
    const ordered = [...datagrams].sort((a, b) => a.ts - b.ts);
    for (const d of ordered) await this.socketFor(d.src.port);
    const start = Date.now();
    const first = ordered[0]?.ts ?? 0;
    const sentAt: number[] = [];
    for (const d of ordered) {
      const due = start + (d.ts - first) / 1000;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const socket = this.sockets.get(d.src.port) as Socket;
      await new Promise<void>((resolve, reject) =>
        socket.send(d.payload, d.dst.port, d.dst.ip, (error) => (error ? reject(error) : resolve())),
      );
      sentAt.push(Date.now());
    }
    return sentAt;
  }

  close(): void {
    for (const socket of this.sockets.values()) socket.close();
    this.sockets.clear();
  }
}
