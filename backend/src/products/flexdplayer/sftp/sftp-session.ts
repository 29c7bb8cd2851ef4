import { constants as fsConstants } from 'node:fs';
import { copyFile, lstat, mkdir, open, readdir, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { relative } from 'node:path';
import { utils, type FileEntry, type SFTPWrapper } from 'ssh2';
import { ChrootPaths, PathOutsideInboxError } from './chroot-paths';
import { toAttrs, toFileEntry } from './sftp-attrs';
import type { SftpAccount } from './sftp-account';
import { inProgressPathFor, isInProgressName } from './upload-names';

const { STATUS_CODE, OPEN_MODE } = utils.sftp;

/** What the server announces once an upload is complete under its final name. */
export interface SftpFileReceived {
  tenantId: string;
  connectorId: string;
  /** Absolute path of the complete file inside the inbox. */
  path: string;
  /** The same path relative to the inbox, '/'-separated. */
  relativePath: string;
  size: number;
}

export interface SftpSessionHooks {
  onFileReceived: (event: SftpFileReceived) => void;
  /** Host paths of files this account uploaded (REMOVE and RENAME are limited to these). */
  ownUploads: Set<string>;
}

/** A refusal with the SFTP status code to send. */
class SftpRefusal extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

interface OpenFile {
  kind: 'file';
  fd: FileHandle;
  finalPath: string;
  /** Set for uploads: where the bytes go until CLOSE renames them to finalPath. */
  tempPath?: string;
  writes: Set<Promise<unknown>>;
  writeError?: Error;
}

interface OpenDir {
  kind: 'dir';
  path: string;
  pending: FileEntry[] | null;
}

const MAX_OPEN_HANDLES = 64;
const READDIR_BATCH = 100;
const MAX_OWN_UPLOADS_REMEMBERED = 10_000;

/**
 * Serves one authenticated SFTP channel inside the account's inbox. Supports what OpenSSH's `sftp`
 * and `scp` need to upload and look around; every path goes through ChrootPaths first.
 */
export class SftpSession {
  private readonly paths: ChrootPaths;
  private readonly handles = new Map<number, OpenFile | OpenDir>();
  private nextHandle = 1;

  constructor(
    private readonly sftp: SFTPWrapper,
    private readonly account: SftpAccount,
    private readonly hooks: SftpSessionHooks,
  ) {
    this.paths = new ChrootPaths(account.inboxDir);
    const on = (event: string, work: (reqId: number, ...args: never[]) => Promise<void>) =>
      sftp.on(event as 'OPEN', (reqId: number, ...args: unknown[]) =>
        work.call(this, reqId, ...(args as never[])).catch((error: unknown) => this.fail(reqId, error)),
      );
    on('OPEN', this.open);
    on('WRITE', this.write);
    on('READ', this.read);
    on('FSTAT', this.fstat);
    on('FSETSTAT', this.fsetstat);
    on('CLOSE', this.close);
    on('OPENDIR', this.opendir);
    on('READDIR', this.readdir);
    on('STAT', (reqId: number, path: string) => this.stat(reqId, path, true));
    on('LSTAT', (reqId: number, path: string) => this.stat(reqId, path, false));
    on('SETSTAT', this.setstat);
    on('REALPATH', this.realpath);
    on('MKDIR', this.mkdir);
    on('RENAME', this.rename);
    on('REMOVE', this.remove);
    for (const refused of ['RMDIR', 'SYMLINK', 'READLINK']) {
      on(refused, async (reqId) => this.sftp.status(reqId, STATUS_CODE.PERMISSION_DENIED, `${refused} is not allowed`));
    }
  }

  /** Closes what the client left open; unfinished uploads are deleted, never published. */
  async dispose(): Promise<void> {
    const open = [...this.handles.values()];
    this.handles.clear();
    for (const handle of open) {
      if (handle.kind !== 'file') continue;
      await Promise.allSettled(handle.writes);
      await handle.fd.close().catch(() => undefined);
      if (handle.tempPath) await unlink(handle.tempPath).catch(() => undefined);
    }
  }

  private async open(reqId: number, filename: string, flags: number): Promise<void> {
    if (this.handles.size >= MAX_OPEN_HANDLES) throw new SftpRefusal(STATUS_CODE.FAILURE, 'too many open files');
    const { host } = await this.paths.resolve(filename);
    const existing = await stat(host).catch(() => null);
    if (existing?.isDirectory()) throw new SftpRefusal(STATUS_CODE.FAILURE, 'is a directory');
    if (!(flags & OPEN_MODE.WRITE) && !(flags & OPEN_MODE.APPEND)) {
      const fd = await open(host, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW);
      return this.reply(reqId, { kind: 'file', fd, finalPath: host, writes: new Set() });
    }
    if (existing && flags & OPEN_MODE.EXCL) throw new SftpRefusal(STATUS_CODE.FAILURE, 'file already exists');
    if (!existing && !(flags & OPEN_MODE.CREAT)) throw new SftpRefusal(STATUS_CODE.NO_SUCH_FILE, 'no such file');
    const tempPath = inProgressPathFor(host);
    // Resuming or appending keeps the old bytes: start the temp file as a copy of them.
    if (existing && !(flags & OPEN_MODE.TRUNC)) await copyFile(host, tempPath, fsConstants.COPYFILE_EXCL);
    const mode = existing && !(flags & OPEN_MODE.TRUNC) ? 'r+' : 'wx';
    const fd = await open(tempPath, mode, 0o640);
    this.reply(reqId, { kind: 'file', fd, finalPath: host, tempPath, writes: new Set() });
  }

  private async write(reqId: number, handle: Buffer, offset: number, data: Buffer): Promise<void> {
    const file = this.fileHandle(handle);
    if (!file.tempPath) throw new SftpRefusal(STATUS_CODE.PERMISSION_DENIED, 'file was opened for reading');
    const pending = file.fd.write(data, 0, data.length, offset);
    file.writes.add(pending);
    try {
      await pending;
    } catch (error) {
      file.writeError ??= error as Error;
      throw error;
    } finally {
      file.writes.delete(pending);
    }
    this.sftp.status(reqId, STATUS_CODE.OK);
  }

  private async read(reqId: number, handle: Buffer, offset: number, length: number): Promise<void> {
    const file = this.fileHandle(handle);
    const buffer = Buffer.alloc(Math.min(length, 256 * 1024));
    const { bytesRead } = await file.fd.read(buffer, 0, buffer.length, offset);
    if (bytesRead === 0) return this.sftp.status(reqId, STATUS_CODE.EOF);
    this.sftp.data(reqId, buffer.subarray(0, bytesRead));
  }

  private async fstat(reqId: number, handle: Buffer): Promise<void> {
    this.sftp.attrs(reqId, toAttrs(await this.fileHandle(handle).fd.stat()));
  }

  // Times and modes a client sets (`put -p`) are accepted and ignored: the inbox keeps its own.
  private async fsetstat(reqId: number, handle: Buffer): Promise<void> {
    this.fileHandle(handle);
    this.sftp.status(reqId, STATUS_CODE.OK);
  }

  private async setstat(reqId: number, path: string): Promise<void> {
    const { host } = await this.paths.resolve(path);
    await lstat(host);
    this.sftp.status(reqId, STATUS_CODE.OK);
  }

  private async close(reqId: number, handle: Buffer): Promise<void> {
    const entry = this.handles.get(handleId(handle));
    if (!entry) throw new SftpRefusal(STATUS_CODE.FAILURE, 'invalid handle');
    this.handles.delete(handleId(handle));
    if (entry.kind === 'dir' || !entry.tempPath) {
      if (entry.kind === 'file') await entry.fd.close();
      return this.sftp.status(reqId, STATUS_CODE.OK);
    }
    const tempPath = entry.tempPath;
    try {
      await Promise.allSettled(entry.writes);
      if (entry.writeError) throw entry.writeError;
      await entry.fd.sync(); // the bytes are on disk before the importer can see the name
      await entry.fd.close();
      // The final name may have been made a symlink out of the inbox since OPEN: check again.
      await this.paths.resolve('/' + relative(this.account.inboxDir, entry.finalPath));
      await rename(tempPath, entry.finalPath);
    } catch (error) {
      await entry.fd.close().catch(() => undefined);
      await unlink(tempPath).catch(() => undefined);
      throw error;
    }
    this.rememberOwnUpload(entry.finalPath);
    this.sftp.status(reqId, STATUS_CODE.OK);
    const { size } = await stat(entry.finalPath);
    this.announce(entry.finalPath, size);
  }

  private async opendir(reqId: number, path: string): Promise<void> {
    if (this.handles.size >= MAX_OPEN_HANDLES) throw new SftpRefusal(STATUS_CODE.FAILURE, 'too many open handles');
    const { host } = await this.paths.resolve(path);
    if (!(await stat(host)).isDirectory()) throw new SftpRefusal(STATUS_CODE.FAILURE, 'not a directory');
    this.reply(reqId, { kind: 'dir', path: host, pending: null });
  }

  private async readdir(reqId: number, handle: Buffer): Promise<void> {
    const dir = this.handles.get(handleId(handle));
    if (!dir || dir.kind !== 'dir') throw new SftpRefusal(STATUS_CODE.FAILURE, 'invalid handle');
    if (dir.pending === null) {
      dir.pending = [];
      for (const name of await readdir(dir.path)) {
        if (isInProgressName(name)) continue; // other uploads in flight are nobody's business
        const stats = await lstat(`${dir.path}/${name}`).catch(() => null);
        if (stats) dir.pending.push(toFileEntry(name, stats));
      }
    }
    const batch = dir.pending.splice(0, READDIR_BATCH);
    if (batch.length === 0) return this.sftp.status(reqId, STATUS_CODE.EOF);
    this.sftp.name(reqId, batch);
  }

  private async stat(reqId: number, path: string, follow: boolean): Promise<void> {
    const { host } = await this.paths.resolve(path);
    this.sftp.attrs(reqId, toAttrs(follow ? await stat(host) : await lstat(host)));
  }

  private async realpath(reqId: number, path: string): Promise<void> {
    const { virtual } = await this.paths.resolve(path);
    this.sftp.name(reqId, [{ filename: virtual, longname: virtual, attrs: {} as FileEntry['attrs'] }]);
  }

  private async mkdir(reqId: number, path: string): Promise<void> {
    const { host } = await this.paths.resolve(path);
    await mkdir(host, { mode: 0o750 });
    this.sftp.status(reqId, STATUS_CODE.OK);
  }

  private async rename(reqId: number, from: string, to: string): Promise<void> {
    const source = await this.paths.resolve(from);
    const target = await this.paths.resolve(to);
    this.assertOwnUpload(source.host, 'renamed');
    // SFTP v3 semantics (what OpenSSH's plain rename expects): never overwrite.
    if (await lstat(target.host).catch(() => null)) throw new SftpRefusal(STATUS_CODE.FAILURE, 'target exists');
    await rename(source.host, target.host);
    this.hooks.ownUploads.delete(source.host);
    this.rememberOwnUpload(target.host);
    this.sftp.status(reqId, STATUS_CODE.OK);
    // A sender that uploads as x.tmp and renames to x.wav delivers x.wav only now.
    this.announce(target.host, (await stat(target.host)).size);
  }

  private async remove(reqId: number, path: string): Promise<void> {
    const { host } = await this.paths.resolve(path);
    this.assertOwnUpload(host, 'removed');
    await unlink(host);
    this.hooks.ownUploads.delete(host);
    this.sftp.status(reqId, STATUS_CODE.OK);
  }

  private assertOwnUpload(host: string, verb: string): void {
    if (!this.hooks.ownUploads.has(host)) {
      throw new SftpRefusal(STATUS_CODE.PERMISSION_DENIED, `only files uploaded by this account can be ${verb}`);
    }
  }

  private rememberOwnUpload(host: string): void {
    const own = this.hooks.ownUploads;
    own.delete(host);
    own.add(host);
    if (own.size > MAX_OWN_UPLOADS_REMEMBERED) own.delete(own.values().next().value as string);
  }

  private announce(path: string, size: number): void {
    const { tenantId, connectorId, inboxDir } = this.account;
    const relativePath = relative(inboxDir, path).split('\\').join('/');
    this.hooks.onFileReceived({ tenantId, connectorId, path, relativePath, size });
  }

  private reply(reqId: number, entry: OpenFile | OpenDir): void {
    const id = this.nextHandle++;
    this.handles.set(id, entry);
    const handle = Buffer.alloc(4);
    handle.writeUInt32BE(id);
    this.sftp.handle(reqId, handle);
  }

  private fileHandle(handle: Buffer): OpenFile {
    const entry = this.handles.get(handleId(handle));
    if (!entry || entry.kind !== 'file') throw new SftpRefusal(STATUS_CODE.FAILURE, 'invalid handle');
    return entry;
  }

  private fail(reqId: number, error: unknown): void {
    const [code, message] = statusFor(error);
    try {
      this.sftp.status(reqId, code, message);
    } catch {
      // the channel is already gone
    }
  }
}

function handleId(handle: Buffer): number {
  return handle.length === 4 ? handle.readUInt32BE(0) : -1;
}

function statusFor(error: unknown): [number, string] {
  if (error instanceof SftpRefusal) return [error.code, error.message];
  if (error instanceof PathOutsideInboxError) return [STATUS_CODE.PERMISSION_DENIED, error.message];
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return [STATUS_CODE.NO_SUCH_FILE, 'no such file or directory'];
    case 'EACCES':
    case 'EPERM':
    case 'ELOOP': // O_NOFOLLOW met a symlink that ChrootPaths did not see: refuse rather than follow
      return [STATUS_CODE.PERMISSION_DENIED, 'permission denied'];
    case 'EEXIST':
      return [STATUS_CODE.FAILURE, 'already exists'];
    default:
      return [STATUS_CODE.FAILURE, 'operation failed'];
  }
}
