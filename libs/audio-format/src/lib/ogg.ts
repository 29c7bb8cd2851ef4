import { ByteReader } from './byte-reader';
import { CorruptAudioError } from './audio-errors';

// Ogg framing (RFC 3533): pages of up to 255 lacing segments, CRC-32 with polynomial 0x04c11db7
// (not reflected, initial 0, no final xor), computed with the CRC field zeroed.

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let bit = 0; bit < 8; bit++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    table[i] = r >>> 0;
  }
  return table;
})();

export function oggCrc32(...parts: Uint8Array[]): number {
  let crc = 0;
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ part[i]) & 0xff]) >>> 0;
  }
  return crc >>> 0;
}

export const PAGE_HEADER_BYTES = 27;
const FLAG_CONTINUED = 0x01;
const FLAG_BOS = 0x02;
const FLAG_EOS = 0x04;

export interface OggPage {
  flags: number;
  /** -1 when no packet ends on the page. */
  granule: number;
  serial: number;
  sequence: number;
  segments: Uint8Array;
  body: Buffer;
}

/** Serialises one page, CRC included. */
export function encodePage(page: Omit<OggPage, 'segments'> & { segments: number[] }): Buffer {
  const header = Buffer.alloc(PAGE_HEADER_BYTES + page.segments.length);
  header.write('OggS', 0, 'latin1');
  header[4] = 0;
  header[5] = page.flags;
  if (page.granule < 0) header.writeBigInt64LE(BigInt(-1), 6);
  else header.writeBigUInt64LE(BigInt(page.granule), 6);
  header.writeUInt32LE(page.serial >>> 0, 14);
  header.writeUInt32LE(page.sequence >>> 0, 18);
  header[26] = page.segments.length;
  header.set(page.segments, PAGE_HEADER_BYTES);
  header.writeUInt32LE(oggCrc32(header, page.body), 22);
  return Buffer.concat([header, page.body]);
}

/**
 * Packs packets into pages of one logical stream. Header packets get a page each (RFC 7845 §3);
 * audio pages are cut at about maxPageBytes so a page is ~1 s of call audio and seeking stays cheap.
 * The last page is held back until end() so it can carry the EOS flag and the end-trimming granule.
 */
export class OggPageWriter {
  private sequence = 0;
  private packets: Buffer[] = [];
  private segmentCount = 0;
  private bodyBytes = 0;
  private granule = 0;

  constructor(
    private readonly serial: number,
    private readonly maxPageBytes = 4000,
  ) {}

  /** A header packet alone on its own page (OpusHead: BOS; OpusTags). */
  headerPage(packet: Buffer, bos: boolean): Buffer {
    return this.page([packet], bos ? FLAG_BOS : 0, 0);
  }

  /** Adds an audio packet ending at granule; returns the pages completed by it (0 or 1). */
  push(packet: Buffer, granule: number): Buffer[] {
    const segments = Math.floor(packet.length / 255) + 1;
    const out: Buffer[] = [];
    if (
      this.packets.length > 0 &&
      (this.segmentCount + segments > 255 || this.bodyBytes + packet.length > this.maxPageBytes)
    ) {
      out.push(this.page(this.packets, 0, this.granule));
      this.packets = [];
      this.segmentCount = 0;
      this.bodyBytes = 0;
    }
    this.packets.push(packet);
    this.segmentCount += segments;
    this.bodyBytes += packet.length;
    this.granule = granule;
    return out;
  }

  /** The last page with EOS; finalGranule trims the end (RFC 7845 §4.4). */
  end(finalGranule: number): Buffer {
    return this.page(this.packets, FLAG_EOS, finalGranule);
  }

  private page(packets: Buffer[], flags: number, granule: number): Buffer {
    const segments: number[] = [];
    for (const p of packets) {
      for (let left = p.length; ; left -= 255) {
        segments.push(Math.min(left, 255));
        if (left < 255) break;
      }
    }
    const body = Buffer.concat(packets);
    return encodePage({ flags, granule, serial: this.serial, sequence: this.sequence++, segments, body });
  }
}

/** Reads pages, checking capture pattern, version and CRC. Resolves null at a clean end. */
export async function readPage(reader: ByteReader): Promise<OggPage | null> {
  // A copy: the CRC check below zeroes the CRC field, and the reader's bytes may be the caller's buffer.
  const header = Buffer.from(await reader.read(PAGE_HEADER_BYTES));
  if (header.length === 0) return null;
  if (header.toString('latin1', 0, 4) !== 'OggS' || (header.length > 4 && header[4] !== 0)) {
    throw new CorruptAudioError(`no Ogg page at byte ${reader.position - header.length}`);
  }
  if (header.length < PAGE_HEADER_BYTES)
    throw new CorruptAudioError(`truncated Ogg page header at byte ${reader.position}`);
  const segments = await reader.readExactly(header[26], 'Ogg segment table');
  const bodyLength = segments.reduce((sum, s) => sum + s, 0);
  const body = await reader.readExactly(bodyLength, 'Ogg page');
  const stored = header.readUInt32LE(22);
  header.writeUInt32LE(0, 22);
  if (oggCrc32(header, segments, body) !== stored) {
    throw new CorruptAudioError(
      `Ogg page CRC mismatch at byte ${reader.position - bodyLength - segments.length - PAGE_HEADER_BYTES}`,
    );
  }
  const granule = header.readBigInt64LE(6);
  return {
    flags: header[5],
    granule: granule < BigInt(0) ? -1 : Number(granule),
    serial: header.readUInt32LE(14),
    sequence: header.readUInt32LE(18),
    segments,
    body,
  };
}

export interface OggPacket {
  data: Buffer;
  /** The page's granule when this packet is the last one completed on it, else -1. */
  granule: number;
  /** True for the last packet of an EOS page. */
  eos: boolean;
}

/**
 * The packets of the first logical stream (others, e.g. a multiplexed video track, are skipped).
 * Packets spanning pages are reassembled; a packet is at most maxPacketBytes (Opus needs < 8 KiB).
 */
export async function* readOggPackets(reader: ByteReader, maxPacketBytes = 65_536): AsyncGenerator<OggPacket> {
  let serial: number | undefined;
  let partial: Buffer[] = [];
  let partialBytes = 0;
  for (let page = await readPage(reader); page; page = await readPage(reader)) {
    serial ??= page.serial;
    if (page.serial !== serial) continue;
    if (!(page.flags & FLAG_CONTINUED)) {
      partial = [];
      partialBytes = 0;
    }
    const completed: Buffer[] = [];
    let offset = 0;
    let start = 0;
    for (const lacing of page.segments) {
      offset += lacing;
      if (lacing === 255) continue;
      partial.push(page.body.subarray(start, offset));
      completed.push(Buffer.concat(partial));
      partial = [];
      partialBytes = 0;
      start = offset;
    }
    if (start < offset) {
      partial.push(page.body.subarray(start, offset));
      partialBytes += offset - start;
      if (partialBytes > maxPacketBytes) throw new CorruptAudioError(`Ogg packet longer than ${maxPacketBytes} bytes`);
    }
    const eos = (page.flags & FLAG_EOS) !== 0;
    for (let i = 0; i < completed.length; i++) {
      const last = i === completed.length - 1;
      yield { data: completed[i], granule: last ? page.granule : -1, eos: last && eos };
    }
    if (eos) return;
  }
}
