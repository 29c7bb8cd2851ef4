import type { CaptureFrame, FrameHandler } from './capture-frame';
import { CORRUPT, NEED_MORE, type RecordParser } from './record-parser';

/** Largest record we accept: libpcap's maximum snap length. A bigger one means the file is corrupt. */
export const MAX_CAPTURED_FRAME = 262_144;

const GLOBAL_HEADER_BYTES = 24;
const RECORD_HEADER_BYTES = 16;

/** The four classic pcap magics; the resolution and byte order follow from which one a file starts with. */
export function isClassicPcapMagic(magicBigEndian: number): boolean {
  return (
    magicBigEndian === 0xa1b2c3d4 ||
    magicBigEndian === 0xd4c3b2a1 ||
    magicBigEndian === 0xa1b23c4d ||
    magicBigEndian === 0x4d3cb2a1
  );
}

/** Classic libpcap files: a 24-byte global header, then 16-byte record headers each followed by the frame. */
export class ClassicPcapParser implements RecordParser {
  corruptReason = '';
  private headerRead = false;
  private littleEndian = true;
  private nanosecond = false;
  private readonly current: CaptureFrame = { linkType: 0, ts: 0, data: Buffer.alloc(0), originalLength: 0 };

  constructor(private readonly handler: FrameHandler) {}

  parse(buf: Buffer, offset: number, end: number): number {
    return this.headerRead ? this.parseRecord(buf, offset, end) : this.parseGlobalHeader(buf, offset, end);
  }

  private parseGlobalHeader(buf: Buffer, offset: number, end: number): number {
    if (end - offset < GLOBAL_HEADER_BYTES) return NEED_MORE;
    const magic = buf.readUInt32BE(offset);
    this.littleEndian = magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1;
    this.nanosecond = magic === 0xa1b23c4d || magic === 0x4d3cb2a1;
    // The low 16 bits are the link type; the upper bits carry the FCS length, which we do not use.
    this.current.linkType = this.u32(buf, offset + 20) & 0xffff;
    this.headerRead = true;
    return GLOBAL_HEADER_BYTES;
  }

  private parseRecord(buf: Buffer, offset: number, end: number): number {
    if (end - offset < RECORD_HEADER_BYTES) return NEED_MORE;
    const capturedLength = this.u32(buf, offset + 8);
    if (capturedLength > MAX_CAPTURED_FRAME) {
      this.corruptReason = `pcap record claims ${capturedLength} captured bytes`;
      return CORRUPT;
    }
    const total = RECORD_HEADER_BYTES + capturedLength;
    if (end - offset < total) return NEED_MORE;
    const seconds = this.u32(buf, offset);
    const fraction = this.u32(buf, offset + 4);
    const frame = this.current;
    frame.ts = seconds * 1_000_000 + (this.nanosecond ? Math.floor(fraction / 1000) : fraction);
    frame.data = buf.subarray(offset + RECORD_HEADER_BYTES, offset + total);
    frame.originalLength = Math.max(this.u32(buf, offset + 12), capturedLength);
    this.handler.frame(frame);
    return total;
  }

  private u32(buf: Buffer, at: number): number {
    return this.littleEndian ? buf.readUInt32LE(at) : buf.readUInt32BE(at);
  }
}
