import { randomBytes, randomInt } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  ChunkedCipherError,
  ciphertextRangeFor,
  createDecryptStream,
  createEncryptStream,
  decryptRange,
  DEFAULT_CHUNK_SIZE,
  encryptedSize,
  HEADER_BYTES,
  plainSize,
} from './chunked-cipher';

const KEY = randomBytes(32);
const C = 1024; // small chunks keep the exhaustive cases fast; the format is the same at 64 KiB
const STRIDE = C + 28;

/** Feeds `data` in pieces of random size, so chunk boundaries never line up with writes. */
function piecewise(data: Buffer, maxPiece = 3 * C): Readable {
  const pieces: Buffer[] = [];
  for (let at = 0; at < data.length;) {
    const n = randomInt(1, maxPiece + 1);
    pieces.push(data.subarray(at, at + n));
    at += n;
  }
  return Readable.from(pieces);
}

async function collect(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

async function encrypt(plain: Buffer, chunkSize = C, key = KEY): Promise<Buffer> {
  return collect(piecewise(plain, 3 * chunkSize).pipe(createEncryptStream(key, { chunkSize })));
}

async function decrypt(cipher: Buffer, key = KEY): Promise<Buffer> {
  return collect(piecewise(cipher).pipe(createDecryptStream(key)));
}

async function range(cipher: Buffer, start: number, end: number, key = KEY): Promise<Buffer> {
  const r = ciphertextRangeFor(start, end, C, cipher.length);
  const file = { header: cipher.subarray(0, HEADER_BYTES), cipherSize: cipher.length };
  return collect(decryptRange(key, piecewise(cipher.subarray(r.start, r.end), 700), start, end, file));
}

function chunkAt(cipher: Buffer, index: number): Buffer {
  return cipher.subarray(HEADER_BYTES + index * STRIDE, HEADER_BYTES + (index + 1) * STRIDE);
}

describe('chunked cipher: round trip', () => {
  const D = DEFAULT_CHUNK_SIZE;
  it.each([
    ['empty', 0],
    ['one byte', 1],
    ['chunk - 1', D - 1],
    ['one chunk', D],
    ['chunk + 1', D + 1],
    ['10 MiB', 10 * 1024 * 1024],
  ])('%s (%d bytes) at the default 64 KiB chunk size', async (_name, size) => {
    const plain = randomBytes(size);
    const cipher = await encrypt(plain, D);
    expect(cipher.length).toBe(encryptedSize(size, D));
    expect(plainSize(cipher.length, D)).toBe(size);
    expect((await decrypt(cipher)).equals(plain)).toBe(true);
  });

  it('writes the RCE1 header and a fresh file id per file', async () => {
    const plain = Buffer.from('same audio');
    const [a, b] = [await encrypt(plain), await encrypt(plain)];
    expect(a.subarray(0, 4).toString()).toBe('RCE1');
    expect(a[4]).toBe(1);
    expect(a.readUInt32BE(8)).toBe(C);
    expect(a.subarray(12, 28).equals(b.subarray(12, 28))).toBe(false);
    expect(a.equals(b)).toBe(false);
  });

  it('exposes the header on the encrypt stream so it can be stored with the recording', async () => {
    const stream = createEncryptStream(KEY, { chunkSize: C });
    const cipher = await collect(Readable.from([randomBytes(5000)]).pipe(stream));
    expect(stream.header.equals(cipher.subarray(0, HEADER_BYTES))).toBe(true);
  });

  it('never shows a known plaintext pattern in the ciphertext', async () => {
    const pattern = Buffer.from('RIFF-0123456789-RECORDING-PATTERN');
    const plain = Buffer.concat(Array.from({ length: 4000 }, () => pattern));
    const cipher = await encrypt(plain);
    expect(cipher.includes(pattern.subarray(0, 16))).toBe(false);
    // Equal plaintext chunks must not give equal ciphertext chunks either.
    expect(chunkAt(cipher, 1).subarray(12).equals(chunkAt(cipher, 2).subarray(12))).toBe(false);
  });
});

describe('chunked cipher: sizes and ranges', () => {
  it('plainSize inverts encryptedSize and refuses impossible lengths', () => {
    for (const p of [0, 1, C - 1, C, C + 1, 2 * C, 7 * C + 3]) expect(plainSize(encryptedSize(p, C), C)).toBe(p);
    for (const bad of [0, HEADER_BYTES, HEADER_BYTES + 27, HEADER_BYTES + STRIDE + 28, HEADER_BYTES + STRIDE + 3]) {
      expect(() => plainSize(bad, C)).toThrow(ChunkedCipherError);
    }
  });

  it('maps plaintext ranges to whole chunks by arithmetic', () => {
    expect(ciphertextRangeFor(0, 1, C)).toEqual({ start: 28, end: 28 + STRIDE, firstChunk: 0, lastChunk: 0 });
    expect(ciphertextRangeFor(C - 1, C + 1, C)).toEqual({
      start: 28,
      end: 28 + 2 * STRIDE,
      firstChunk: 0,
      lastChunk: 1,
    });
    expect(ciphertextRangeFor(C, 2 * C, C)).toEqual({
      start: 28 + STRIDE,
      end: 28 + 2 * STRIDE,
      firstChunk: 1,
      lastChunk: 1,
    });
    // With the object size, the end stops at the short final chunk.
    const size = encryptedSize(2 * C + 10, C);
    expect(ciphertextRangeFor(2 * C, 2 * C + 10, C, size)).toMatchObject({ end: size, firstChunk: 2, lastChunk: 2 });
    expect(() => ciphertextRangeFor(5, 5, C)).toThrow(RangeError);
    expect(() => ciphertextRangeFor(0, 2 * C + 11, C, size)).toThrow(/past the plaintext end/);
  });

  describe.each([
    ['short final chunk', 5 * C + 123],
    ['full final chunk', 4 * C],
  ])('range reads (%s)', (_name, length) => {
    const plain = randomBytes(length);
    let cipher: Buffer;
    beforeAll(async () => {
      cipher = await encrypt(plain);
    });

    it.each([
      ['first byte', 0, 1],
      ['last byte', length - 1, length],
      ['spanning two chunks', C - 1, C + 1],
      ['spanning many chunks', 3, 3 * C + 5],
      ['exactly one chunk', C, 2 * C],
      ['the final chunk', length - 7, length],
      ['the whole file', 0, length],
    ])('%s', async (_case, start, end) => {
      expect((await range(cipher, start, end)).equals(plain.subarray(start, end))).toBe(true);
    });

    it('200 random ranges', async () => {
      for (let i = 0; i < 200; i++) {
        const start = randomInt(0, length);
        const end = randomInt(start + 1, length + 1);
        expect((await range(cipher, start, end)).equals(plain.subarray(start, end))).toBe(true);
      }
    });
  });

  it('refuses a bad header or range at once, closing the storage read', () => {
    const source = Readable.from([Buffer.alloc(10)]);
    const file = { header: Buffer.alloc(HEADER_BYTES), cipherSize: 100 };
    expect(() => decryptRange(KEY, source, 0, 10, file)).toThrow(/no RCE1 magic/);
    expect(source.destroyed).toBe(true);
  });

  it('decrypts only the chunks a range touches', async () => {
    const plain = randomBytes(6 * C);
    const cipher = await encrypt(plain);
    chunkAt(cipher, 0)[100] ^= 1; // damage outside the range goes unnoticed by a range read...
    expect((await range(cipher, 2 * C + 5, 3 * C + 5)).equals(plain.subarray(2 * C + 5, 3 * C + 5))).toBe(true);
    await expect(decrypt(cipher)).rejects.toThrow(/chunk 0 failed authentication/); // ...not by a full read
  });
});

describe('chunked cipher: tampering is detected', () => {
  const plain = randomBytes(4 * C + 100); // chunks 0..3 full, chunk 4 holds 100 bytes
  let cipher: Buffer;
  beforeAll(async () => {
    cipher = await encrypt(plain);
  });

  it.each([0, 1, 2, 3, 4])('a flipped byte in chunk %d (nonce, body or tag)', async (index) => {
    const chunk = chunkAt(cipher, index);
    for (const at of [0, 12 + randomInt(0, Math.min(chunk.length - 28, 100)), chunk.length - 1]) {
      const bad = Buffer.from(cipher);
      bad[HEADER_BYTES + index * STRIDE + at] ^= 0x40;
      await expect(decrypt(bad)).rejects.toThrow(new RegExp(`chunk ${index} failed authentication`));
    }
  });

  it('a changed header: magic, file id, chunk size', async () => {
    const magic = Buffer.from(cipher);
    magic[0] ^= 1;
    await expect(decrypt(magic)).rejects.toThrow(/no RCE1 magic/);
    const fileId = Buffer.from(cipher);
    fileId[20] ^= 1;
    await expect(decrypt(fileId)).rejects.toThrow(/chunk 0 failed authentication/);
    const chunkSize = Buffer.from(cipher);
    chunkSize.writeUInt32BE(C / 2, 8);
    await expect(decrypt(chunkSize)).rejects.toThrow(ChunkedCipherError);
  });

  it('two chunks swapped', async () => {
    const bad = Buffer.concat([
      cipher.subarray(0, HEADER_BYTES),
      chunkAt(cipher, 0),
      chunkAt(cipher, 2),
      chunkAt(cipher, 1),
      cipher.subarray(HEADER_BYTES + 3 * STRIDE),
    ]);
    await expect(decrypt(bad)).rejects.toThrow(/chunk 1 failed authentication/);
  });

  it('the last chunk dropped: cut at a chunk boundary', async () => {
    const bad = cipher.subarray(0, HEADER_BYTES + 4 * STRIDE);
    await expect(decrypt(bad)).rejects.toThrow(/truncated: chunk 3 is not the final chunk/);
    // A range reader sizing the cut object sees the same thing when it reaches the end.
    const file = { header: bad.subarray(0, HEADER_BYTES), cipherSize: bad.length };
    const source = Readable.from([bad.subarray(HEADER_BYTES + 3 * STRIDE)]);
    await expect(collect(decryptRange(KEY, source, 3 * C, 4 * C, file))).rejects.toThrow(/truncated/);
  });

  it('cut inside a chunk, or down to the header, or to nothing', async () => {
    await expect(decrypt(cipher.subarray(0, cipher.length - 10))).rejects.toThrow(/chunk 4 failed authentication/);
    await expect(decrypt(cipher.subarray(0, HEADER_BYTES + 10))).rejects.toThrow(/truncated: chunk 0 is incomplete/);
    await expect(decrypt(Buffer.alloc(0))).rejects.toThrow(/too short/);
  });

  it('a chunk appended after the final chunk', async () => {
    const whole = await encrypt(randomBytes(4 * C)); // full final chunk, so the extra chunk aligns
    const bad = Buffer.concat([whole, chunkAt(whole, 1)]);
    await expect(decrypt(bad)).rejects.toThrow(/data after its final chunk 3/);
    // With a short final chunk the strides no longer line up: still an authentication failure.
    await expect(decrypt(Buffer.concat([cipher, chunkAt(cipher, 1)]))).rejects.toThrow(ChunkedCipherError);
  });

  it('a range source that sends too little or too much', async () => {
    const file = { header: cipher.subarray(0, HEADER_BYTES), cipherSize: cipher.length };
    const r = ciphertextRangeFor(C, 3 * C, C, cipher.length);
    const short = Readable.from([cipher.subarray(r.start, r.end - 1)]);
    await expect(collect(decryptRange(KEY, short, C, 3 * C, file))).rejects.toThrow(/ended early/);
    const long = Readable.from([cipher.subarray(r.start, r.end + 1)]);
    await expect(collect(decryptRange(KEY, long, C, 3 * C, file))).rejects.toThrow(/more bytes than the range/);
  });

  it('a source error fails the range stream', async () => {
    const file = { header: cipher.subarray(0, HEADER_BYTES), cipherSize: cipher.length };
    const failing = new Readable({ read: () => failing.destroy(new Error('storage went away')) });
    await expect(collect(decryptRange(KEY, failing, 0, 10, file))).rejects.toThrow(/storage went away/);
  });
});

describe('chunked cipher: keys', () => {
  it('a wrong key fails on the first chunk, for whole files and ranges', async () => {
    const cipher = await encrypt(randomBytes(3 * C));
    const other = randomBytes(32);
    await expect(decrypt(cipher, other)).rejects.toThrow(/chunk 0 failed authentication \(wrong key/);
    await expect(range(cipher, C, C + 10, other)).rejects.toThrow(/chunk 1 failed authentication/);
  });

  it('refuses a data key that is not 32 bytes', () => {
    expect(() => createEncryptStream(randomBytes(16))).toThrow(RangeError);
  });
});
