import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaptureFileDecoder, CaptureFileFormatError, readCaptureFile } from './capture-file';
import type { CaptureFrame, FrameHandler } from './capture-frame';
import { LinkType } from './capture-frame';
import { pcapFileBytes, pcapngFileBytes, type PcapngBlock } from './pcap-writer';

interface SeenFrame {
  linkType: number;
  ts: number;
  data: string;
  originalLength: number;
}

class RecordingHandler implements FrameHandler {
  frames: SeenFrame[] = [];
  malformed: string[] = [];
  frame(frame: CaptureFrame): void {
    this.frames.push({ ...frame, data: frame.data.toString('hex') });
  }
  malformedFrame(reason: string): void {
    this.malformed.push(reason);
  }
}

function decodeInChunks(bytes: Buffer, chunkSize: number): RecordingHandler {
  const handler = new RecordingHandler();
  const decoder = new CaptureFileDecoder(handler);
  for (let at = 0; at < bytes.length; at += chunkSize) decoder.write(bytes.subarray(at, at + chunkSize));
  decoder.end();
  return handler;
}

const TS = 1_700_000_000_123_456; // µs
const frames = [
  { ts: TS, data: Buffer.from('aabbccdd', 'hex') },
  { ts: TS + 20_000, data: Buffer.from('0102030405', 'hex'), originalLength: 1500 },
  { ts: TS + 40_001, data: Buffer.alloc(300, 7) },
];

describe('classic pcap', () => {
  it.each([
    ['µs, little-endian', { nanosecond: false, bigEndian: false }],
    ['µs, big-endian', { nanosecond: false, bigEndian: true }],
    ['ns, little-endian', { nanosecond: true, bigEndian: false }],
    ['ns, big-endian', { nanosecond: true, bigEndian: true }],
  ])('reads %s files with timestamps in µs and both lengths', (_name, format) => {
    const bytes = pcapFileBytes({ linkType: LinkType.linuxSll, ...format }, frames);
    const seen = decodeInChunks(bytes, 1 << 16);
    expect(seen.malformed).toEqual([]);
    expect(seen.frames).toEqual(
      frames.map((f) => ({
        linkType: LinkType.linuxSll,
        ts: f.ts,
        data: f.data.toString('hex'),
        originalLength: f.originalLength ?? f.data.length,
      })),
    );
  });

  it('gives the same frames whatever the chunk boundaries', () => {
    const bytes = pcapFileBytes({ linkType: LinkType.ethernet }, frames);
    const whole = decodeInChunks(bytes, bytes.length).frames;
    for (const size of [1, 2, 3, 7, 16, 17, 24, 25, 100]) expect(decodeInChunks(bytes, size).frames).toEqual(whole);
  });

  it('ends a truncated file cleanly with one malformed frame after the complete ones', () => {
    const bytes = pcapFileBytes({ linkType: LinkType.ethernet }, frames);
    for (const cut of [bytes.length - 1, bytes.length - 150, 24 + 16 + 4 + 3]) {
      const seen = decodeInChunks(bytes.subarray(0, cut), 10);
      expect(seen.malformed).toEqual(['capture file ends inside a record']);
      expect(seen.frames.length).toBe(cut === 24 + 16 + 4 + 3 ? 1 : 2);
    }
  });

  it('stops at a record with an absurd length, counting it once', () => {
    const bytes = pcapFileBytes({ linkType: LinkType.ethernet }, frames);
    bytes.writeUInt32LE(0x7fffffff, 24 + 16 + 4 + 8); // captured length of the second record
    const seen = decodeInChunks(bytes, 64);
    expect(seen.frames).toHaveLength(1);
    expect(seen.malformed).toEqual(['pcap record claims 2147483647 captured bytes']);
  });

  it('refuses what is not a capture file, naming the magic', () => {
    const decoder = new CaptureFileDecoder(new RecordingHandler());
    expect(() => decoder.write(Buffer.from('GET / HTTP/1.1\r\n'))).toThrow(
      new CaptureFileFormatError('not a pcap or pcapng file (starts with 0x47455420)'),
    );
    expect(() => new CaptureFileDecoder(new RecordingHandler()).end()).toThrow('the capture file is empty');
  });
});

