import { createReadStream } from 'node:fs';
import type { FrameHandler } from './capture-frame';
import { ClassicPcapParser, isClassicPcapMagic } from './pcap-records';
import { PCAPNG_SECTION_HEADER, PcapngParser } from './pcapng-blocks';
import { CORRUPT, NEED_MORE, type RecordParser } from './record-parser';

/** The file is not a capture at all (wrong magic, empty): nothing in it can be read. */
export class CaptureFileFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CaptureFileFormatError';
  }
}

export type CaptureFileFormat = 'pcap' | 'pcapng';

/**
 * Turns the byte chunks of a pcap or pcapng file into frames, whatever the chunk boundaries.
 * Only the unfinished tail of a chunk is kept between writes (at most one record), so a file of
 * any size streams through in bounded memory.
 */
export class CaptureFileDecoder {
  format: CaptureFileFormat | null = null;
  private parser: RecordParser | null = null;
  private tail: Buffer | null = null;
  private skipRemaining = 0;
  private stopped = false;

  constructor(private readonly handler: FrameHandler) {}

  write(chunk: Buffer): void {
    if (this.stopped || chunk.length === 0) return;
    if (this.skipRemaining > 0) {
      const skipped = Math.min(this.skipRemaining, chunk.length);
      this.skipRemaining -= skipped;
      chunk = chunk.subarray(skipped);
      if (chunk.length === 0) return;
    }
    // Joining copies the chunk once when a record straddles two chunks; with large read chunks that is cheap.
    const buf = this.tail ? Buffer.concat([this.tail, chunk]) : chunk;
    this.tail = null;
    const parser = this.parser ?? this.detectFormat(buf);
    if (!parser) {
      this.tail = buf; // fewer than 4 bytes so far
      return;
    }
    let offset = 0;
    while (offset < buf.length) {
      const consumed = parser.parse(buf, offset, buf.length);
      if (consumed === NEED_MORE) break;
      if (consumed === CORRUPT) {
        this.handler.malformedFrame(parser.corruptReason);
        this.stopped = true;
        return;
      }
      if (consumed > buf.length - offset) {
        this.skipRemaining = consumed - (buf.length - offset);
        offset = buf.length;
        break;
      }
      offset += consumed;
    }
    if (offset < buf.length) this.tail = buf.subarray(offset);
  }

  /** The input ended: a record cut short is one malformed frame, and the file ends cleanly there. */
  end(): void {
    if (this.parser === null) {
      throw new CaptureFileFormatError(this.tail ? 'too short to be a capture file' : 'the capture file is empty');
    }
    if (!this.stopped && (this.tail !== null || this.skipRemaining > 0)) {
      this.handler.malformedFrame('capture file ends inside a record');
    }
    this.stopped = true;
    this.tail = null;
  }

  private detectFormat(buf: Buffer): RecordParser | null {
    if (buf.length < 4) return null;
    const magic = buf.readUInt32BE(0);
    if (isClassicPcapMagic(magic)) {
      this.format = 'pcap';
      this.parser = new ClassicPcapParser(this.handler);
    } else if (magic === PCAPNG_SECTION_HEADER) {
      this.format = 'pcapng';
      this.parser = new PcapngParser(this.handler);
    } else {
      this.stopped = true;
      throw new CaptureFileFormatError(
        `not a pcap or pcapng file (starts with 0x${magic.toString(16).padStart(8, '0')})`,
      );
    }
    return this.parser;
  }
}

export interface ReadCaptureFileOptions {
  /** Read chunk size; large chunks mean fewer joins of records across chunk boundaries. */
  chunkBytes?: number;
}

/**
 * Streams a capture file from disk through a FrameHandler (never the whole file in memory).
 * Rejects with CaptureFileFormatError for a file that is not a capture, and with the fs error for
 * one that cannot be read; truncation and corruption inside a capture are malformed frames instead.
 */
export async function readCaptureFile(
  path: string,
  handler: FrameHandler,
  options: ReadCaptureFileOptions = {},
): Promise<CaptureFileFormat> {
  const decoder = new CaptureFileDecoder(handler);
  const stream = createReadStream(path, { highWaterMark: options.chunkBytes ?? 1 << 20 });
  try {
    for await (const chunk of stream) decoder.write(chunk as Buffer);
  } finally {
    stream.destroy();
  }
  decoder.end(); // throws unless a format was recognised
  return decoder.format as CaptureFileFormat;
}
