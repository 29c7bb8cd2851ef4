// Writes capture files, so tests and the benchmark make their own fixtures (the real captures in
// ../shared/pcaps may not be there). The frame builders live in frame-builders.ts and are re-exported.
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Micros } from './packet-types';

export * from './frame-builders';

export interface PcapFormatOptions {
  linkType: number;
  /** Nanosecond-resolution magic (0xa1b23c4d) instead of microseconds. */
  nanosecond?: boolean;
  /** Write big-endian headers (as captured on a big-endian host). */
  bigEndian?: boolean;
  snapLength?: number;
}

export interface WrittenFrame {
  ts: Micros;
  data: Buffer;
  /** Defaults to data.length; larger means the snap length cut the frame. */
  originalLength?: number;
}

function pcapGlobalHeader(options: PcapFormatOptions): Buffer {
  const header = Buffer.alloc(24);
  const magic = options.nanosecond ? 0xa1b23c4d : 0xa1b2c3d4;
  const u32 = (value: number, at: number) =>
    options.bigEndian ? header.writeUInt32BE(value, at) : header.writeUInt32LE(value, at);
  const u16 = (value: number, at: number) =>
    options.bigEndian ? header.writeUInt16BE(value, at) : header.writeUInt16LE(value, at);
  u32(magic, 0);
  u16(2, 4);
  u16(4, 6);
  u32(options.snapLength ?? 262_144, 16);
  u32(options.linkType, 20);
  return header;
}

function writeRecordHeader(target: Buffer, at: number, frame: WrittenFrame, options: PcapFormatOptions): void {
  const seconds = Math.floor(frame.ts / 1_000_000);
  const micros = frame.ts - seconds * 1_000_000;
  const values = [seconds, options.nanosecond ? micros * 1000 : micros, frame.data.length];
  values.push(frame.originalLength ?? frame.data.length);
  values.forEach((value, i) =>
    options.bigEndian ? target.writeUInt32BE(value, at + i * 4) : target.writeUInt32LE(value, at + i * 4),
  );
}

/** A whole classic pcap file in memory (small test fixtures). */
export function pcapFileBytes(options: PcapFormatOptions, frames: WrittenFrame[]): Buffer {
  const parts = [pcapGlobalHeader(options)];
  for (const frame of frames) {
    const header = Buffer.alloc(16);
    writeRecordHeader(header, 0, frame, options);
    parts.push(header, frame.data);
  }
  return Buffer.concat(parts);
}

/**
 * Streams a classic pcap file to disk through a 1 MiB buffer with synchronous writes: the fastest
 * simple way to produce the millions of frames a benchmark capture has.
 */
export class PcapFileWriter {
  private readonly fd: number;
  private readonly buffer = Buffer.allocUnsafe(1 << 20);
  private used = 0;
  framesWritten = 0;

  constructor(
    path: string,
    private readonly options: PcapFormatOptions,
  ) {
    this.fd = openSync(path, 'w');
    this.append(pcapGlobalHeader(options));
  }

  writeFrame(ts: Micros, data: Buffer, originalLength?: number): void {
    if (this.used + 16 + data.length > this.buffer.length) this.flush();
    if (16 + data.length > this.buffer.length) throw new Error('frame larger than the write buffer');
    writeRecordHeader(this.buffer, this.used, { ts, data, originalLength }, this.options);
    data.copy(this.buffer, this.used + 16);
    this.used += 16 + data.length;
    this.framesWritten++;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private append(bytes: Buffer): void {
    bytes.copy(this.buffer, this.used);
    this.used += bytes.length;
  }

  private flush(): void {
    let written = 0;
    while (written < this.used) written += writeSync(this.fd, this.buffer, written, this.used - written);
    this.used = 0;
  }
}

export interface PcapngInterface {
  linkType: number;
  snapLength?: number;
  /** if_tsresol byte: 6 = µs (default), 9 = ns, 0x80 | n = 2^-n seconds. */
  tsResolution?: number;
}

export type PcapngBlock =
  | { kind: 'section' }
  | { kind: 'interface'; description: PcapngInterface }
  | { kind: 'packet'; interfaceId: number; timestamp: bigint; data: Buffer; originalLength?: number }
  | { kind: 'simple'; data: Buffer; originalLength?: number }
  | { kind: 'custom'; type: number; body: Buffer };

function pad4(length: number): number {
  return (length + 3) & ~3;
}

/** A pcapng file in memory from explicit blocks (tests: several interfaces, resolutions, byte orders). */
export function pcapngFileBytes(blocks: PcapngBlock[], bigEndian = false): Buffer {
  const parts = blocks.map((block) => {
    let type: number;
    let body: Buffer;
    if (block.kind === 'section') {
      type = 0x0a0d0d0a;
      body = Buffer.alloc(16);
      writeU32(body, 0, 0x1a2b3c4d, bigEndian);
      writeU16(body, 4, 1, bigEndian);
      body.writeInt32LE(-1, 8); // section length unknown: -1 in either byte order
      body.writeInt32LE(-1, 12);
    } else if (block.kind === 'interface') {
      type = 1;
      const resolution = block.description.tsResolution;
      body = Buffer.alloc(8 + (resolution === undefined ? 0 : 12));
      writeU16(body, 0, block.description.linkType, bigEndian);
      writeU32(body, 4, block.description.snapLength ?? 0, bigEndian);
      if (resolution !== undefined) {
        writeU16(body, 8, 9, bigEndian); // if_tsresol
        writeU16(body, 10, 1, bigEndian);
        body[12] = resolution;
        // then opt_endofopt (four zero bytes)
      }
    } else if (block.kind === 'packet') {
      type = 6;
      body = Buffer.alloc(20 + pad4(block.data.length));
      writeU32(body, 0, block.interfaceId, bigEndian);
      writeU32(body, 4, Number(block.timestamp >> BigInt(32)), bigEndian);
      writeU32(body, 8, Number(block.timestamp & BigInt(0xffffffff)), bigEndian);
      writeU32(body, 12, block.data.length, bigEndian);
      writeU32(body, 16, block.originalLength ?? block.data.length, bigEndian);
      block.data.copy(body, 20);
    } else if (block.kind === 'simple') {
      type = 3;
      body = Buffer.alloc(4 + pad4(block.data.length));
      writeU32(body, 0, block.originalLength ?? block.data.length, bigEndian);
      block.data.copy(body, 4);
    } else {
      type = block.type;
      body = Buffer.alloc(pad4(block.body.length));
      block.body.copy(body);
    }
    const whole = Buffer.alloc(12 + body.length);
    writeU32(whole, 0, type, bigEndian);
    writeU32(whole, 4, whole.length, bigEndian);
    body.copy(whole, 8);
    writeU32(whole, whole.length - 4, whole.length, bigEndian);
    return whole;
  });
  return Buffer.concat(parts);
}

function writeU32(target: Buffer, at: number, value: number, bigEndian: boolean): void {
  if (bigEndian) target.writeUInt32BE(value >>> 0, at);
  else target.writeUInt32LE(value >>> 0, at);
}

function writeU16(target: Buffer, at: number, value: number, bigEndian: boolean): void {
  if (bigEndian) target.writeUInt16BE(value, at);
  else target.writeUInt16LE(value, at);
}
