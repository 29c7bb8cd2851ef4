import type { CompletedPart, S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import {
  assertByteRange,
  assertObjectKey,
  assertObjectPrefix,
  ByteRange,
  ObjectEntry,
  ObjectNotFoundError,
  ObjectRangeError,
  ObjectStorage,
  PutOptions,
} from './object-storage';
import { StorageSettings } from './storage-settings';

type S3Settings = Extract<StorageSettings, { driver: 's3' }>;
type S3Sdk = typeof import('@aws-sdk/client-s3');

export interface S3ObjectStorageOptions {
  /** Bytes per multipart part (S3: at least 5 MiB). Bodies shorter than one part go up in one PutObject. */
  partSize?: number;
  /** Parts uploaded at once; memory in use by one put is about partSize * (partConcurrency + 1). */
  partConcurrency?: number;
  /** Extra S3Client settings (e.g. maxAttempts: 1 for a quick probe). */
  client?: Partial<S3ClientConfig>;
}

const MIB = 1024 * 1024;
const MAX_PARTS = 10_000;

/**
 * Objects in one S3-compatible bucket under their keys. A put buffers at most a few parts: a short body
 * becomes one PutObject of a complete buffer, a longer one a multipart upload that is only completed
 * once the whole body has arrived, and aborted otherwise, so a failed source never leaves an object.
 */
export class S3ObjectStorage implements ObjectStorage {
  readonly driver = 's3' as const;
  private readonly bucket: string;
  private readonly partSize: number;
  private readonly partConcurrency: number;
  private sdk?: Promise<{ s3: S3Sdk; client: S3Client }>;

  constructor(
    private readonly settings: S3Settings,
    private readonly options: S3ObjectStorageOptions = {},
  ) {
    this.bucket = settings.bucket;
    this.partSize = Math.max(5 * MIB, options.partSize ?? 8 * MIB);
    this.partConcurrency = Math.max(1, options.partConcurrency ?? 3);
  }

  async put(key: string, body: Readable, options: PutOptions = {}): Promise<{ bytes: number }> {
    assertObjectKey(key);
    // Keep within S3's 10,000 parts when the length is known.
    const partSize = Math.max(this.partSize, Math.ceil((options.contentLength ?? 0) / MAX_PARTS));
    const parts = readParts(body, partSize, options.signal);
    try {
      return await this.upload(key, body, parts, partSize, options);
    } finally {
      await parts.return(undefined); // detaches the abort listener when we stop early
    }
  }

  private async upload(
    key: string,
    body: Readable,
    parts: AsyncGenerator<Buffer>,
    partSize: number,
    { signal, contentLength }: PutOptions,
  ): Promise<{ bytes: number }> {
    const { s3, client } = await this.connect();
    const checkLength = (bytes: number) => {
      if (contentLength !== undefined && bytes !== contentLength)
        throw new Error(`${key}: expected ${contentLength} bytes, the body had ${bytes}`);
    };
    const first = await parts.next().catch((error: unknown) => {
      body.destroy();
      throw error;
    });
    const firstPart = first.done ? Buffer.alloc(0) : first.value;
    if (firstPart.length < partSize) {
      checkLength(firstPart.length);
      await client.send(
        new s3.PutObjectCommand({ Bucket: this.bucket, Key: key, Body: firstPart, ContentLength: firstPart.length }),
        { abortSignal: signal },
      );
      return { bytes: firstPart.length };
    }

    const { UploadId } = await client.send(new s3.CreateMultipartUploadCommand({ Bucket: this.bucket, Key: key }), {
      abortSignal: signal,
    });
    const completed: Array<CompletedPart & { PartNumber: number }> = [];
    const inFlight = new Set<Promise<void>>();
    let failure: unknown;
    let bytes = 0;
    const upload = (Body: Buffer, PartNumber: number) => {
      const task = client
        .send(new s3.UploadPartCommand({ Bucket: this.bucket, Key: key, UploadId, PartNumber, Body }), {
          abortSignal: signal,
        })
        .then(({ ETag }) => void completed.push({ ETag, PartNumber }))
        .catch((error: unknown) => void (failure ??= error))
        .finally(() => inFlight.delete(task));
      inFlight.add(task);
    };
    try {
      let partNumber = 1;
      upload(firstPart, partNumber);
      bytes += firstPart.length;
      for await (const part of parts) {
        if (failure) break;
        if (++partNumber > MAX_PARTS) throw new Error(`${key}: more than ${MAX_PARTS} parts of ${partSize} bytes`);
        upload(part, partNumber);
        bytes += part.length;
        while (inFlight.size >= this.partConcurrency) await Promise.race(inFlight);
      }
      await Promise.all(inFlight);
      if (failure) throw failure;
      checkLength(bytes);
      completed.sort((a, b) => a.PartNumber - b.PartNumber);
      await client.send(
        new s3.CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key: key,
          UploadId,
          MultipartUpload: { Parts: completed },
        }),
        { abortSignal: signal },
      );
      return { bytes };
    } catch (error) {
      body.destroy();
      await Promise.allSettled(inFlight);
      // Parts of an aborted upload are invisible to readers either way; a failed abort (some servers lack
      // it) only leaves them for the bucket's AbortIncompleteMultipartUpload lifecycle rule.
      await client
        .send(new s3.AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId }))
        .catch(() => undefined);
      throw error;
    }
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    assertObjectKey(key);
    if (range) assertByteRange(range);
    const { s3, client } = await this.connect();
    try {
      const { Body, ContentRange } = await client.send(
        new s3.GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Range: range ? `bytes=${range.start}-${range.end}` : undefined,
        }),
      );
      // In Node the SDK's body is an http.IncomingMessage: a Readable.
      const body = (Body as Readable | undefined) ?? Readable.from([]);
      if (!range) return body;
      // Some servers answer a range with more than was asked (s3rver for 'bytes=N-0') or ignore it
      // (a plain 200): hand out exactly the range anyway.
      const served = /^bytes (\d+)-(\d+)\//.exec(ContentRange ?? '');
      const servedStart = served ? Number(served[1]) : 0;
      if (served && servedStart === range.start && Number(served[2]) <= range.end) return body;
      if (servedStart > range.start) {
        body.destroy();
        throw new Error(`${key}: asked for bytes ${range.start}-${range.end}, got ${ContentRange}`);
      }
      return slice(body, range.start - servedStart, range.end - range.start + 1);
    } catch (error) {
      if (statusOf(error) === 404) throw new ObjectNotFoundError(key);
      if (statusOf(error) === 416 && range) throw new ObjectRangeError(key, range);
      throw error;
    }
  }

  async stat(key: string): Promise<{ bytes: number } | null> {
    assertObjectKey(key);
    const { s3, client } = await this.connect();
    try {
      const head = await client.send(new s3.HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { bytes: head.ContentLength ?? 0 };
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    assertObjectKey(key);
    const { s3, client } = await this.connect();
    await client.send(new s3.DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async deletePrefix(prefix: string): Promise<number> {
    assertObjectPrefix(prefix);
    const { s3, client } = await this.connect();
    let count = 0;
    // Each round lists from the start again: a page of at most 1,000 keys is one DeleteObjects batch.
    for (;;) {
      const page = await client.send(new s3.ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix }));
      const keys = (page.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
      if (keys.length === 0) return count;
      const result = await client.send(
        new s3.DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: keys, Quiet: true } }),
      );
      if (result.Errors?.length) {
        const [first] = result.Errors;
        throw new Error(`deleting ${prefix}: ${result.Errors.length} failed, first ${first.Key}: ${first.Message}`);
      }
      count += keys.length;
    }
  }

  async *list(prefix: string): AsyncIterable<ObjectEntry> {
    assertObjectPrefix(prefix);
    const { s3, client } = await this.connect();
    let ContinuationToken: string | undefined;
    do {
      const page = await client.send(
        new s3.ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken }),
      );
      for (const o of page.Contents ?? []) if (o.Key) yield { key: o.Key, bytes: o.Size ?? 0 };
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
  }

  /** Closes the client's sockets. */
  async close(): Promise<void> {
    if (this.sdk) (await this.sdk).client.destroy();
  }

  private connect(): Promise<{ s3: S3Sdk; client: S3Client }> {
    // Loaded on first use: most installations never touch S3, and the SDK costs start-up time.
    this.sdk ??= import('@aws-sdk/client-s3').then((s3) => {
      const { endpoint, region, forcePathStyle, accessKeyId, secretAccessKey } = this.settings;
      const client = new s3.S3Client({
        endpoint: endpoint || undefined,
        region,
        forcePathStyle,
        credentials: { accessKeyId, secretAccessKey },
        // Checksums only where the API demands them: many S3-compatible servers reject the SDK's
        // default streaming-trailer checksums. Integrity in transit comes from TLS.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        ...this.options.client,
      });
      return { s3, client };
    });
    return this.sdk;
  }
}

