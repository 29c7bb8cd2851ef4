import { Logger } from '@nestjs/common';
import { rename, unlink } from 'node:fs/promises';
import { isAbsolute, join, posix } from 'node:path';
import type { Attributes } from 'ssh2';
import type { PullState, PullStateStore } from './pull-state';
import { HostKeyMismatchError, RemoteSftp, type RemoteSftpLogin } from './remote-sftp';
import type { SftpFileReceived } from './sftp-session';
import { inProgressPathFor, isInProgressName } from './upload-names';

/** When a remote file counts as complete. */
export type PullCompletion =
  /** Same size and mtime in two polls in a row. */
  | { kind: 'stable' }
  /** A marker file `<name><suffix>` exists beside it (e.g. '.done', '.ok'). */
  | { kind: 'marker'; suffix: string };

/** What happens to a remote file once its download is verified (size and mtime unchanged). */
export type AfterDownload = { kind: 'keep' } | { kind: 'delete' } | { kind: 'move'; dir: string };

export interface SftpPullError {
  tenantId: string;
  connectorId: string;
  /** Plain-words reason for the connector's status in the UI. */
  reason: string;
  /** The remote file name, for a failure of one file; absent when the whole poll failed. */
  file?: string;
  /** Whole polls failed in a row (0 for a per-file failure in an otherwise working poll). */
  consecutiveFailures: number;
  /** When the scheduler tries again, for a whole-poll failure while started. */
  retryAt?: Date;
}

export interface SftpPullerOptions extends Omit<RemoteSftpLogin, 'port' | 'hostKeyFingerprint'> {
  tenantId: string;
  /**
   * The remote host key's `SHA256:...` fingerprint (a trailing '=' is ignored). Without it the key
   * seen first is pinned in the state store (trust on first use) and reported via onHostKeyLearned.
   */
  hostKeyFingerprint?: string | null;
  connectorId: string;
  port?: number;
  /** Remote directory to fetch from (not recursive). */
  remoteDir: string;
  /** The connector's inbox (absolute). */
  inboxDir: string;
  stateStore: PullStateStore;
  /** Time between polls; default 60 s. */
  intervalMs?: number;
  /** Upper bound of the doubling wait after failed polls; default 30 min. */
  maxBackoffMs?: number;
  completion?: PullCompletion;
  afterDownload?: AfterDownload;
  onFileReceived?: (event: SftpFileReceived) => void | Promise<void>;
  onError?: (error: SftpPullError) => void;
  /** First contact without a configured fingerprint: the key now pinned (show it to an admin). */
  onHostKeyLearned?: (fingerprint: string) => void;
}

export interface SftpPollResult {
  /** Remote names fetched into the inbox in this poll. */
  fetched: string[];
  /** Remote names seen but not yet complete (or changed while downloading). */
  waiting: string[];
  failed: { file: string; reason: string }[];
}

export interface SftpPullerStatus {
  running: boolean;
  consecutiveFailures: number;
  lastPollAt?: Date;
  lastSuccessAt?: Date;
  lastError?: string;
  nextPollAt?: Date;
  hostKeyFingerprint?: string;
}

/** A whole poll failed (connection, login, host key, remote directory). `reason` is for people. */
export class SftpPullFailure extends Error {
  constructor(
    readonly reason: string,
    readonly cause?: unknown,
  ) {
    super(reason);
    this.name = 'SftpPullFailure';
  }
}

/**
 * Polls one remote SFTP directory and brings complete files into a connector's inbox, each once.
 * Downloads go to an in-progress name and are renamed only after the remote file is seen unchanged,
 * so the importer never sees half a file.
 */
export class SftpPuller {
  private readonly logger = new Logger(SftpPuller.name);
  private readonly opts: SftpPullerOptions & { port: number; intervalMs: number; maxBackoffMs: number };
  private state: PullState | undefined;
  /** Size and mtime of each name at the previous poll, for the stable-size rule. */
  private lastSeen = new Map<string, string>();
  private inFlight: Promise<SftpPollResult> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly info: SftpPullerStatus = { running: false, consecutiveFailures: 0 };

