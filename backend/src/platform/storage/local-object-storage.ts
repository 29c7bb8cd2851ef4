import { randomBytes } from 'node:crypto';
import { FileHandle, mkdir, open, opendir, rename, rmdir, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
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

/**
 * Objects as files under one root directory: key 'tenants/t1/a/b.wav' is <root>/tenants/t1/a/b.wav.
 * A put writes '.tmp-*' beside the target, fsyncs it and renames it over the target (atomic on POSIX),
 * so a crash or a failed source leaves the old object or none, never half of one. Files 0600, dirs 0700.
 */
export class LocalObjectStorage implements ObjectStorage {
  readonly driver = 'local' as const;
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async put(key: string, body: Readable, options: PutOptions = {}): Promise<{ bytes: number }> {
    const path = this.pathOf(key);
    const dir = dirname(path);
    const temp = join(dir, `.tmp-${randomBytes(8).toString('hex')}`);
    const file = await this.createTemp(dir, temp);
    let bytes = 0;
    try {
      const count = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          bytes += chunk.length;
          done(null, chunk);
        },
      });
      // flush: fsync before the stream closes the file; the pipeline settles only after that close.
      const out = file.createWriteStream({ flush: true, highWaterMark: 1 << 20 });
      await pipeline(body, count, out, { signal: options.signal });
      if (options.contentLength !== undefined && bytes !== options.contentLength)
        throw new Error(`${key}: expected ${options.contentLength} bytes, the body had ${bytes}`);
      await rename(temp, path);
    } catch (error) {
      body.destroy();
      await file.close().catch(() => undefined);
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    await syncDirectory(dir); // the rename itself survives a power cut only once the directory is synced
    return { bytes };
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    if (range) assertByteRange(range);
    let file: FileHandle;
    try {
      file = await open(this.pathOf(key), 'r');
    } catch (error) {
      throw isMissing(error) ? new ObjectNotFoundError(key) : error;
    }
    try {
      // Size from the open file: a concurrent put renames a new file in, this handle keeps the old one.
      const info = await file.stat();
      if (!info.isFile()) throw new ObjectNotFoundError(key);
      if (range && range.start >= info.size) throw new ObjectRangeError(key, range);
      return file.createReadStream({ start: range?.start, end: range?.end, highWaterMark: 1 << 20 });
    } catch (error) {
      await file.close();
      throw error;
    }
  }

  async stat(key: string): Promise<{ bytes: number } | null> {
    try {
      const info = await stat(this.pathOf(key));
      return info.isFile() ? { bytes: info.size } : null;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    const path = this.pathOf(key);
    try {
      await unlink(path);
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    await this.pruneEmptyDirs(dirname(path));
  }

  async deletePrefix(prefix: string): Promise<number> {
    assertObjectPrefix(prefix);
    let count = 0;
    const dirs = new Set<string>();
    for await (const { key } of this.list(prefix)) {
      const path = this.pathOf(key);
      try {
        await unlink(path);
        count++;
        dirs.add(dirname(path));
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
    }
    // Deepest first, so a parent is tried only after its children.
    for (const dir of [...dirs].sort((a, b) => b.length - a.length)) await this.pruneEmptyDirs(dir);
    return count;
  }

  async *list(prefix: string): AsyncIterable<ObjectEntry> {
    assertObjectPrefix(prefix);
    const base = prefix.slice(0, prefix.lastIndexOf('/')); // 'tenants/t1/rec' -> walk 'tenants/t1'
    yield* this.walk(base, prefix);
  }

  private async *walk(relativeDir: string, prefix: string): AsyncGenerator<ObjectEntry> {
    let dir;
    try {
      dir = await opendir(join(this.root, ...relativeDir.split('/')));
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    for await (const entry of dir) {
      if (entry.name.startsWith('.')) continue; // temporary files of puts in progress
      const key = `${relativeDir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (key.startsWith(prefix) || prefix.startsWith(`${key}/`)) yield* this.walk(key, prefix);
      } else if (entry.isFile() && key.startsWith(prefix)) {
        const info = await stat(join(this.root, ...key.split('/'))).catch(() => null);
        if (info) yield { key, bytes: info.size };
      }
    }
  }

  private pathOf(key: string): string {
    assertObjectKey(key);
    const path = join(this.root, ...key.split('/'));
    // assertObjectKey already refuses '..' and absolute keys; this guards against a future change to it.
    if (!path.startsWith(this.root + sep)) throw new Error(`${key}: resolves outside the storage root`);
    return path;
  }

  private async createTemp(dir: string, temp: string): Promise<FileHandle> {
    // A concurrent delete may prune the directory between mkdir and open: try again.
    for (let attempt = 0; ; attempt++) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      try {
        return await open(temp, 'wx', 0o600);
      } catch (error) {
        if (!isMissing(error) || attempt >= 3) throw error;
      }
    }
  }

  /** Removes now-empty directories from dir up to (not including) the namespace directories. */
  private async pruneEmptyDirs(dir: string): Promise<void> {
    const keep = [this.root, join(this.root, 'tenants'), join(this.root, 'system')];
    for (
      let current = dir;
      current.startsWith(this.root + sep) && !keep.includes(current);
      current = dirname(current)
    ) {
      try {
        await rmdir(current);
      } catch {
        return; // not empty (or gone): stop climbing
      }
    }
  }
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