/** Cuts a stream into Buffers of exactly size bytes (the last may be shorter), holding one at a time. */
async function* readParts(body: Readable, size: number, signal?: AbortSignal): AsyncGenerator<Buffer> {
  let chunks: Buffer[] = [];
  let held = 0;
  const onAbort = () => body.destroy(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
  signal?.throwIfAborted();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const chunk of body) {
      let data = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
      while (held + data.length >= size) {
        const take = size - held;
        chunks.push(data.subarray(0, take));
        yield Buffer.concat(chunks, size);
        data = data.subarray(take);
        chunks = [];
        held = 0;
      }
      if (data.length > 0) {
        chunks.push(data);
        held += data.length;
      }
    }
    if (held > 0) yield Buffer.concat(chunks, held);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/** The `take` bytes of body after the first `skip`; stops reading body once they are out. */
function slice(body: Readable, skip: number, take: number): Readable {
  async function* bytes() {
    try {
      for await (const chunk of body) {
        const data = (chunk as Buffer).subarray(skip, skip + take);
        skip = Math.max(0, skip - (chunk as Buffer).length);
        take -= data.length;
        if (data.length > 0) yield data;
        if (take === 0) return;
      }
    } finally {
      body.destroy();
    }
  }
  return Readable.from(bytes(), { objectMode: false });
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}