describe('pcapng', () => {
  const ns = (micros: number) => BigInt(micros) * BigInt(1000);
  const blocks: PcapngBlock[] = [
    { kind: 'section' },
    { kind: 'interface', description: { linkType: LinkType.ethernet } },
    { kind: 'interface', description: { linkType: LinkType.linuxSll2, tsResolution: 9 } },
    { kind: 'custom', type: 0x00000bad, body: Buffer.alloc(40, 1) }, // unknown block: skipped
    { kind: 'packet', interfaceId: 0, timestamp: BigInt(TS), data: Buffer.from('0a0b', 'hex') },
    { kind: 'packet', interfaceId: 1, timestamp: ns(TS + 5) + BigInt(999), data: Buffer.from('0c0d0e', 'hex') },
    { kind: 'interface', description: { linkType: LinkType.raw, tsResolution: 0x80 | 20 } },
    {
      kind: 'packet',
      interfaceId: 2,
      timestamp: BigInt(1_000_000_000) * BigInt(1 << 20),
      data: Buffer.from('45', 'hex'),
    },
    { kind: 'packet', interfaceId: 0, timestamp: BigInt(TS + 7), data: Buffer.alloc(5, 2), originalLength: 60 },
  ];
  const expected: SeenFrame[] = [
    { linkType: LinkType.ethernet, ts: TS, data: '0a0b', originalLength: 2 },
    { linkType: LinkType.linuxSll2, ts: TS + 5, data: '0c0d0e', originalLength: 3 },
    { linkType: LinkType.raw, ts: 1_000_000_000_000_000, data: '45', originalLength: 1 },
    { linkType: LinkType.ethernet, ts: TS + 7, data: '0202020202', originalLength: 60 },
  ];

  it.each([false, true])('reads interfaces with their own link types and resolutions (big-endian %s)', (bigEndian) => {
    const seen = decodeInChunks(pcapngFileBytes(blocks, bigEndian), 1 << 16);
    expect(seen.malformed).toEqual([]);
    expect(seen.frames).toEqual(expected);
  });

  it('gives the same frames whatever the chunk boundaries', () => {
    const bytes = pcapngFileBytes(blocks);
    for (const size of [1, 3, 12, 13, 50]) expect(decodeInChunks(bytes, size).frames).toEqual(expected);
  });

  it('skips a large unknown block without buffering it and reads on', () => {
    const bytes = pcapngFileBytes([
      { kind: 'section' },
      { kind: 'interface', description: { linkType: LinkType.ethernet } },
      { kind: 'custom', type: 0x40000bad, body: Buffer.alloc(5 << 20) },
      { kind: 'packet', interfaceId: 0, timestamp: BigInt(TS), data: Buffer.from('ff', 'hex') },
    ]);
    const seen = decodeInChunks(bytes, 4096);
    expect(seen.frames.map((f) => f.data)).toEqual(['ff']);
  });

  it('starts over with the interfaces of each new section (and its byte order)', () => {
    const first = pcapngFileBytes([{ kind: 'section' }, { kind: 'interface', description: { linkType: 1 } }]);
    const second = pcapngFileBytes(
      [
        { kind: 'section' },
        { kind: 'interface', description: { linkType: 113 } },
        { kind: 'packet', interfaceId: 0, timestamp: BigInt(TS), data: Buffer.from('01', 'hex') },
        { kind: 'packet', interfaceId: 1, timestamp: BigInt(TS), data: Buffer.from('02', 'hex') },
      ],
      true,
    );
    const seen = decodeInChunks(Buffer.concat([first, second]), 7);
    expect(seen.frames.map((f) => [f.linkType, f.data])).toEqual([[113, '01']]);
    expect(seen.malformed).toEqual(['pcapng packet on an undescribed interface']);
  });

  it('reads simple packet blocks with the last timestamp seen', () => {
    const seen = decodeInChunks(
      pcapngFileBytes([
        { kind: 'section' },
        { kind: 'interface', description: { linkType: 1, snapLength: 4 } },
        { kind: 'packet', interfaceId: 0, timestamp: BigInt(TS), data: Buffer.from('01', 'hex') },
        { kind: 'simple', data: Buffer.from('0203040506', 'hex') },
      ]),
      100,
    );
    expect(seen.frames[1]).toEqual({ linkType: 1, ts: TS, data: '02030405', originalLength: 5 });
  });

  it('ends a truncated file cleanly with one malformed frame', () => {
    const bytes = pcapngFileBytes(blocks);
    const seen = decodeInChunks(bytes.subarray(0, bytes.length - 10), 33);
    expect(seen.frames).toEqual(expected.slice(0, 3));
    expect(seen.malformed).toEqual(['capture file ends inside a record']);
  });

  it('stops at a block with an impossible length', () => {
    const bytes = pcapngFileBytes(blocks);
    bytes.writeUInt32LE(13, 28 + 4); // the first interface block's length, not a multiple of 4
    const seen = decodeInChunks(bytes, 100);
    expect(seen.frames).toEqual([]);
    expect(seen.malformed).toEqual(['pcapng block length 13']);
  });
});

