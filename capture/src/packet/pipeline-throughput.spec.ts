import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCaptureFile } from './capture-file';
import { LinkType } from './capture-frame';
import { PacketPipeline } from './packet-pipeline';
import type { PacketSink } from './packet-types';
import { ethernetFrame, IP_PROTO_UDP, ipv4Packet, PcapFileWriter, udpDatagram } from './pcap-writer';

// Measures (and prints) how many frames per second PacketPipeline decodes on an RTP capture:
// 100,000 G.711 packets of 50 calls in both directions, 20 ms apart per stream. No timing is
// asserted (the machine is shared); what is asserted is that every packet came out.
const PACKETS = Number(process.env['THROUGHPUT_PACKETS'] ?? 100_000);
const CALLS = 50;

function writeRtpCapture(path: string): number {
  const writer = new PcapFileWriter(path, { linkType: LinkType.ethernet });
  const payload = Buffer.alloc(172); // 12-byte RTP header + 160 bytes of G.711 (20 ms)
  payload[0] = 0x80;
  payload[1] = 8; // PCMA
  const streams = CALLS * 2;
  const frames = Array.from({ length: streams }, (_, stream) => {
    const call = stream >> 1;
    const caller = `10.1.${call >> 8}.${call & 0xff}`;
    const callee = `10.2.${call >> 8}.${call & 0xff}`;
    const [src, dst] = stream % 2 ? [callee, caller] : [caller, callee];
    const port = 20_000 + call * 2;
    const ip = ipv4Packet({ src, dst, protocol: IP_PROTO_UDP, payload: udpDatagram(port, port, payload) });
    return ethernetFrame({ etherType: 0x0800, payload: ip });
  });
  for (let i = 0; i < PACKETS; i++) {
    const stream = i % streams;
    const tick = Math.floor(i / streams);
    const frame = frames[stream];
    frame.writeUInt16BE(tick & 0xffff, 14 + 28 + 2); // RTP sequence number
    writer.writeFrame(1_700_000_000_000_000 + tick * 20_000 + stream * 100, frame);
  }
  writer.close();
  return writer.framesWritten;
}

describe('PacketPipeline throughput', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'pipeline-throughput-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`decodes a generated ${PACKETS.toLocaleString('en')}-packet RTP pcap completely (rate printed)`, async () => {
    const path = join(dir, 'rtp.pcap');
    expect(writeRtpCapture(path)).toBe(PACKETS);
    let datagrams = 0;
    let payloadBytes = 0;
    const sink: PacketSink = {
      udp: (d) => {
        datagrams++;
        payloadBytes += d.payload.length;
      },
      tcp: () => undefined,
    };
    const rates: string[] = [];
    for (let run = 0; run < 3; run++) {
      // Decoding alone: frames read beforehand, as libpcap would hand them over.
      const frames: Buffer[] = [];
      await readCaptureFile(path, { frame: (f) => frames.push(Buffer.from(f.data)), malformedFrame: () => undefined });
      const pipeline = new PacketPipeline(sink);
      const frame = { linkType: LinkType.ethernet, ts: 1_700_000_000_000_000, data: frames[0], originalLength: 0 };
      datagrams = 0;
      let started = process.hrtime.bigint();
      for (const data of frames) {
        frame.data = data;
        frame.ts += 200;
        pipeline.push(frame);
      }
      const decodeSeconds = Number(process.hrtime.bigint() - started) / 1e9;
      expect(datagrams).toBe(PACKETS);
      // File to sink: streaming read of the pcap plus decoding.
      const fromFile = new PacketPipeline(sink);
      datagrams = 0;
      started = process.hrtime.bigint();
      await readCaptureFile(path, fromFile);
      const fileSeconds = Number(process.hrtime.bigint() - started) / 1e9;
      expect(datagrams).toBe(PACKETS);
      expect(fromFile.counters).toMatchObject({ frames: PACKETS, malformed: 0, ignored: 0 });
      rates.push(
        `run ${run + 1}: decode ${Math.round(PACKETS / decodeSeconds).toLocaleString('en')} frames/s, ` +
          `file+decode ${Math.round(PACKETS / fileSeconds).toLocaleString('en')} frames/s`,
      );
    }
    expect(payloadBytes).toBe(PACKETS * 172 * 3 * 2);
    const megabytes = (statSync(path).size / 1048576).toFixed(1);
    console.log(`PacketPipeline on ${PACKETS} RTP packets (${megabytes} MiB pcap):\n${rates.join('\n')}`);
  });
});
