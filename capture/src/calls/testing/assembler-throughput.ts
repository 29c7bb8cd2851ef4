import { performance } from 'node:perf_hooks';
import { UdpDatagram } from '../../packet/packet-types';
import { CallAssembler } from '../call-assembler';
import { CallMediaLog, InMemoryMediaLog, MediaGeneration } from '../media-log';
import { DialogSimulator } from './dialog-simulator';

// Measures RTP packets/s through the call assembler: N concurrent G.711 calls, 20 ms packets in
// both directions, interleaved as a switch port would deliver them. Each call's packet buffer is
// rewritten in place per packet (as a capture reader reuses its buffer), so the time measured is
// the assembler's: routing, RTP parsing, statistics and the append to the media log.

export interface ThroughputOptions {
  calls: number;
  seconds: number;
  /** 'memory' copies payloads into the in-memory log; 'discard' measures parse + pair only. */
  log: 'memory' | 'discard';
}

export interface ThroughputResult {
  packets: number;
  matched: number;
  elapsedMs: number;
  packetsPerSecond: number;
  /** The same loop with a no-op sink: what the packet rewriting itself costs. */
  baselineMs: number;
  heapUsedMb: number;
}

/** A log that keeps nothing: for measuring everything but the storage of payloads. */
class DiscardingMediaLog implements CallMediaLog {
  readonly generations: MediaGeneration[] = [];
  bytes = 0;
  addGeneration(generation: MediaGeneration): number {
    return this.generations.push(generation) - 1;
  }
  append(_side: 0 | 1, _generation: number, _offset: number, _pt: number, payload: Uint8Array): boolean {
    this.bytes += payload.length;
    return true;
  }
  *records() {
    // nothing kept
  }
  release(): void {
    this.bytes = 0;
  }
}

function ipOf(index: number, side: number): string {
  return `10.${side + 1}.${(index >> 8) & 255}.${index & 255}`;
}

export function measureAssemblerThroughput(options: ThroughputOptions): ThroughputResult {
  const T0 = Date.UTC(2025, 0, 1) * 1000;
  const assembler = new CallAssembler(
    { mediaLogFactory: () => (options.log === 'memory' ? new InMemoryMediaLog() : new DiscardingMediaLog()) },
    () => undefined,
  );
  const packets: UdpDatagram[] = [];
  for (let i = 0; i < options.calls; i++) {
    const d = new DialogSimulator({
      callId: `bench-${i}`,
      caller: { number: `1${i}`, ip: ipOf(i, 0), rtpPort: 20000 + (i % 10000) * 2 },
      callee: { number: `2${i}`, ip: ipOf(i, 1), rtpPort: 30000 + (i % 10000) * 2 },
    });
    assembler.udp(d.invite(T0 + i));
    assembler.udp(d.answer(T0 + 1000 + i));
    for (const from of ['caller', 'callee'] as const) {
      packets.push(
        d.rtp(T0, from, {
          sequence: 0,
          timestamp: 0,
          ssrc: i * 2 + (from === 'caller' ? 0 : 1),
          payload: Buffer.alloc(160, 0xd5),
        }),
      );
    }
  }
  const ticks = options.seconds * 50;
  const run = (sink: (d: UdpDatagram) => void) => {
    const started = performance.now();
    for (let tick = 0; tick < ticks; tick++) {
      const ts = T0 + 2_000_000 + tick * 20_000;
      for (const datagram of packets) {
        const payload = datagram.payload;
        payload.writeUInt16BE(tick & 0xffff, 2);
        payload.writeUInt32BE((tick * 160) >>> 0, 4);
        datagram.ts = ts;
        sink(datagram);
      }
    }
    return performance.now() - started;
  };
  let sinkCount = 0;
  const baselineMs = run(() => sinkCount++);
  const elapsedMs = run((d) => assembler.udp(d));
  const total = ticks * packets.length;
  const heapUsedMb = Math.round(process.memoryUsage().heapUsed / 1e6 + process.memoryUsage().arrayBuffers / 1e6);
  const matched = assembler.counters.rtpPackets;
  assembler.finish(T0 + 3_000_000 + ticks * 20_000);
  return {
    packets: total,
    matched,
    elapsedMs: Math.round(elapsedMs),
    packetsPerSecond: Math.round(total / (elapsedMs / 1000)),
    baselineMs: Math.round(baselineMs),
    heapUsedMb,
  };
}

if (require.main === module) {
  const [calls = '1000', seconds = '60', log = 'discard'] = process.argv.slice(2);
  const result = measureAssemblerThroughput({
    calls: Number(calls),
    seconds: Number(seconds),
    log: log as 'memory' | 'discard',
  });
  process.stdout.write(`${JSON.stringify({ calls: Number(calls), seconds: Number(seconds), log, ...result })}\n`);
}
