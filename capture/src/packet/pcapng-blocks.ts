import type { CaptureFrame, FrameHandler } from './capture-frame';
import { MAX_CAPTURED_FRAME } from './pcap-records';
import { CORRUPT, NEED_MORE, type RecordParser } from './record-parser';

export const PCAPNG_SECTION_HEADER = 0x0a0d0d0a;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const INTERFACE_DESCRIPTION = 1;
const OBSOLETE_PACKET = 2;
const SIMPLE_PACKET = 3;
const ENHANCED_PACKET = 6;
const OPTION_IF_TSRESOL = 9;
const OPTION_IF_TSOFFSET = 14;
/** Packet blocks are read whole; a bigger one can only be corruption. Other blocks are skipped unread. */
const MAX_PACKET_BLOCK = MAX_CAPTURED_FRAME + 4096;
/** A section with more interfaces than this is not a real capture; bounds memory. */
const MAX_INTERFACES = 4096;
const TWO_POW_32 = 4294967296;

interface CaptureInterface {
  linkType: number;
  snapLength: number;
  /** Timestamp units per second (10^6 by default, from if_tsresol otherwise). */
  unitsPerSecond: number;
  /** unitsPerSecond / 10^6 when that is a whole number (µs, ns, ps…): lets us divide exactly. */
  unitsPerMicro: number;
  offsetMicros: number;
}

/** pcapng: sections (SHB) of interfaces (IDB) and packets (EPB, SPB, the obsolete PB); other blocks skipped. */
export class PcapngParser implements RecordParser {
  corruptReason = '';
  private littleEndian = true;
  private interfaces: CaptureInterface[] = [];
  private lastTs = 0;
  private readonly current: CaptureFrame = { linkType: 0, ts: 0, data: Buffer.alloc(0), originalLength: 0 };

  constructor(private readonly handler: FrameHandler) {}

  parse(buf: Buffer, offset: number, end: number): number {
    if (end - offset < 12) return NEED_MORE;
    const type = buf.readUInt32LE(offset);
    if (type === PCAPNG_SECTION_HEADER) {
      // The byte-order magic decides how this and every later block of the section is read.
      const bom = buf.readUInt32LE(offset + 8);
      if (bom === BYTE_ORDER_MAGIC) this.littleEndian = true;
      else if (bom === 0x4d3c2b1a) this.littleEndian = false;
      else return this.corrupt('pcapng section header with an unknown byte-order magic');
    }
    const blockLength = this.u32(buf, offset + 4);
    if (blockLength < 12 || blockLength % 4 !== 0) return this.corrupt(`pcapng block length ${blockLength}`);
    const blockType = this.u32(buf, offset);
    const isPacket = blockType === ENHANCED_PACKET || blockType === SIMPLE_PACKET || blockType === OBSOLETE_PACKET;
    if (blockType !== PCAPNG_SECTION_HEADER && blockType !== INTERFACE_DESCRIPTION && !isPacket) {
      return blockLength; // unknown or uninteresting block: skipped, possibly without being buffered
    }
    if (blockLength > MAX_PACKET_BLOCK) return this.corrupt(`pcapng block of ${blockLength} bytes`);
    if (end - offset < blockLength) return NEED_MORE;
    const bodyEnd = offset + blockLength - 4;
    if (blockType === PCAPNG_SECTION_HEADER) this.interfaces = [];
    else if (blockType === INTERFACE_DESCRIPTION) this.readInterface(buf, offset + 8, bodyEnd);
    else if (blockType === SIMPLE_PACKET) this.readSimplePacket(buf, offset + 8, bodyEnd);
    else this.readTimestampedPacket(buf, offset + 8, bodyEnd, blockType === OBSOLETE_PACKET);
    return blockLength;
  }

