/**
 * RCE1: chunked AES-256-GCM for recordings at rest (format version 1).
 *
 *   file    = header || chunk 0 || chunk 1 || ... || chunk n-1
 *
 *   header  (28 bytes, integers big-endian)
 *     0   4  magic       'RCE1'
 *     4   1  version     1
 *     5   3  reserved    0 (readers refuse anything else)
 *     8   4  chunk size  C = plaintext bytes per chunk, 1..16 MiB, default 65536
 *     12 16  file id     random per file
 *
 *   chunk i = nonce (12, random) || AES-256-GCM ciphertext || tag (16)
 *     key   = HKDF-SHA256(ikm = tenant data key, salt = file id, info = 'RCE1 chunk key'), 32 bytes
 *     AAD   = header (all 28 bytes, so file id, chunk size and version are bound)
 *             || i as uint64 BE || final flag (1 byte: 1 on the last chunk, else 0)
 *
 *   Every chunk but the last holds exactly C plaintext bytes; the last holds 1..C, or 0 only when
 *   the whole plaintext is empty (an empty file is one empty final chunk). So, for P plaintext bytes,
 *     n = max(1, ceil(P / C)),  S = 28 + P + 28 n,  chunk i starts at 28 + i (C + 28),
 *   and plaintext byte p is byte p mod C of chunk floor(p / C).
 *
 * The plaintext length is stored nowhere: it follows from the ciphertext length S, which storage
 * always knows (plainSize). A streaming writer therefore needs neither the length up front nor a
 * trailer, a range reader finds any chunk by arithmetic, and the end is still authenticated: the
 * final flag makes a file cut at a chunk boundary fail (its new last chunk says "not final"), a chunk
 * appended after the end fail (the old last chunk says "final"), and the index in the AAD makes
 * swapped or repeated chunks fail. Nonces are random per chunk under a per-file key, so no counter
 * state is shared between writers.
 */
import { Readable, Transform, TransformCallback, pipeline } from 'node:stream';
import {
  CHUNK_OVERHEAD,
  ChunkedCipherError,
  chunkCount,
  ciphertextRangeFor,
  DEFAULT_CHUNK_SIZE,
  deriveFileKey,
  encodeHeader,
  FileHeader,
  HEADER_BYTES,
  newFileId,
  openChunk,
  parseHeader,
  plainSize,
  sealChunk,
} from './chunked-cipher-format';

export {
  ChunkedCipherError,
  ciphertextRangeFor,
  DEFAULT_CHUNK_SIZE,
  encryptedSize,
  HEADER_BYTES,
  parseHeader,
  plainSize,
} from './chunked-cipher-format';
export type { CiphertextRange, FileHeader } from './chunked-cipher-format';

export interface EncryptOptions {
  chunkSize?: number;
}

/** The encrypting Transform; `header` can be kept with the recording's row so range reads need one fetch. */
export interface EncryptStream extends Transform {
  readonly header: Buffer;
}

/** Plaintext in, RCE1 out; holds at most one chunk of plaintext whatever the input size. */
export function createEncryptStream(dataKey: Buffer, options: EncryptOptions = {}): EncryptStream {
  return new ChunkEncryptor(dataKey, options.chunkSize ?? DEFAULT_CHUNK_SIZE);
}

/**
 * RCE1 in, plaintext out. Each chunk is authenticated before its plaintext is released, but a cut
 * file is only known at the end: the stream then errors, and a consumer must treat that as failure.
 */
export function createDecryptStream(dataKey: Buffer): Transform {
  return new ChunkDecryptor(dataKey, undefined);
}

export interface EncryptedFile {
  /** The file's first 28 bytes (stored with the recording, or fetched once). */
  header: Buffer;
  /** The ciphertext object's size: it gives the plaintext length and which chunk is final. */
  cipherSize: number;
}