describe('readCaptureFile', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'capture-file-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('streams a file from disk in small chunks and says which format it was', async () => {
    const path = join(dir, 'three.pcap');
    writeFileSync(path, pcapFileBytes({ linkType: LinkType.ethernet, nanosecond: true }, frames));
    const handler = new RecordingHandler();
    await expect(readCaptureFile(path, handler, { chunkBytes: 5 })).resolves.toBe('pcap');
    expect(handler.frames.map((f) => f.ts)).toEqual(frames.map((f) => f.ts));
  });

  it('rejects a file that is not a capture and one that does not exist', async () => {
    const path = join(dir, 'text.pcap');
    writeFileSync(path, 'hello world');
    await expect(readCaptureFile(path, new RecordingHandler())).rejects.toThrow(CaptureFileFormatError);
    await expect(readCaptureFile(join(dir, 'missing.pcap'), new RecordingHandler())).rejects.toThrow('ENOENT');
  });
});

describe('mutated capture files', () => {
  it('never throw anything but a format error, and never hand out more bytes than the file has', () => {
    const pcapng = pcapngFileBytes([
      { kind: 'section' },
      { kind: 'interface', description: { linkType: 1, tsResolution: 9 } },
      ...frames.map((f) => ({
        kind: 'packet' as const,
        interfaceId: 0,
        timestamp: BigInt(f.ts) * BigInt(1000),
        data: f.data,
      })),
      { kind: 'simple', data: Buffer.alloc(64, 3) },
    ]);
    const pcap = pcapFileBytes({ linkType: 1, bigEndian: true }, frames);
    let seed = 12345;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (let round = 0; round < 4000; round++) {
      const bytes = Buffer.from(round % 2 ? pcapng : pcap);
      for (let flips = 1 + (random() % 6); flips > 0; flips--) bytes[random() % bytes.length] ^= 1 << (random() % 8);
      const cut = random() % 4 === 0 ? random() % bytes.length : bytes.length;
      const handler = new RecordingHandler();
      try {
        const decoded = decodeInChunks(bytes.subarray(0, cut), 1 + (random() % 97));
        handler.frames = decoded.frames;
      } catch (error) {
        expect(error).toBeInstanceOf(CaptureFileFormatError);
      }
      const delivered = handler.frames.reduce((sum, f) => sum + f.data.length / 2, 0);
      expect(delivered).toBeLessThanOrEqual(cut);
    }
  });
});
