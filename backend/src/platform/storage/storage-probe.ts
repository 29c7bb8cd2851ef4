import { randomBytes } from 'node:crypto';
import { mkdir, readFile, statfs, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { StorageSettings } from './storage-settings';

export interface StorageProbeResult {
  ok: boolean;
  message: string;
  freeBytes?: number;
}

/**
 * Proves a storage location is usable by doing what recording will do: write an object,
 * read it back byte for byte, delete it.
 */
export async function probeStorage(settings: StorageSettings): Promise<StorageProbeResult> {
  const payload = randomBytes(4096);
  const name = `.probe-${randomBytes(6).toString('hex')}`;
  if (settings.driver === 'local') {
    const dir = resolve(settings.localPath);
    if (/^\/(proc|sys|dev)(\/|$)/.test(dir))
      return { ok: false, message: `${dir}: not a storage location (kernel file system)` };
    try {
      // Node's recursive mkdir can spin forever on odd file systems: never let a probe hang a request.
      await withTimeout(mkdir(dir, { recursive: true, mode: 0o700 }), 5000, `${dir}: creating the directory timed out`);
      const file = join(dir, name);
      await writeFile(file, payload, { mode: 0o600 });
      const back = await readFile(file);
      await unlink(file);
      if (!back.equals(payload)) return { ok: false, message: `${dir}: data read back differs` };
      const fs = await statfs(dir);
      const freeBytes = fs.bavail * fs.bsize;
      return { ok: true, message: `${dir}: writable, ${(freeBytes / 1e9).toFixed(1)} GB free`, freeBytes };
    } catch (error) {
      return { ok: false, message: `${dir}: ${(error as Error).message}` };
    }
  }
  // Loaded on first use: most installations never touch S3, and the SDK costs start-up time.
  const { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } = await import('@aws-sdk/client-s3');
  const client = new S3Client({
    endpoint: settings.endpoint || undefined,
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
    maxAttempts: 1,
  });
  const Key = `appliance-probe/${name}`;
  try {
    await client.send(new PutObjectCommand({ Bucket: settings.bucket, Key, Body: payload }));
    const got = await client.send(new GetObjectCommand({ Bucket: settings.bucket, Key }));
    const back = Buffer.from(await got.Body!.transformToByteArray());
    await client.send(new DeleteObjectCommand({ Bucket: settings.bucket, Key }));
    if (!back.equals(payload)) return { ok: false, message: `s3://${settings.bucket}: data read back differs` };
    return { ok: true, message: `s3://${settings.bucket}: write, read and delete succeeded` };
  } catch (error) {
    const e = error as Error & { $metadata?: { httpStatusCode?: number } };
    const status = e.$metadata?.httpStatusCode ? ` (HTTP ${e.$metadata.httpStatusCode})` : '';
    return { ok: false, message: `s3://${settings.bucket}: ${e.name}: ${e.message}${status}` };
  } finally {
    client.destroy();
  }
}

function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
