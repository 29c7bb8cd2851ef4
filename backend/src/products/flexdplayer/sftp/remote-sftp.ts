import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Client, type Attributes, type FileEntry, type SFTPWrapper } from 'ssh2';
import { sshFingerprint } from './host-key';

export interface RemoteSftpLogin {
  host: string;
  port: number;
  username: string;
  password?: string;
  privateKey?: string | Buffer;
  passphrase?: string;
  /** `SHA256:...` the server's host key must have; when absent, any key is accepted and reported. */
  hostKeyFingerprint?: string;
  readyTimeoutMs?: number;
}

/** The remote server presented a host key other than the pinned one. */
export class HostKeyMismatchError extends Error {
  constructor(
    readonly expected: string,
    readonly actual: string,
    where: string,
  ) {
    super(
      `host key of ${where} changed: expected ${expected}, got ${actual}; ` +
        'refusing to connect (confirm the new key with the carrier, then update the pinned fingerprint)',
    );
    this.name = 'HostKeyMismatchError';
  }
}

/** An open SFTP connection with the few calls the puller needs, as promises. */
export class RemoteSftp {
  private constructor(
    private readonly client: Client,
    private readonly sftp: SFTPWrapper,
    /** The fingerprint the server presented (what to pin on first use). */
    readonly hostKeyFingerprint: string,
  ) {}

  static async connect(login: RemoteSftpLogin): Promise<RemoteSftp> {
    const client = new Client();
    let presented = '';
    let mismatch: HostKeyMismatchError | undefined;
    await new Promise<void>((resolve, reject) => {
      client.once('ready', () => resolve());
      client.once('error', (error) => reject(mismatch ?? error));
      client.connect({
        host: login.host,
        port: login.port,
        username: login.username,
        password: login.password,
        privateKey: login.privateKey,
        passphrase: login.passphrase,
        readyTimeout: login.readyTimeoutMs ?? 20_000,
        hostVerifier: (key: Buffer) => {
          presented = sshFingerprint(key);
          if (!login.hostKeyFingerprint || login.hostKeyFingerprint === presented) return true;
          mismatch = new HostKeyMismatchError(login.hostKeyFingerprint, presented, `${login.host}:${login.port}`);
          return false;
        },
      });
    });
    // From here on, failures reach the caller through each call's callback; a late socket error
    // must not become an unhandled 'error' event that takes the process down.
    client.on('error', () => undefined);
    try {
      const sftp = await new Promise<SFTPWrapper>((resolve, reject) =>
        client.sftp((error, channel) => (error ? reject(error) : resolve(channel))),
      );
      return new RemoteSftp(client, sftp, presented);
    } catch (error) {
      client.end();
      throw error;
    }
  }

  list(dir: string): Promise<FileEntry[]> {
    return new Promise((resolve, reject) => this.sftp.readdir(dir, (e, list) => (e ? reject(e) : resolve(list))));
  }

  stat(path: string): Promise<Attributes> {
    return new Promise((resolve, reject) => this.sftp.stat(path, (e, attrs) => (e ? reject(e) : resolve(attrs))));
  }

  /** Streams a remote file into a local one; resolves with the number of bytes written. */
  async download(remotePath: string, localPath: string): Promise<number> {
    const source = this.sftp.createReadStream(remotePath);
    const target = createWriteStream(localPath, { flags: 'wx', mode: 0o640 });
    await pipeline(source, target);
    return target.bytesWritten;
  }

  unlink(path: string): Promise<void> {
    return new Promise((resolve, reject) => this.sftp.unlink(path, (e) => (e ? reject(e) : resolve())));
  }

  rename(from: string, to: string): Promise<void> {
    return new Promise((resolve, reject) => this.sftp.rename(from, to, (e) => (e ? reject(e) : resolve())));
  }

  mkdir(path: string): Promise<void> {
    return new Promise((resolve, reject) => this.sftp.mkdir(path, (e) => (e ? reject(e) : resolve())));
  }

  close(): void {
    this.client.end();
  }
}
