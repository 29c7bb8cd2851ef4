import { randomBytes } from 'node:crypto';
import { mkdir, statfs } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { LocalObjectStorage } from './local-object-storage';
import { ObjectStorage, systemKey } from './object-storage';
import { S3ObjectStorage } from './s3-object-storage';
import { StorageSettings } from './storage-settings';

export interface StorageProbeResult {
  ok: boolean;
  message: string;
  freeBytes?: number;
}

/**
 * Proves a storage location is usable by doing what recording will do, through the same driver:
 * write an object, read it back byte for byte, delete it.
 */
export async function probeStorage(settings: StorageSettings): Promise<StorageProbeResult> {
  const payload = randomBytes(4096);
  const key = systemKey('probe', `probe-${randomBytes(6).toString('hex')}`);
  if (settings.driver === 'local') {
    const dir = resolve(settings.localPath);
    if (/^\/(proc|sys|dev)(\/|$)/.test(dir))
      return { ok: false, message: `${dir}: not a storage location (kernel file system)` };
    try {
      // Node's recursive mkdir can spin forever on odd file systems: never let a probe hang a request.
      await withTimeout(mkdir(dir, { recursive: true, mode: 0o700 }), 5000, `${dir}: creating the directory timed out`);
      if (!(await roundTrip(new LocalObjectStorage(dir), key, payload)))
        return { ok: false, message: `${dir}: data read back differs` };
      const fs = await statfs(dir);
      const freeBytes = fs.bavail * fs.bsize;
      return { ok: true, message: `${dir}: writable, ${(freeBytes / 1e9).toFixed(1)} GB free`, freeBytes };
    } catch (error) {
      return { ok: false, message: `${dir}: ${(error as Error).message}` };
    }
  }
  const storage = new S3ObjectStorage(settings, { client: { maxAttempts: 1 } });
  try {
    if (!(await roundTrip(storage, key, payload)))
      return { ok: false, message: `s3://${settings.bucket}: data read back differs` };
    return { ok: true, message: `s3://${settings.bucket}: write, read and delete succeeded` };
  } catch (error) {
    const e = error as Error & { $metadata?: { httpStatusCode?: number } };
    const status = e.$metadata?.httpStatusCode ? ` (HTTP ${e.$metadata.httpStatusCode})` : '';
    return { ok: false, message: `s3://${settings.bucket}: ${e.name}: ${e.message}${status}` };
  } finally {
    await storage.close();
  }
}

async function roundTrip(storage: ObjectStorage, key: string, payload: Buffer): Promise<boolean> {
  await storage.put(key, Readable.from([payload]), { contentLength: payload.length });
  const chunks: Buffer[] = [];
  for await (const chunk of await storage.get(key)) chunks.push(chunk as Buffer);
  await storage.delete(key);
  return Buffer.concat(chunks).equals(payload);
}

function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
