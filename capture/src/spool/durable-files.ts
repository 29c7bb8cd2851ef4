import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';

// What "written" means in the spool: the bytes are fsync'd and the name that makes them visible is
// given by a rename, itself made durable by fsyncing the directory. A crash at any point leaves
// either the old state or the new one, never a half-written file under its final name.

/** fsyncs a directory so the renames and creations inside it survive a power cut. */
export async function syncDirectory(path: string): Promise<void> {
  const handle = await fs.open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A name next to `path` that readers ignore (spool scans skip names starting with a dot). */
export function temporaryNameFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
}

/** Writes `data` to `path` through a temporary file, fsync and rename: all or nothing. */
export async function writeFileDurably(path: string, data: string | Buffer): Promise<void> {
  const temporary = temporaryNameFor(path);
  const handle = await fs.open(temporary, 'w', 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(temporary, path);
  await syncDirectory(dirname(path));
}

/** Renames (a file or a directory) and makes the move durable in both directories. */
export async function moveDurably(from: string, to: string): Promise<void> {
  await fs.rename(from, to);
  await syncDirectory(dirname(to));
  if (dirname(from) !== dirname(to)) await syncDirectory(dirname(from));
}

/** Bytes under a directory (files only, not following links); 0 when it does not exist. */
export async function directoryBytes(path: string): Promise<number> {
  let total = 0;
  let entries;
  try {
    entries = await fs.readdir(path, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  for (const entry of entries) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) total += await directoryBytes(full);
    else if (entry.isFile()) total += (await fs.stat(full)).size;
  }
  return total;
}

export async function readJsonFile<T>(path: string): Promise<T> {
  return JSON.parse(await fs.readFile(path, 'utf8')) as T;
}

export async function exists(path: string): Promise<boolean> {
  try {
    await fs.access(path);
    return true;
  } catch {
    return false;
  }
}