  private readInterface(buf: Buffer, body: number, bodyEnd: number): void {
    if (bodyEnd - body < 8) return this.handler.malformedFrame('pcapng interface block too short');
    if (this.interfaces.length >= MAX_INTERFACES) return this.handler.malformedFrame('too many pcapng interfaces');
    const described: CaptureInterface = {
      linkType: this.u16(buf, body),
      snapLength: this.u32(buf, body + 4),
      unitsPerSecond: 1_000_000,
      unitsPerMicro: 1,
      offsetMicros: 0,
    };
    for (let at = body + 8; at + 4 <= bodyEnd;) {
      const code = this.u16(buf, at);
      const length = this.u16(buf, at + 2);
      if (code === 0 || at + 4 + length > bodyEnd) break;
      if (code === OPTION_IF_TSRESOL && length >= 1) {
        const resolution = buf[at + 4];
        const exponent = resolution & 0x7f;
        // High bit clear: 10^-n seconds; set: 2^-n seconds.
        described.unitsPerSecond = resolution & 0x80 ? 2 ** exponent : 10 ** exponent;
        const perMicro = described.unitsPerSecond / 1_000_000;
        described.unitsPerMicro = Number.isInteger(perMicro) ? perMicro : 0;
      } else if (code === OPTION_IF_TSOFFSET && length >= 8) {
        const high = this.u32(buf, at + (this.littleEndian ? 8 : 4)) | 0; // signed seconds
        const low = this.u32(buf, at + (this.littleEndian ? 4 : 8));
        described.offsetMicros = (high * TWO_POW_32 + low) * 1_000_000;
      }
      at += 4 + ((length + 3) & ~3);
    }
    this.interfaces.push(described);
  }

  /**
   * Enhanced and obsolete packet blocks: interface id (32 bits, or 16 bits and a drop count),
   * 64-bit timestamp, captured and original length, data.
   */
  private readTimestampedPacket(buf: Buffer, body: number, bodyEnd: number, obsolete: boolean): void {
    if (bodyEnd - body < 20) return this.handler.malformedFrame('pcapng packet block too short');
    const captured = this.u32(buf, body + 12);
    if (captured > bodyEnd - body - 20) return this.handler.malformedFrame('pcapng packet longer than its block');
    const described = this.interfaces[obsolete ? this.u16(buf, body) : this.u32(buf, body)];
    if (!described) return this.handler.malformedFrame('pcapng packet on an undescribed interface');
    const ts = this.toMicros(described, this.u32(buf, body + 4), this.u32(buf, body + 8));
    this.emit(described, ts, buf.subarray(body + 20, body + 20 + captured), this.u32(buf, body + 16));
  }

  private readSimplePacket(buf: Buffer, body: number, bodyEnd: number): void {
    const described = this.interfaces[0];
    if (!described || bodyEnd - body < 4) return this.handler.malformedFrame('pcapng simple packet unreadable');
    const original = this.u32(buf, body);
    let captured = Math.min(original, bodyEnd - body - 4);
    if (described.snapLength > 0) captured = Math.min(captured, described.snapLength);
    // Simple packets carry no timestamp: the last one seen is the best estimate there is.
    this.emit(described, this.lastTs, buf.subarray(body + 4, body + 4 + captured), original);
  }

  private emit(described: CaptureInterface, ts: number, data: Buffer, original: number): void {
    const frame = this.current;
    this.lastTs = ts;
    frame.linkType = described.linkType;
    frame.ts = ts;
    frame.data = data;
    frame.originalLength = Math.max(original, data.length);
    this.handler.frame(frame);
  }

  /** The 64-bit timestamp in µs, exact for whole multiples of µs (ns, ps) without BigInt. */
  private toMicros(described: CaptureInterface, high: number, low: number): number {
    const perMicro = described.unitsPerMicro;
    let micros: number;
    if (perMicro === 1) micros = high * TWO_POW_32 + low;
    else if (perMicro > 1) {
      // (high·2^32 + low) / d = ⌊high/d⌋·2^32 + ((high mod d)·2^32 + low) / d, each term exact in a double.
      const highQuotient = Math.floor(high / perMicro);
      const highRemainder = high - highQuotient * perMicro;
      micros = highQuotient * TWO_POW_32 + Math.floor((highRemainder * TWO_POW_32 + low) / perMicro);
    } else micros = Math.floor(((high * TWO_POW_32 + low) / described.unitsPerSecond) * 1_000_000);
    return micros + described.offsetMicros;
  }

  private corrupt(reason: string): number {
    this.corruptReason = reason;
    return CORRUPT;
  }

  private u32(buf: Buffer, at: number): number {
    return this.littleEndian ? buf.readUInt32LE(at) : buf.readUInt32BE(at);
  }

  private u16(buf: Buffer, at: number): number {
    return this.littleEndian ? buf.readUInt16LE(at) : buf.readUInt16BE(at);
  }
}
