import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Reads a random secret from a file, creating it (0600, directory 0700) on first use.
 * A file readable by others is refused: a leaked master key defeats encryption at rest.
 */
export function loadOrCreateSecretFile(path: string, bytes: number): Buffer {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writeFileSync(path, randomBytes(bytes).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
  }
  const mode = statSync(path).mode & 0o777;
  if (mode & 0o077) {
    throw new Error(`${path}: permissions ${mode.toString(8)} are too open; run chmod 600 ${path}`);
  }
  const value = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  if (value.length < bytes) throw new Error(`${path}: expected ${bytes} random bytes, found ${value.length}`);
  return value;
}
