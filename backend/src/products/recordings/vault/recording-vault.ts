import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { PassThrough, Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createDecryptStream, createEncryptStream, decryptRange } from '../../../platform/crypto/chunked-cipher';
import { ciphertextRangeFor, parseHeader, plainSize } from '../../../platform/crypto/chunked-cipher-format';
import { createObjectStorage } from '../../../platform/storage/object-storage.factory';
import { ObjectStorage, objectKey } from '../../../platform/storage/object-storage';
import { StorageSettings } from '../../../platform/storage/storage-settings';
import { SETTING, SystemSettingsService } from '../../../core/setup/system-settings.service';
import { TenantKeysService } from '../../../core/tenancy/tenant-keys.service';

export interface StoredObject {
  storageKey: string;
  keyId: string;
  cipherHeader: string;
  /** Plaintext bytes (what quotas count) and bytes as stored (ciphertext). */
  bytes: number;
  storedBytes: number;
  sha256: string;
}

export interface SealedObject {
  storageKey: string;
  keyId: string;
  cipherHeader: string;
  storedBytes: number;
}

/**
 * Where audio meets storage: everything is encrypted with the tenant's data key on the way in and
 * decrypted on the way out, so storage never holds plaintext. Ranged reads fetch and decrypt only
 * the chunks they touch.
 */
@Injectable()
export class RecordingVault implements OnApplicationShutdown {
  private storage: ObjectStorage | null = null;
  private storageFor = '';

  constructor(
    private readonly settings: SystemSettingsService,
    private readonly keys: TenantKeysService,
  ) {}

  /** The storage chosen in the setup wizard; rebuilt when the settings change. */
  async objectStorage(): Promise<ObjectStorage> {
    const settings = await this.settings.get<StorageSettings>(SETTING.storage);
    if (!settings) throw new Error('storage is not configured: finish the setup wizard');
    const signature = JSON.stringify(settings);
    if (!this.storage || this.storageFor !== signature) {
      await closeStorage(this.storage);
      this.storage = createObjectStorage(settings);
      this.storageFor = signature;
    }
    return this.storage;
  }

  /** Encrypts and stores a stream; nothing remains in storage if any step fails. */
  async write(tenantId: string, parts: string[], plaintext: Readable): Promise<StoredObject> {
    const storage = await this.objectStorage();
    const { keyId, dataKey } = await this.keys.current(tenantId);
    const storageKey = objectKey(tenantId, ...parts);
    const hash = createHash('sha256');
    let bytes = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    const encrypt = createEncryptStream(dataKey);
    const body = new PassThrough();
    const upload = storage.put(storageKey, body);
    try {
      await Promise.all([pipeline(plaintext, tap, encrypt, body), upload]);
    } catch (error) {
      body.destroy();
      await upload.catch(() => undefined);
      await storage.delete(storageKey).catch(() => undefined);
      throw error;
    }
    const { bytes: storedBytes } = await upload;
    return {
      storageKey,
      keyId,
      cipherHeader: encrypt.header.toString('base64'),
      bytes,
      storedBytes,
      sha256: hash.digest('hex'),
    };
  }

  /** Plaintext [start, end) of a stored object, or all of it. */
  async read(tenantId: string, obj: SealedObject, range?: { start: number; end: number }): Promise<Readable> {
    const storage = await this.objectStorage();
    const dataKey = await this.keys.byId(tenantId, obj.keyId);
    if (!range) return (await storage.get(obj.storageKey)).pipe(createDecryptStream(dataKey));
    const header = Buffer.from(obj.cipherHeader, 'base64');
    const cipher = ciphertextRangeFor(range.start, range.end, parseHeader(header).chunkSize, obj.storedBytes);
    const source = await storage.get(obj.storageKey, { start: cipher.start, end: cipher.end - 1 });
    return decryptRange(dataKey, source, range.start, range.end, { header, cipherSize: obj.storedBytes });
  }

  plainBytes(obj: SealedObject): number {
    return plainSize(obj.storedBytes, parseHeader(Buffer.from(obj.cipherHeader, 'base64')).chunkSize);
  }

  async remove(storageKey: string): Promise<void> {
    await (await this.objectStorage()).delete(storageKey);
  }

  async onApplicationShutdown(): Promise<void> {
    await closeStorage(this.storage);
  }
}

async function closeStorage(storage: ObjectStorage | null): Promise<void> {
  const closable = storage as (ObjectStorage & { close?: () => Promise<void> }) | null;
  await closable?.close?.();
}