  constructor(options: SftpPullerOptions) {
    this.opts = { port: 22, intervalMs: 60_000, maxBackoffMs: 30 * 60_000, ...options };
    const o = this.opts;
    for (const field of ['tenantId', 'connectorId', 'host', 'username', 'remoteDir'] as const) {
      if (typeof o[field] !== 'string' || o[field].trim() === '') throw new Error(`${field} is required`);
    }
    if (!o.password && !o.privateKey) throw new Error('password or privateKey is required');
    if (!Number.isInteger(o.port) || o.port < 1 || o.port > 65535) throw new Error('port must be an integer 1-65535');
    if (!isAbsolute(o.inboxDir ?? '')) throw new Error('inboxDir must be an absolute path');
    if (!(o.intervalMs >= 1000)) throw new Error('intervalMs must be at least 1000');
    if (o.hostKeyFingerprint != null && !/^SHA256:[A-Za-z0-9+/]{43}=?$/.test(o.hostKeyFingerprint)) {
      throw new Error('hostKeyFingerprint must look like SHA256:<43 base64 characters> (as ssh-keygen -lf prints)');
    }
    if (o.completion?.kind === 'marker' && !o.completion.suffix) throw new Error('completion.suffix is required');
    if (o.afterDownload?.kind === 'move' && !o.afterDownload.dir) throw new Error('afterDownload.dir is required');
  }

  /** Polls now and then every `intervalMs`, waiting longer (doubling) after failed polls. */
  start(): void {
    if (this.info.running) return;
    this.info.running = true;
    this.schedule(0);
  }

  /** Stops the schedule and waits for a poll in progress. */
  async stop(): Promise<void> {
    this.info.running = false;
    clearTimeout(this.timer);
    this.info.nextPollAt = undefined;
    await this.inFlight?.catch(() => undefined);
  }

  status(): SftpPullerStatus {
    return { ...this.info };
  }

