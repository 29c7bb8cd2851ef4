import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { readCaptureFile } from './capture-file';
import { LinkType } from './capture-frame';
import { PacketPipeline } from './packet-pipeline';
import type { PacketSink } from './packet-types';
import {
  erspan2,
  ethernetFrame,
  greHeader,
  IP_PROTO_GRE,
  IP_PROTO_TCP,
  IP_PROTO_UDP,
  ipv4Fragments,
  ipv4Packet,
  ipv6Fragments,
  ipv6Packet,
  linuxSll2Frame,
  linuxSllFrame,
  nullLoopbackFrame,
  TCP_FLAGS,
  tcpSegment,
  udpDatagram,
} from './pcap-writer';

// Feeds mutations of real frames (../shared/pcaps when present, plus generated frames of every
// kind we decode) through PacketPipeline: it must never throw, never hand out impossible
// payloads, and keep its memory bounded. FUZZ_FRAMES sets the count (default 1,000,000); the
// seed is printed so a failure can be replayed with FUZZ_SEED.
const FRAMES = Number(process.env['FUZZ_FRAMES'] ?? 1_000_000);
const SEED = Number(process.env['FUZZ_SEED'] ?? Date.now() % 1_000_000_007);
const PCAPS = join(__dirname, '../../../../shared/pcaps');

interface CorpusFrame {
  linkType: number;
  data: Buffer;
}

async function realFrames(): Promise<CorpusFrame[]> {
  if (!existsSync(PCAPS)) return [];
  const frames: CorpusFrame[] = [];
  for (const name of readdirSync(PCAPS).filter((n) => /\.pcap(ng)?$/.test(n))) {
    await readCaptureFile(join(PCAPS, name), {
      frame: (f) => frames.push({ linkType: f.linkType, data: Buffer.from(f.data) }),
      malformedFrame: () => undefined,
    });
  }
  return frames;
}

function generatedFrames(): CorpusFrame[] {
  const sip = Buffer.from('INVITE sip:1@2 SIP/2.0\r\nContent-Length: 4\r\n\r\nv=0\n');
  const udp = udpDatagram(5060, 5060, sip);
  const v4 = ipv4Packet({ src: '10.0.0.1', dst: '10.0.0.2', protocol: IP_PROTO_UDP, payload: udp });
  const v6 = ipv6Packet({
    src: '2001:db8::1',
    dst: '2001:db8::2',
    nextHeader: IP_PROTO_UDP,
    payload: udp,
    extensionHeaders: [{ type: 0 }, { type: 60 }],
  });
  const tcp = (seq: number, flags: number) =>
    ipv4Packet({
      src: '10.0.0.1',
      dst: '10.0.0.2',
      protocol: IP_PROTO_TCP,
      payload: tcpSegment({ srcPort: 40000, dstPort: 5060, seq, flags, payload: sip }),
    });
  const eth = (payload: Buffer, etherType = 0x0800) =>
    ethernetFrame({
      etherType,
      payload,
      vlans: [
        { tpid: 0x88a8, id: 1 },
        { tpid: 0x8100, id: 2 },
      ],
    });
  const big = udpDatagram(5060, 5060, Buffer.alloc(4000, 0x41));
  const gre = ipv4Packet({ src: '10.1.0.1', dst: '10.1.0.2', protocol: IP_PROTO_GRE, payload: erspan2(eth(v4)) });
  const greV6 = ipv4Packet({
    src: '10.1.0.1',
    dst: '10.1.0.2',
    protocol: IP_PROTO_GRE,
    payload: Buffer.concat([greHeader({ protocol: 0x86dd, key: 5 }), v6]),
  });
  return [
    ...[
      eth(v4),
      eth(v6, 0x86dd),
      eth(gre),
      eth(greV6),
      eth(tcp(1, TCP_FLAGS.syn)),
      eth(tcp(2, TCP_FLAGS.ack)),
      eth(tcp(80, TCP_FLAGS.fin)),
    ].map((data) => ({ linkType: LinkType.ethernet, data })),
    ...ipv4Fragments({ src: '10.0.0.1', dst: '10.0.0.2', protocol: IP_PROTO_UDP, payload: big, id: 3 }, 1480).map(
      (data) => ({ linkType: LinkType.raw, data }),
    ),
    ...ipv6Fragments({ src: '2001:db8::1', dst: '2001:db8::2', nextHeader: IP_PROTO_UDP, payload: big }, 1400).map(
      (data) => ({ linkType: LinkType.ipv6, data }),
    ),
    { linkType: LinkType.linuxSll, data: linuxSllFrame(0x0800, v4) },
    { linkType: LinkType.linuxSll2, data: linuxSll2Frame(0x86dd, v6) },
    { linkType: LinkType.null, data: nullLoopbackFrame(2, v4) },
  ];
}

