import { createCipheriv, createDecipheriv, hkdfSync, randomFillSync } from 'node:crypto';

/**
 * The RCE1 layout: header, per-chunk sealing and the offset arithmetic. The format itself is
 * specified at the top of chunked-cipher.ts; the streams that use these pieces live there too.
 */

export const MAGIC = Buffer.from('RCE1', 'ascii');
export const FORMAT_VERSION = 1;
export const HEADER_BYTES = 28;
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;
export const CHUNK_OVERHEAD = NONCE_BYTES + TAG_BYTES;
export const DEFAULT_CHUNK_SIZE = 64 * 1024;
/** A reader allocates one chunk: a forged header must not make it allocate gigabytes. */
export const MAX_CHUNK_SIZE = 16 * 1024 * 1024;
const FILE_ID_BYTES = 16;
const CHUNK_KEY_INFO = 'RCE1 chunk key';

/** Why a recording could not be decrypted; messages name the chunk and never include key material. */
export class ChunkedCipherError extends Error {
  override readonly name = 'ChunkedCipherError';
}

export interface FileHeader {
  version: number;
  chunkSize: number;
  fileId: Buffer;
  /** The 28 header bytes as stored: they are part of every chunk's AAD. */
  bytes: Buffer;
}

export interface CiphertextRange {
  /** First ciphertext byte to fetch (file offset, header included in the arithmetic). */
  start: number;
  /** One past the last byte to fetch (exclusive, like `Buffer.subarray`); HTTP wants `end - 1`. */
  end: number;
  firstChunk: number;
  lastChunk: number;
}

export function encodeHeader(chunkSize: number, fileId: Buffer): Buffer {
  assertChunkSize(chunkSize);
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header, 0);
  header.writeUInt8(FORMAT_VERSION, 4);
  // Bytes 5-7 stay zero: reserved, and authenticated with the rest of the header.
  header.writeUInt32BE(chunkSize, 8);
  fileId.copy(header, 12, 0, FILE_ID_BYTES);
  return header;
}

export function newFileId(): Buffer {
  return randomFillSync(Buffer.alloc(FILE_ID_BYTES));
}

export function parseHeader(bytes: Buffer): FileHeader {
  if (bytes.length < HEADER_BYTES) throw new ChunkedCipherError('not an encrypted recording: shorter than its header');
  if (!bytes.subarray(0, 4).equals(MAGIC)) throw new ChunkedCipherError('not an encrypted recording: no RCE1 magic');
  const version = bytes.readUInt8(4);
  if (version !== FORMAT_VERSION)
    throw new ChunkedCipherError(`encrypted recording: unknown format version ${version}`);
  if (bytes.readUIntBE(5, 3) !== 0) throw new ChunkedCipherError('encrypted recording: reserved header bytes are set');
  const chunkSize = bytes.readUInt32BE(8);
  if (chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
    throw new ChunkedCipherError(`encrypted recording: chunk size ${chunkSize} out of range`);
  }
  const copy = Buffer.from(bytes.subarray(0, HEADER_BYTES));
  return { version, chunkSize, fileId: copy.subarray(12, HEADER_BYTES), bytes: copy };
}

/**
 * Each file gets its own AES key, HKDF(data key, salt = file id). A tenant's data key encrypts
 * millions of chunks over its life; random 96-bit GCM nonces are only safe for ~2^32 messages per
 * key, so the per-file key keeps that budget per recording instead of per tenant.
 */
export function deriveFileKey(dataKey: Buffer, header: FileHeader): Buffer {
  if (dataKey.length !== 32) throw new RangeError(`a data key must be 32 bytes, got ${dataKey.length}`);
  return Buffer.from(hkdfSync('sha256', dataKey, header.fileId, CHUNK_KEY_INFO, 32));
}

