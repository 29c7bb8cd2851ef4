import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { createDecryptStream, createEncryptStream } from './chunked-cipher';
import { KeyUnwrapError, rewrapDataKey, WrappedKey } from './key-provider';
import { LocalKeyProvider } from './local-key-provider';

const V1 = randomBytes(32);
const V2 = randomBytes(32);
const CONTEXT = { tenant: 'tenant-a', purpose: 'recordings' };

async function collect(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

const seal = (key: Buffer, plain: Buffer) => collect(Readable.from([plain]).pipe(createEncryptStream(key)));
const open = (key: Buffer, cipher: Buffer) => collect(Readable.from([cipher]).pipe(createDecryptStream(key)));

describe('LocalKeyProvider', () => {
  const v1 = new LocalKeyProvider(new Map([[1, V1]]), 1);

  it('wraps and unwraps a data key, naming the master key version', async () => {
    const { dataKey, wrapped, keyRef } = await v1.generateDataKey(CONTEXT);
    expect(keyRef).toBe('local:v1');
    expect(wrapped.includes(dataKey)).toBe(false);
    // Key order in the context does not matter: it is canonicalised.
    const back = await v1.unwrap(wrapped, keyRef, { purpose: 'recordings', tenant: 'tenant-a' });
    expect(back.equals(dataKey)).toBe(true);
  });

  it('fails when the context, the blob, the master key or the version differ', async () => {
    const { wrapped, keyRef } = await v1.generateDataKey(CONTEXT);
    await expect(v1.unwrap(wrapped, keyRef, { ...CONTEXT, tenant: 'tenant-b' })).rejects.toThrow(KeyUnwrapError);
    await expect(v1.unwrap(wrapped, keyRef, { tenant: 'tenant-a' })).rejects.toThrow(/failed authentication/);
    const flipped = Buffer.from(wrapped);
    flipped[20] ^= 1;
    await expect(v1.unwrap(flipped, keyRef, CONTEXT)).rejects.toThrow(/failed authentication/);
    const otherMaster = new LocalKeyProvider(new Map([[1, randomBytes(32)]]), 1);
    await expect(otherMaster.unwrap(wrapped, keyRef, CONTEXT)).rejects.toThrow(/failed authentication/);
    // The same master key under another version label derives another KEK.
    const relabelled = new LocalKeyProvider(new Map([[2, V1]]), 2);
    await expect(relabelled.unwrap(wrapped, 'local:v2', CONTEXT)).rejects.toThrow(/failed authentication/);
    await expect(v1.unwrap(wrapped, 'local:v7', CONTEXT)).rejects.toThrow(/version 7 is not loaded/);
    await expect(v1.unwrap(wrapped, 'aws-kms:arn:x', CONTEXT)).rejects.toThrow(/not a local key reference/);
    await expect(v1.unwrap(wrapped.subarray(1), keyRef, CONTEXT)).rejects.toThrow(/59 bytes, expected 60/);
  });

  it('refuses weak configuration', () => {
    expect(() => new LocalKeyProvider(new Map([[1, randomBytes(16)]]), 1)).toThrow(/shorter than 32 bytes/);
    expect(() => new LocalKeyProvider(new Map([[1, V1]]), 2)).toThrow(/v2 not loaded/);
    expect(() => new LocalKeyProvider(new Map([[0, V1]]), 0)).toThrow(/not >= 1/);
  });

  it('rotation: a key wrapped under v1 is re-wrapped under v2 and the audio still decrypts', async () => {
    const { dataKey, ...stored } = await v1.generateDataKey(CONTEXT);
    const audio = randomBytes(200_000);
    const cipher = await seal(dataKey, audio);

    const rotating = new LocalKeyProvider(
      new Map([
        [1, V1],
        [2, V2],
      ]),
      2,
    );
    const rewrapped = await rewrapDataKey(rotating, rotating, stored, CONTEXT);
    expect(rewrapped.keyRef).toBe('local:v2');
    expect(rotating.currentKeyRef).toBe('local:v2');

    // v1 retired: only the v2 master key is left, and the untouched ciphertext still opens.
    const v2only = new LocalKeyProvider(new Map([[2, V2]]), 2);
    const key = await v2only.unwrap(rewrapped.wrapped, rewrapped.keyRef, CONTEXT);
    expect((await open(key, cipher)).equals(audio)).toBe(true);
    await expect(v2only.unwrap(stored.wrapped, stored.keyRef, CONTEXT)).rejects.toThrow(/version 1 is not loaded/);
  });

  it('shredding: once the wrapped data key is destroyed the audio cannot be decrypted', async () => {
    const keyTable = new Map<string, WrappedKey>(); // stands for the tenant_keys rows
    const { dataKey, ...stored } = await v1.generateDataKey(CONTEXT);
    keyTable.set('tenant-a', stored);
    const audio = randomBytes(100_000);
    const cipher = await seal(dataKey, audio);
    dataKey.fill(0); // the process keeps no plaintext key

    const row = keyTable.get('tenant-a') as WrappedKey;
    expect((await open(await v1.unwrap(row.wrapped, row.keyRef, CONTEXT), cipher)).equals(audio)).toBe(true);

    keyTable.delete('tenant-a'); // contract end: the only wrapped copy is gone
    // The master key is still there, but no key it can unwrap opens this audio.
    const fresh = await v1.generateDataKey(CONTEXT);
    await expect(open(fresh.dataKey, cipher)).rejects.toThrow(/chunk 0 failed authentication/);
    await expect(open(dataKey, cipher)).rejects.toThrow(/chunk 0 failed authentication/);
  });
});
