import { lstat, realpath } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { isInProgressName } from './upload-names';

/** A client path that would leave the account's inbox (or touch a file still being received). */
export class PathOutsideInboxError extends Error {
  constructor(clientPath: string, why: string) {
    super(`path ${JSON.stringify(clientPath)} refused: ${why}`);
    this.name = 'PathOutsideInboxError';
  }
}

export interface ResolvedPath {
  /** What the client sees: always absolute, '/' is the inbox. */
  virtual: string;
  /** The real path on this machine. */
  host: string;
}

/**
 * Maps SFTP client paths into one inbox directory, like OpenSSH's ChrootDirectory: '/' is the inbox,
 * absolute paths are taken inside it, and a '..' that would climb above it is refused rather than
 * clamped, so a traversal attempt fails loudly instead of landing somewhere surprising.
 */
export class ChrootPaths {
  private realRoot: Promise<string> | undefined;

  constructor(private readonly root: string) {}

  /** Normalises a client path to the client's view ('/a/b'), refusing any escape. */
  toVirtual(clientPath: string): string {
    if (clientPath.includes('\0')) throw new PathOutsideInboxError(clientPath, 'contains a NUL byte');
    const segments: string[] = [];
    for (const segment of clientPath.split('/')) {
      if (segment === '' || segment === '.') continue;
      if (segment === '..') {
        if (segments.length === 0) throw new PathOutsideInboxError(clientPath, 'climbs above the inbox');
        segments.pop();
        continue;
      }
      if (isInProgressName(segment)) throw new PathOutsideInboxError(clientPath, 'names a file still being received');
      segments.push(segment);
    }
    return '/' + segments.join('/');
  }

  /**
   * Resolves a client path to a host path inside the inbox. Symlinks are followed on this machine
   * (realpath) and whatever they point at must still be inside the inbox; a dangling symlink is
   * refused because its target cannot be checked.
   */
  async resolve(clientPath: string): Promise<ResolvedPath> {
    const virtual = this.toVirtual(clientPath);
    const host = virtual === '/' ? this.root : join(this.root, virtual.slice(1));
    await this.assertInside(host, clientPath);
    return { virtual, host };
  }

  private async assertInside(host: string, clientPath: string): Promise<void> {
    this.realRoot ??= realpath(this.root);
    const realRoot = await this.realRoot;
    // The deepest existing ancestor decides: a path not yet created is safe if its parent is inside.
    let probe = host;
    for (;;) {
      try {
        const real = await realpath(probe);
        if (real !== realRoot && !real.startsWith(realRoot + sep)) {
          throw new PathOutsideInboxError(clientPath, 'leads outside the inbox through a symlink');
        }
        return;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ELOOP') throw new PathOutsideInboxError(clientPath, 'has a symlink loop');
        if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
        if (await isSymlink(probe)) throw new PathOutsideInboxError(clientPath, 'is a dangling symlink');
        const parent = dirname(probe);
        if (parent === probe || probe === this.root) return;
        probe = parent;
      }
    }
  }
}

async function isSymlink(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isSymbolicLink();
  } catch {
    return false;
  }
}
