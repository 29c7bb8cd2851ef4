import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/**
 * Files still being received (by the SFTP drop server or the puller) live under this prefix in the
 * same directory as their final name, so the final rename is atomic and an importer that skips
 * these names never sees half a file.
 */
export const IN_PROGRESS_PREFIX = '.incoming-';
export const IN_PROGRESS_SUFFIX = '.part';

/** True for a name (or path) that is a file still being received: importers must skip it. */
export function isInProgressName(nameOrPath: string): boolean {
  const name = basename(nameOrPath);
  return name.startsWith(IN_PROGRESS_PREFIX) && name.endsWith(IN_PROGRESS_SUFFIX);
}

/** A fresh temp path beside `finalPath`; random so concurrent uploads of one name do not collide. */
export function inProgressPathFor(finalPath: string): string {
  const token = randomBytes(8).toString('hex');
  return join(dirname(finalPath), `${IN_PROGRESS_PREFIX}${token}${IN_PROGRESS_SUFFIX}`);
}