/** xorshift32: fast, and the same seed gives the same run. */
function prng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
}

const EXTREMES_16 = [0x0000, 0x0001, 0x0005, 0x0008, 0x0014, 0x2000, 0x3fff, 0x7fff, 0x8000, 0xfffe, 0xffff];
const LINK_TYPES = [0, 1, 12, 101, 113, 228, 229, 276];

/** Applies one random mutation to scratch[0, length) and returns the new length. */
function mutate(scratch: Buffer, length: number, random: () => number): number {
  const kind = random() % 6;
  if (kind === 0) {
    for (let flips = 1 + (random() % 8); flips > 0; flips--) scratch[random() % length] ^= 1 << (random() % 8);
  } else if (kind === 1) {
    length = random() % (length + 1); // truncation, down to nothing
  } else if (kind === 2) {
    const extra = random() % 256; // random bytes appended (a longer frame than the headers say)
    for (let i = 0; i < extra && length < scratch.length; i++) scratch[length++] = random() & 0xff;
  } else if (kind === 3 || kind === 4) {
    // A header field set to an extreme: the first 80 bytes hold link, IP and transport headers.
    const at = random() % Math.max(1, Math.min(length - 1, 80));
    if (at + 2 <= length) scratch.writeUInt16BE(EXTREMES_16[random() % EXTREMES_16.length], at);
  } else {
    for (let i = 0; i < length; i++) scratch[i] = random() & 0xff;
  }
  return length;
}

function gcFunction(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

describe('PacketPipeline fuzz', () => {
  jest.setTimeout(120_000);

  it(`survives ${FRAMES.toLocaleString('en')} mutated frames without a throw and with bounded memory`, async () => {
    const generated = generatedFrames();
    const corpus = [...(await realFrames()), ...generated];
    const random = prng(SEED);
    let impossible = 0;
    let delivered = 0;
    const sink: PacketSink = {
      udp: (d) => {
        delivered++;
        if (d.payload.length > 65_535 || d.src.port > 65_535 || d.dst.port > 65_535) impossible++;
      },
      tcp: (t) => {
        delivered++;
        if (t.bytes.length === 0 || t.bytes.length > 262_144) impossible++;
      },
      tcpClosed: () => undefined,
    };
    const pipeline = new PacketPipeline(sink);
    const gc = gcFunction();
    const scratch = Buffer.alloc(262_144 + 256);
    const frame = { linkType: 1, ts: 1_700_000_000_000_000, data: scratch, originalLength: 0 };
    let throws = 0;
    let heapBefore = 0;
    const started = Date.now();
    for (let i = 0; i < FRAMES; i++) {
      if (i === 50_000) {
        gc();
        heapBefore = process.memoryUsage().heapUsed; // after warm-up: caches and code are in place
      }
      // Generated frames (fragment trains, TCP, tunnels) are few: give them a third of the draws.
      const original = random() % 3 === 0 ? generated[random() % generated.length] : corpus[random() % corpus.length];
      original.data.copy(scratch);
      const length = mutate(scratch, original.data.length, random);
      frame.linkType = random() % 20 === 0 ? LINK_TYPES[random() % LINK_TYPES.length] : original.linkType;
      // Mostly forward in time, sometimes a jump (expiry sweeps) or a step back (clock changes).
      frame.ts += random() % 50 === 0 ? (random() % 60_000_000) - 10_000_000 : 20_000;
      frame.data = scratch.subarray(0, length);
      frame.originalLength = length;
      try {
        pipeline.push(frame);
      } catch {
        throws++;
      }
    }
    gc();
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `fuzz seed ${SEED}: ${FRAMES} frames in ${seconds.toFixed(1)} s, delivered ${delivered}, ` +
        `counters ${JSON.stringify(pipeline.counters)}, heap growth ${(heapGrowth / 1048576).toFixed(1)} MiB, ` +
        `decoder errors ${pipeline.decoderErrors}, pending fragments ${pipeline.fragments.pendingDatagrams}, TCP directions ${pipeline.tcp.trackedDirections}`,
    );
    expect(throws).toBe(0);
    expect(pipeline.lastDecoderError).toBeNull(); // no exception even inside: every bound is checked
    expect(pipeline.sinkErrors).toBe(0);
    expect(impossible).toBe(0);
    expect(pipeline.counters.frames).toBe(FRAMES);
    expect(pipeline.counters.malformed).toBeGreaterThan(FRAMES / 10); // the mutations did bite
    expect(delivered).toBeGreaterThan(FRAMES / 10); // and plenty still decoded
    // Reassembly state is capped (16 MiB of fragments, 256 KiB x directions of TCP, but in
    // practice far less here): the heap must not keep growing with the number of frames.
    expect(heapGrowth).toBeLessThan(64 * 1048576);
  });
});