/** nonce || ciphertext || tag for chunk `index`; the AAD binds header, position and finality. */
export function sealChunk(fileKey: Buffer, header: FileHeader, index: number, final: boolean, plain: Buffer): Buffer {
  const out = Buffer.allocUnsafe(plain.length + CHUNK_OVERHEAD);
  const nonce = randomFillSync(out, 0, NONCE_BYTES).subarray(0, NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', fileKey, nonce);
  cipher.setAAD(chunkAad(header, index, final));
  const body = cipher.update(plain);
  body.copy(out, NONCE_BYTES);
  cipher.final();
  cipher.getAuthTag().copy(out, NONCE_BYTES + body.length);
  return out;
}

export function openChunk(fileKey: Buffer, header: FileHeader, index: number, final: boolean, sealed: Buffer): Buffer {
  const opened = tryOpen(fileKey, header, index, final, sealed);
  if (opened) return opened;
  // Only on failure: try the other final flag to tell a cut or extended file from a damaged chunk.
  if (tryOpen(fileKey, header, index, !final, sealed)) {
    throw new ChunkedCipherError(
      final
        ? `encrypted recording is truncated: chunk ${index} is not the final chunk`
        : `encrypted recording has data after its final chunk ${index}`,
    );
  }
  throw new ChunkedCipherError(
    `encrypted recording: chunk ${index} failed authentication (wrong key, or data modified, reordered or cut)`,
  );
}

function tryOpen(fileKey: Buffer, header: FileHeader, index: number, final: boolean, sealed: Buffer): Buffer | null {
  if (sealed.length < CHUNK_OVERHEAD) return null;
  const tagAt = sealed.length - TAG_BYTES;
  const decipher = createDecipheriv('aes-256-gcm', fileKey, sealed.subarray(0, NONCE_BYTES));
  decipher.setAAD(chunkAad(header, index, final));
  decipher.setAuthTag(sealed.subarray(tagAt));
  const plain = decipher.update(sealed.subarray(NONCE_BYTES, tagAt));
  try {
    decipher.final();
    return plain;
  } catch {
    return null;
  }
}

function chunkAad(header: FileHeader, index: number, final: boolean): Buffer {
  const aad = Buffer.allocUnsafe(HEADER_BYTES + 9);
  header.bytes.copy(aad, 0);
  // uint64 BE without BigInt: indexes stay far below 2^53.
  aad.writeUInt32BE(Math.floor(index / 2 ** 32), HEADER_BYTES);
  aad.writeUInt32BE(index >>> 0, HEADER_BYTES + 4);
  aad.writeUInt8(final ? 1 : 0, HEADER_BYTES + 8);
  return aad;
}

/** Chunks in a file of `plainBytes`: an empty file still has one (empty, final) chunk. */
export function chunkCount(plainBytes: number, chunkSize = DEFAULT_CHUNK_SIZE): number {
  return plainBytes === 0 ? 1 : Math.ceil(plainBytes / chunkSize);
}

export function encryptedSize(plainBytes: number, chunkSize = DEFAULT_CHUNK_SIZE): number {
  assertOffset(plainBytes, 'plainBytes');
  assertChunkSize(chunkSize);
  return HEADER_BYTES + plainBytes + chunkCount(plainBytes, chunkSize) * CHUNK_OVERHEAD;
}

/** The inverse of encryptedSize; throws for a length no RCE1 file can have (a cut upload). */
export function plainSize(cipherBytes: number, chunkSize = DEFAULT_CHUNK_SIZE): number {
  assertOffset(cipherBytes, 'cipherBytes');
  assertChunkSize(chunkSize);
  const body = cipherBytes - HEADER_BYTES;
  const stride = chunkSize + CHUNK_OVERHEAD;
  const full = Math.floor(body / stride);
  const rest = body % stride;
  if (body >= stride && rest === 0) return full * chunkSize;
  if (rest > CHUNK_OVERHEAD) return full * chunkSize + rest - CHUNK_OVERHEAD;
  if (body === CHUNK_OVERHEAD) return 0;
  throw new ChunkedCipherError(`${cipherBytes} bytes is not a valid RCE1 length for chunk size ${chunkSize}`);
}

/**
 * Which ciphertext bytes hold plaintext [plainStart, plainEnd) (end exclusive). Without
 * `cipherSize` the end may run past a short final chunk; storage reads clamp that, but passing
 * the object size gives the exact range.
 */
export function ciphertextRangeFor(
  plainStart: number,
  plainEnd: number,
  chunkSize = DEFAULT_CHUNK_SIZE,
  cipherSize?: number,
): CiphertextRange {
  assertOffset(plainStart, 'plainStart');
  assertOffset(plainEnd, 'plainEnd');
  assertChunkSize(chunkSize);
  if (plainEnd <= plainStart) throw new RangeError(`empty or reversed range [${plainStart}, ${plainEnd})`);
  if (cipherSize !== undefined && plainEnd > plainSize(cipherSize, chunkSize)) {
    throw new RangeError(`range end ${plainEnd} is past the plaintext end ${plainSize(cipherSize, chunkSize)}`);
  }
  const stride = chunkSize + CHUNK_OVERHEAD;
  const firstChunk = Math.floor(plainStart / chunkSize);
  const lastChunk = Math.floor((plainEnd - 1) / chunkSize);
  const end = HEADER_BYTES + (lastChunk + 1) * stride;
  return {
    start: HEADER_BYTES + firstChunk * stride,
    end: cipherSize === undefined ? end : Math.min(end, cipherSize),
    firstChunk,
    lastChunk,
  };
}

function assertChunkSize(chunkSize: number): void {
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
    throw new RangeError(`chunk size ${chunkSize} must be an integer in 1..${MAX_CHUNK_SIZE}`);
  }
}

function assertOffset(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${name} ${value} must be a non-negative integer`);
}