  /** One poll; concurrent calls share it. Throws SftpPullFailure (already reported) if it failed whole. */
  pollOnce(): Promise<SftpPollResult> {
    this.inFlight ??= this.poll().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private schedule(delayMs: number): void {
    if (!this.info.running) return;
    this.info.nextPollAt = new Date(Date.now() + delayMs);
    this.timer = setTimeout(() => {
      void this.pollOnce()
        .catch(() => undefined) // already reported through onError
        .finally(() => this.schedule(this.nextDelay()));
    }, delayMs);
    this.timer.unref();
  }

  private nextDelay(): number {
    const failures = this.info.consecutiveFailures;
    if (failures === 0) return this.opts.intervalMs;
    return Math.min(this.opts.intervalMs * 2 ** failures, this.opts.maxBackoffMs);
  }

  private async poll(): Promise<SftpPollResult> {
    this.info.lastPollAt = new Date();
    let remote: RemoteSftp | undefined;
    try {
      const state = (this.state ??= await this.opts.stateStore.load());
      const pinned = this.opts.hostKeyFingerprint?.replace(/=$/, '') || state.hostKeyFingerprint;
      remote = await RemoteSftp.connect({ ...this.opts, hostKeyFingerprint: pinned });
      this.info.hostKeyFingerprint = remote.hostKeyFingerprint;
      if (!pinned) {
        state.hostKeyFingerprint = remote.hostKeyFingerprint;
        await this.opts.stateStore.save(state);
        this.opts.onHostKeyLearned?.(remote.hostKeyFingerprint);
      }
      const listing = await this.listRemote(remote);
      const result = await this.fetchComplete(remote, listing, state);
      this.info.consecutiveFailures = 0;
      this.info.lastSuccessAt = new Date();
      this.info.lastError = undefined;
      return result;
    } catch (error) {
      const failure = error instanceof SftpPullFailure ? error : new SftpPullFailure(this.describe(error), error);
      this.info.consecutiveFailures++;
      this.info.lastError = failure.reason;
      const retryAt = this.info.running ? new Date(Date.now() + this.nextDelay()) : undefined;
      this.report({ reason: failure.reason, consecutiveFailures: this.info.consecutiveFailures, retryAt });
      throw failure;
    } finally {
      remote?.close();
    }
  }

  private async listRemote(remote: RemoteSftp): Promise<Map<string, Attributes>> {
    const files = new Map<string, Attributes>();
    for (const entry of await remote.list(this.opts.remoteDir)) {
      const name = entry.filename;
      // A hostile server could send names with slashes or '..': only plain names are fetched.
      const plain = name !== '' && !name.includes('/') && !name.includes('\\') && !name.startsWith('.');
      // 0o170000 / 0o100000: the file-type bits of the mode, a regular file.
      if (plain && !isInProgressName(name) && (entry.attrs.mode & 0o170000) === 0o100000) files.set(name, entry.attrs);
    }
    return files;
  }

  private async fetchComplete(remote: RemoteSftp, listing: Map<string, Attributes>, state: PullState) {
    const result: SftpPollResult = { fetched: [], waiting: [], failed: [] };
    const completion = this.opts.completion ?? { kind: 'stable' };
    const markerSuffix = completion.kind === 'marker' ? completion.suffix : undefined;
    const seenNow = new Map<string, string>();
    let stateChanged = false;
    // Forget files gone from the remote: the list would otherwise grow forever.
    for (const name of Object.keys(state.fetched)) {
      if (!listing.has(name)) {
        delete state.fetched[name];
        stateChanged = true;
      }
    }
    for (const [name, attrs] of listing) {
      if (markerSuffix && name.endsWith(markerSuffix)) continue;
      const version = `${attrs.size}:${attrs.mtime}`;
      seenNow.set(name, version);
      const done = state.fetched[name];
      if (done && done.size === attrs.size && done.mtime === attrs.mtime) continue;
      const complete = markerSuffix ? listing.has(name + markerSuffix) : this.lastSeen.get(name) === version;
      if (!complete) {
        result.waiting.push(name);
        continue;
      }
      try {
        const outcome = await this.fetchOne(remote, name, attrs);
        if (outcome === 'changed') {
          result.waiting.push(name);
          seenNow.delete(name); // it moved under us: it must be stable again from here
          continue;
        }
        state.fetched[name] = { size: attrs.size, mtime: attrs.mtime, fetchedAt: new Date().toISOString() };
        await this.opts.stateStore.save(state);
        result.fetched.push(name);
        await this.afterDownload(remote, name, markerSuffix);
      } catch (error) {
        const reason = this.describe(error);
        result.failed.push({ file: name, reason });
        this.report({ reason, file: name, consecutiveFailures: 0 });
      }
    }
    if (stateChanged) await this.opts.stateStore.save(state);
    this.lastSeen = seenNow;
    return result;
  }

  /** Downloads one file; 'changed' when it was still being written (nothing is published then). */
  private async fetchOne(remote: RemoteSftp, name: string, attrs: Attributes): Promise<'fetched' | 'changed'> {
    const remotePath = posix.join(this.opts.remoteDir, name);
    const finalPath = join(this.opts.inboxDir, name);
    const tempPath = inProgressPathFor(finalPath);
    try {
      const bytes = await remote.download(remotePath, tempPath);
      const after = await remote.stat(remotePath);
      if (bytes !== attrs.size || after.size !== attrs.size || after.mtime !== attrs.mtime) {
        await unlink(tempPath);
        return 'changed';
      }
      await rename(tempPath, finalPath);
    } catch (error) {
      await unlink(tempPath).catch(() => undefined);
      throw error;
    }
    const { tenantId, connectorId } = this.opts;
    const event = { tenantId, connectorId, path: finalPath, relativePath: name, size: attrs.size };
    try {
      await this.opts.onFileReceived?.(event);
    } catch (error) {
      this.logger.error(`onFileReceived failed for ${finalPath}: ${(error as Error).message}`);
    }
    return 'fetched';
  }

  private async afterDownload(remote: RemoteSftp, name: string, markerSuffix: string | undefined): Promise<void> {
    const action = this.opts.afterDownload ?? { kind: 'keep' };
    if (action.kind === 'keep') return;
    const names = markerSuffix ? [name, name + markerSuffix] : [name];
    try {
      if (action.kind === 'move')
        await remote.mkdir(posix.join(this.opts.remoteDir, action.dir)).catch(() => undefined);
      for (const n of names) {
        const from = posix.join(this.opts.remoteDir, n);
        if (action.kind === 'delete') await remote.unlink(from);
        else await remote.rename(from, posix.join(this.opts.remoteDir, action.dir, n));
      }
    } catch (error) {
      const verb = action.kind === 'delete' ? 'delete' : `move to ${action.dir}`;
      throw new Error(`fetched, but could not ${verb} the remote file: ${this.describe(error)}`);
    }
  }

  private report(error: Omit<SftpPullError, 'tenantId' | 'connectorId'>): void {
    const { tenantId, connectorId } = this.opts;
    this.logger.warn(`SFTP pull ${connectorId}${error.file ? ` (${error.file})` : ''}: ${error.reason}`);
    try {
      this.opts.onError?.({ tenantId, connectorId, ...error });
    } catch (hookError) {
      this.logger.error(`onError failed: ${(hookError as Error).message}`);
    }
  }

  /** Turns ssh2, socket and SFTP errors into a reason an administrator can act on. */
  private describe(error: unknown): string {
    const { host, port, username, remoteDir } = this.opts;
    const where = `${host}:${port}`;
    const e = error as Error & { code?: string | number; level?: string };
    if (error instanceof HostKeyMismatchError || error instanceof SftpPullFailure) return e.message;
    if (e.level === 'client-authentication') return `login refused for user ${username} at ${where}`;
    if (e.code === 'ECONNREFUSED') return `connection refused by ${where}`;
    if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return `host name ${host} could not be resolved`;
    if (e.code === 'ETIMEDOUT' || /timed out/i.test(e.message ?? '')) return `no answer from ${where} in time`;
    if (e.code === 2) return `remote path not found (remote directory ${remoteDir})`;
    if (e.code === 3) return `permission denied by the remote server`;
    return e.message || String(error);
  }
}
