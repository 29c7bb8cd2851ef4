import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { pipeline, Readable } from 'node:stream';
import { createDecryptStream, createEncryptStream } from '../../../platform/crypto/chunked-cipher';
import { SecretBox } from '../../../platform/crypto/secret-box';
import { objectKey, tenantPrefix } from '../../../platform/storage/object-storage';
import { TenantKeysService } from '../../../core/tenancy/tenant-keys.service';
import { RecordingVault } from '../vault/recording-vault';
import type { UploadSegment } from './upload-segment.entity';
import type { UploadSession } from './upload-session.entity';

type KeyedUpload = Pick<UploadSession, 'id' | 'tenantId' | 'keyId' | 'wrappedKey'>;
type SegmentPlace = Pick<UploadSegment, 'startByte' | 'storageKey' | 'plainBytes'>;

/**
 * The partial audio of resumable uploads, at rest only as RCE1 ciphertext in the recordings' object
 * storage (shared by every API instance, so a PATCH may land on any of them). Each upload has a
 * random key of its own, kept in its row wrapped by the tenant's data key: deleting the row
 * crypto-shreds whatever segment a failed cleanup might leave.
 */
@Injectable()
export class SealedUploadParts {
  constructor(
    private readonly vault: RecordingVault,
    private readonly keys: TenantKeysService,
  ) {}

  /** A fresh key for a new upload, wrapped for its row. */
  async newUploadKey(tenantId: string, uploadId: string): Promise<{ keyId: string; wrappedKey: string }> {
    const { keyId, dataKey } = await this.keys.current(tenantId);
    const wrappedKey = wrapperFor(dataKey, uploadId).seal(randomBytes(32).toString('base64'));
    return { keyId, wrappedKey };
  }

  /**
   * Encrypts body into a new segment object at plaintext offset `start` and resolves with its key.
   * The name carries a random suffix so two PATCHes racing at one offset never overwrite each other;
   * if body fails, storage keeps nothing.
   */
  async write(upload: KeyedUpload, start: number, body: Readable): Promise<string> {
    const storage = await this.vault.objectStorage();
    const key = await this.uploadKey(upload);
    const storageKey = objectKey(upload.tenantId, 'uploads', upload.id, `${start}-${randomBytes(6).toString('hex')}`);
    // pipeline: a body error fails the encryptor, which fails the put, which removes the object.
    await storage.put(
      storageKey,
      pipeline(body, createEncryptStream(key), () => undefined),
    );
    return storageKey;
  }

  /**
   * The upload's plaintext, segment after segment, decrypted as it is read: never whole in memory.
   * The segments must cover [0, totalBytes) exactly; anything else fails the stream.
   */
  assemble(upload: KeyedUpload & Pick<UploadSession, 'totalBytes'>, segments: SegmentPlace[]): Readable {
    const read = async function* (this: SealedUploadParts) {
      const storage = await this.vault.objectStorage();
      const key = await this.uploadKey(upload);
      let position = 0;
      for (const segment of segments) {
        if (segment.startByte !== position) {
          throw new Error(`upload ${upload.id}: segment starts at ${segment.startByte}, expected ${position}`);
        }
        const source = await storage.get(segment.storageKey);
        for await (const chunk of pipeline(source, createDecryptStream(key), () => undefined)) {
          position += (chunk as Buffer).length;
          yield chunk as Buffer;
        }
        if (position !== segment.startByte + segment.plainBytes) {
          throw new Error(`upload ${upload.id}: segment at ${segment.startByte} holds the wrong number of bytes`);
        }
      }
      if (position !== upload.totalBytes) {
        throw new Error(`upload ${upload.id}: segments hold ${position} of ${upload.totalBytes} bytes`);
      }
    };
    return Readable.from(read.call(this));
  }

  async remove(storageKey: string): Promise<void> {
    await this.vault.remove(storageKey);
  }

  /** Every object of the upload, committed or not (a crash mid-PATCH can leave one uncommitted). */
  async removeAll(upload: Pick<UploadSession, 'id' | 'tenantId'>): Promise<void> {
    const storage = await this.vault.objectStorage();
    await storage.deletePrefix(`${tenantPrefix(upload.tenantId)}uploads/${upload.id}/`);
  }

  private async uploadKey(upload: KeyedUpload): Promise<Buffer> {
    const dataKey = await this.keys.byId(upload.tenantId, upload.keyId);
    return Buffer.from(wrapperFor(dataKey, upload.id).open(upload.wrappedKey), 'base64');
  }
}

// Bound to the upload id, so a wrapped key copied onto another upload's row does not open.
const wrapperFor = (dataKey: Buffer, uploadId: string) => new SecretBox(dataKey, `upload-key:${uploadId}`);
