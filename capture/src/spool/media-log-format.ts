import { closeSync, openSync, readSync } from 'node:fs';
import type { MediaGeneration, MediaRecord, Side } from '../calls/media-log';

// The spool's media file of one call (`media.log`): a header, then records appended in capture
// order. After a crash its tail may be cut anywhere (or, on some file systems, padded with zeros),
// so a reader stops at the first record that is not whole and well-formed and keeps all before it.
//
//   header      'FLM1' (4 bytes), then 4 reserved bytes
//   generation  'G', side u8, anchorUs f64, clockRate u32, packetUs f64            (22 bytes)
//   media       'M', side u8, generation u32, rtpOffset f64, payload type u8,
//               payload length u16, payload                                         (17 + n bytes)
//
// `packetUs` is the capture time of the packet that opened the generation: with `anchorUs` it
// gives the call's media origin in absolute time, which a call interrupted by a crash needs.

export const MEDIA_LOG_HEADER = Buffer.from('FLM1\0\0\0\0', 'latin1');
export const GENERATION_TAG = 0x47;
export const MEDIA_TAG = 0x4d;
export const GENERATION_BYTES = 22;
export const MEDIA_HEADER_BYTES = 17;
/** Larger than any RTP payload a record can hold (u16 length), so one read always holds one record. */
const READ_BLOCK_BYTES = 256 * 1024;

export interface StoredGeneration extends MediaGeneration {
  /** Capture time of the packet that opened it (µs since the epoch). */
  packetUs: number;
}

export type MediaLogEntry =
  { kind: 'generation'; generation: StoredGeneration } | { kind: 'media'; side: Side; record: MediaRecord };

export function writeGeneration(target: Buffer, at: number, generation: StoredGeneration): number {
  target[at] = GENERATION_TAG;
  target[at + 1] = generation.side;
  target.writeDoubleLE(generation.anchorUs, at + 2);
  target.writeUInt32LE(generation.clockRate, at + 10);
  target.writeDoubleLE(generation.packetUs, at + 14);
  return at + GENERATION_BYTES;
}

/** Media record header; the caller copies the payload right after it. */
export function writeMediaHeader(
  target: Buffer,
  at: number,
  side: Side,
  generation: number,
  rtpOffset: number,
  payloadType: number,
  length: number,
): number {
  target[at] = MEDIA_TAG;
  target[at + 1] = side;
  target.writeUInt32LE(generation, at + 2);
  target.writeDoubleLE(rtpOffset, at + 6);
  target[at + 14] = payloadType;
  target.writeUInt16LE(length, at + 15);
  return at + MEDIA_HEADER_BYTES;
}

/**
 * The entries of a media file in order, stopping at the first damaged or cut record. Payloads
 * are views of a block read for them (never overwritten), so they may be held while later entries
 * are read. Returns the number of valid bytes.
 */
export function* readMediaLog(path: string): Generator<MediaLogEntry, number> {
  const fd = openSync(path, 'r');
  try {
    let block = Buffer.alloc(0);
    let at = 0;
    let consumed = 0; // file offset of block[0]
    let ended = false;
    const need = (bytes: number): boolean => {
      if (block.length - at >= bytes) return true;
      if (ended) return false;
      const rest = block.subarray(at);
      const next = Buffer.allocUnsafe(READ_BLOCK_BYTES);
      rest.copy(next);
      const read = readSync(fd, next, rest.length, READ_BLOCK_BYTES - rest.length, consumed + at + rest.length);
      if (rest.length + read < READ_BLOCK_BYTES) ended = true;
      consumed += at;
      block = next.subarray(0, rest.length + read);
      at = 0;
      return block.length >= bytes;
    };
    if (!need(MEDIA_LOG_HEADER.length) || !block.subarray(0, 4).equals(MEDIA_LOG_HEADER.subarray(0, 4))) return 0;
    at = MEDIA_LOG_HEADER.length;
    for (;;) {
      if (!need(1)) break;
      const tag = block[at];
      if (tag === GENERATION_TAG) {
        if (!need(GENERATION_BYTES)) break;
        const side = block[at + 1];
        if (side > 1) break;
        const generation: StoredGeneration = {
          side: side as Side,
          anchorUs: block.readDoubleLE(at + 2),
          clockRate: block.readUInt32LE(at + 10),
          packetUs: block.readDoubleLE(at + 14),
        };
        at += GENERATION_BYTES;
        yield { kind: 'generation', generation };
      } else if (tag === MEDIA_TAG) {
        if (!need(MEDIA_HEADER_BYTES)) break;
        const side = block[at + 1];
        const length = block.readUInt16LE(at + 15);
        if (side > 1 || !need(MEDIA_HEADER_BYTES + length)) break;
        const record: MediaRecord = {
          generation: block.readUInt32LE(at + 2),
          rtpOffset: block.readDoubleLE(at + 6),
          payloadType: block[at + 14],
          payload: block.subarray(at + MEDIA_HEADER_BYTES, at + MEDIA_HEADER_BYTES + length),
        };
        at += MEDIA_HEADER_BYTES + length;
        yield { kind: 'media', side: side as Side, record };
      } else {
        break; // zeros or garbage after a crash: the valid part ends here
      }
    }
    return consumed + at;
  } finally {
    closeSync(fd);
  }
}

/** One side's media records of a file, in append order. */
export function* readMediaRecords(path: string, side: Side): Generator<MediaRecord> {
  for (const entry of readMediaLog(path)) {
    if (entry.kind === 'media' && entry.side === side) yield entry.record;
  }
}