/**
 * Plaintext [plainStart, plainEnd) (end exclusive) from `ciphertext`, which must yield exactly the
 * bytes `ciphertextRangeFor(plainStart, plainEnd, chunkSize, cipherSize)` names. Only the chunks
 * the range touches are read and decrypted.
 */
export function decryptRange(
  dataKey: Buffer,
  ciphertext: Readable,
  plainStart: number,
  plainEnd: number,
  file: EncryptedFile,
): Readable {
  let decryptor: ChunkDecryptor;
  try {
    const header = parseHeader(file.header);
    const range = ciphertextRangeFor(plainStart, plainEnd, header.chunkSize, file.cipherSize);
    decryptor = new ChunkDecryptor(dataKey, {
      header,
      cipherSize: file.cipherSize,
      firstChunk: range.firstChunk,
      lastChunk: range.lastChunk,
      lastOfFile: chunkCount(plainSize(file.cipherSize, header.chunkSize), header.chunkSize) - 1,
      plainStart,
      plainEnd,
    });
  } catch (error) {
    // A bad request or header must not leave an open storage read behind.
    ciphertext.destroy();
    throw error;
  }
  // pipeline: a source error fails the output, and a consumer that hangs up stops the fetch.
  pipeline(ciphertext, decryptor, () => undefined);
  return decryptor;
}

class ChunkEncryptor extends Transform implements EncryptStream {
  readonly header: Buffer;
  private readonly parsed: FileHeader;
  private readonly fileKey: Buffer;
  private readonly pending: Buffer;
  private filled = 0;
  private index = 0;

  constructor(
    dataKey: Buffer,
    private readonly chunkSize: number,
  ) {
    super();
    this.header = encodeHeader(chunkSize, newFileId());
    this.parsed = parseHeader(this.header);
    this.fileKey = deriveFileKey(dataKey, this.parsed);
    this.pending = Buffer.allocUnsafe(chunkSize);
    this.push(this.header);
  }

  override _transform(data: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const size = this.chunkSize;
    let offset = 0;
    while (offset < data.length) {
      // A full pending chunk is only sealed once more data shows it is not the last one.
      if (this.filled === size) this.seal(this.pending, false);
      if (this.filled === 0 && data.length - offset > size) {
        // Whole chunks straight from the input: no copy through the pending buffer.
        this.seal(data.subarray(offset, offset + size), false);
        offset += size;
        continue;
      }
      const copied = data.copy(
        this.pending,
        this.filled,
        offset,
        offset + Math.min(size - this.filled, data.length - offset),
      );
      this.filled += copied;
      offset += copied;
    }
    done();
  }

  override _flush(done: TransformCallback): void {
    this.seal(this.pending.subarray(0, this.filled), true);
    done();
  }

  private seal(plain: Buffer, final: boolean): void {
    this.push(sealChunk(this.fileKey, this.parsed, this.index++, final, plain));
    this.filled = 0;
  }
}

interface RangePlan {
  header: FileHeader;
  cipherSize: number;
  firstChunk: number;
  lastChunk: number;
  lastOfFile: number;
  plainStart: number;
  plainEnd: number;
}

/**
 * Both decryptors. Whole-file mode (no plan) reads the header from the input and learns which chunk
 * is final only at the end, so it holds one chunk back. Range mode knows the header and the file's
 * size, so it opens each chunk as soon as its bytes are in and trims to the requested range.
 */
class ChunkDecryptor extends Transform {
  private readonly queue = new ByteQueue();
  /** Known from the plan, or once the whole-file input has delivered its header. */
  private file?: { header: FileHeader; key: Buffer };
  private index: number;

  constructor(
    private readonly dataKey: Buffer,
    private readonly plan: RangePlan | undefined,
  ) {
    super();
    this.index = plan?.firstChunk ?? 0;
    // Fail at once on a bad key, not on the first byte from storage.
    if (plan) this.start(plan.header);
  }

