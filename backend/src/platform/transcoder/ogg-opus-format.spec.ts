import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  ByteReader,
  OggPageWriter,
  oggCrc32,
  readOggPackets,
  encodeOpusHead,
  joinMultistream,
  opusPacketSamples48k,
  parseOpusHead,
  parseOpusPacket,
  splitMultistream,
  toSelfDelimited,
} from '@appliance/audio-format';
import { CorruptAudioError } from './transcoder';
import { packetsOf, parsePages } from './testing/verify';

const frame = (n: number, fill: number) => Buffer.alloc(n, fill);

// Packets of every framing code (RFC 6716 §3.2), including lengths that need two bytes (>= 252).
const PACKETS: Record<string, Buffer> = {
  'code 0': Buffer.concat([Buffer.of(0x08 << 3), frame(40, 1)]),
  'code 0, DTX (empty frame)': Buffer.of(0x08 << 3),
  'code 0, 300-byte frame': Buffer.concat([Buffer.of(0x1f << 3), frame(300, 2)]),
  'code 1': Buffer.concat([Buffer.of((0x1f << 3) | 1), frame(260, 3), frame(260, 4)]),
  'code 2': Buffer.concat([Buffer.of((0x1f << 3) | 2, 252 + 1, 10), frame(293, 5), frame(17, 6)]),
  'code 3 CBR with padding': Buffer.concat([
    Buffer.of((0x1f << 3) | 3, 0x40 | 3, 255, 2),
    frame(3 * 30, 7),
    frame(256, 0),
  ]),
  'code 3 VBR': Buffer.concat([
    Buffer.of((0x1f << 3) | 3, 0x80 | 3, 20, 254, 189),
    frame(20, 8),
    frame(1010, 9),
    frame(400, 10),
  ]),
};

describe('Opus packet framing (RFC 6716)', () => {
  it.each(Object.entries(PACKETS))(
    '%s: self-delimited framing adds one length and splits back exactly',
    (_name, packet) => {
      const layout = parseOpusPacket(packet);
      const delimited = toSelfDelimited(packet);
      const lastLength = layout.frameLengths[layout.frameLengths.length - 1];
      expect(delimited.length).toBe(packet.length + (lastLength < 252 ? 1 : 2));
      // Followed by other data, it still knows where it ends.
      const withTail = Buffer.concat([delimited, Buffer.from('next stream')]);
      expect(parseOpusPacket(withTail, true).totalLength).toBe(delimited.length);
      expect(parseOpusPacket(withTail, true).frameLengths).toEqual(layout.frameLengths);
    },
  );

  it('joins and splits a two-stream packet of any framing', () => {
    for (const a of Object.values(PACKETS)) {
      for (const b of Object.values(PACKETS)) {
        const [x, y] = splitMultistream(joinMultistream([a, b]), 2);
        expect(x.equals(a)).toBe(true);
        expect(y.equals(b)).toBe(true);
      }
    }
  });

  it('reads the duration from the TOC byte', () => {
    expect(opusPacketSamples48k(PACKETS['code 0'])).toBe(480); // SILK WB 10 ms
    expect(opusPacketSamples48k(Buffer.of((0x09 << 3) | 0))).toBe(960); // SILK WB 20 ms
    expect(opusPacketSamples48k(Buffer.of((0x0b << 3) | 1))).toBe(2 * 2880); // 2 × 60 ms
    expect(opusPacketSamples48k(PACKETS['code 3 VBR'])).toBe(3 * 960); // CELT FB 20 ms × 3
  });

  it('refuses packets whose lengths do not add up', () => {
    expect(() => parseOpusPacket(Buffer.of((0x1f << 3) | 1, 1, 2, 3))).toThrow(CorruptAudioError);
    expect(() => parseOpusPacket(Buffer.of((0x1f << 3) | 2, 200, 1))).toThrow(CorruptAudioError);
    expect(() => parseOpusPacket(Buffer.of((0x1f << 3) | 3, 0))).toThrow(CorruptAudioError);
  });
});

describe('OpusHead', () => {
  it('writes two uncoupled streams as mapping family 1 and reads them back', () => {
    const head = {
      channels: 2,
      preSkip: 312,
      inputSampleRate: 8000,
      outputGain: 0,
      mappingFamily: 1,
      streamCount: 2,
      coupledCount: 0,
      mapping: [0, 1],
    };
    const bytes = encodeOpusHead(head);
    expect(bytes.length).toBe(23);
    expect(bytes.toString('latin1', 0, 8)).toBe('OpusHead');
    expect([...bytes.subarray(18)]).toEqual([1, 2, 0, 0, 1]);
    expect(parseOpusHead(bytes)).toEqual(head);
  });
});

describe('Ogg pages (RFC 3533)', () => {
  it('computes the Ogg CRC (poly 0x04c11db7, unreflected) like a bit-by-bit reference', () => {
    const data = randomBytes(1000);
    let crc = 0;
    for (const byte of data) {
      crc ^= byte << 24;
      for (let i = 0; i < 8; i++) crc = crc & 0x80000000 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
    }
    expect(oggCrc32(data)).toBe(crc >>> 0);
    expect(oggCrc32(Buffer.from('123456789'))).toBe(0x89a1897f); // CRC-32/MPEG-2 would be 0x0376e6e7: Ogg has init 0
  });

  it('writes pages that read back packet for packet, across sizes and page cuts', async () => {
    const writer = new OggPageWriter(0x1234, 1000);
    const sizes = [0, 1, 254, 255, 256, 510, 600, 999, 40, 40, 40];
    const packets = sizes.map((n, i) => randomBytes(n).fill(i, 0, Math.min(n, 1)));
    const bytes = [writer.headerPage(Buffer.from('OpusHead-like'), true)];
    packets.forEach((p, i) => bytes.push(...writer.push(p, (i + 1) * 960)));
    bytes.push(writer.end(packets.length * 960 - 100));
    const file = Buffer.concat(bytes);

    const pages = parsePages(file);
    expect(pages.every((p) => p.crcOk)).toBe(true);
    expect(pages.map((p) => p.sequence)).toEqual(pages.map((_, i) => i));
    expect(pages[0].flags).toBe(2);
    expect(pages[pages.length - 1].flags).toBe(4);
    expect(pages[pages.length - 1].granule).toBe(BigInt(packets.length * 960 - 100));
    expect(packetsOf(pages).slice(1)).toEqual(packets);

    const read = [];
    for await (const p of readOggPackets(new ByteReader(Readable.from([file.subarray(0, 7), file.subarray(7)]))))
      read.push(p);
    expect(read.slice(1).map((p) => p.data)).toEqual(packets);
    expect(read[read.length - 1]).toMatchObject({ eos: true, granule: packets.length * 960 - 100 });
  });

  it('refuses a page whose CRC does not match', async () => {
    const writer = new OggPageWriter(1);
    const page = writer.headerPage(Buffer.from('hello'), true);
    page[page.length - 1] ^= 1;
    const read = readOggPackets(new ByteReader(Readable.from([page])));
    await expect(read.next()).rejects.toThrow(/CRC mismatch/);
  });
});