  override _transform(data: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.queue.push(data);
    try {
      if (this.plan) this.drainRange(this.plan);
      else this.drainWhole();
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      if (this.plan) {
        if (this.index <= this.plan.lastChunk) {
          throw new ChunkedCipherError(`encrypted recording: ciphertext ended early, in chunk ${this.index}`);
        }
      } else {
        if (!this.file) throw new ChunkedCipherError('not an encrypted recording: too short');
        const rest = this.queue.length;
        // Only an empty file's single chunk may carry no plaintext; anything shorter is cut.
        if (rest < CHUNK_OVERHEAD || (rest === CHUNK_OVERHEAD && this.index > 0)) {
          throw new ChunkedCipherError(`encrypted recording is truncated: chunk ${this.index} is incomplete`);
        }
        this.push(openChunk(this.file.key, this.file.header, this.index, true, this.queue.take(rest)));
      }
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  private start(header: FileHeader): { header: FileHeader; key: Buffer } {
    this.file = { header, key: deriveFileKey(this.dataKey, header) };
    return this.file;
  }

  private drainWhole(): void {
    if (!this.file && this.queue.length < HEADER_BYTES) return;
    const { header, key } = this.file ?? this.start(parseHeader(this.queue.take(HEADER_BYTES)));
    const stride = header.chunkSize + CHUNK_OVERHEAD;
    // Strictly more than one chunk buffered: the bytes after it prove this one is not final.
    while (this.queue.length > stride) {
      this.push(openChunk(key, header, this.index++, false, this.queue.take(stride)));
    }
  }

  private drainRange(plan: RangePlan): void {
    const key = this.file?.key ?? this.start(plan.header).key;
    const size = plan.header.chunkSize;
    const stride = size + CHUNK_OVERHEAD;
    while (this.index <= plan.lastChunk) {
      const final = this.index === plan.lastOfFile;
      const expected = final ? plan.cipherSize - (HEADER_BYTES + this.index * stride) : stride;
      if (this.queue.length < expected) return;
      const plain = openChunk(key, plan.header, this.index, final, this.queue.take(expected));
      const chunkStart = this.index * size;
      const from = Math.max(plan.plainStart, chunkStart) - chunkStart;
      const to = Math.min(plan.plainEnd, chunkStart + plain.length) - chunkStart;
      this.push(plain.subarray(from, to));
      this.index++;
    }
    if (this.queue.length > 0) {
      throw new ChunkedCipherError('encrypted recording: the source sent more bytes than the range needs');
    }
  }
}

const EMPTY = Buffer.alloc(0);

/** A FIFO of buffers that hands out exact-size pieces, copying only when a piece spans inputs. */
class ByteQueue {
  private parts: Buffer[] = [];
  // Index of the first live part: shifting an array of many small inputs would be quadratic.
  private head = 0;
  length = 0;

  push(data: Buffer): void {
    if (data.length === 0) return;
    this.parts.push(data);
    this.length += data.length;
  }

  take(bytes: number): Buffer {
    if (bytes === 0) return Buffer.alloc(0);
    this.length -= bytes;
    const first = this.parts[this.head];
    if (first.length >= bytes) {
      this.consume(first, bytes);
      return first.subarray(0, bytes);
    }
    const out = Buffer.allocUnsafe(bytes);
    let filled = 0;
    while (filled < bytes) {
      const part = this.parts[this.head];
      const n = part.copy(out, filled, 0, Math.min(part.length, bytes - filled));
      filled += n;
      this.consume(part, n);
    }
    return out;
  }

  private consume(part: Buffer, bytes: number): void {
    if (bytes < part.length) {
      this.parts[this.head] = part.subarray(bytes);
      return;
    }
    // Drop the consumed input now, not at the next compaction: 1,024 retained 1 MiB reads held whole files.
    this.parts[this.head] = EMPTY;
    this.head++;
    if (this.head === this.parts.length || this.head > 1024) {
      this.parts = this.parts.slice(this.head);
      this.head = 0;
    }
  }
}
