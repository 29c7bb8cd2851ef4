import { Logger } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { Server, type Connection } from 'ssh2';
import { loadOrCreateHostKey, type HostKeyType } from './host-key';
import { LoginThrottle, type LoginThrottleOptions } from './login-throttle';
import { verifyArgon2Password, type FindSftpAccount, type SftpAccount, type VerifyPassword } from './sftp-account';
import { authenticateSftpLogin, type SftpLoginEvent } from './sftp-auth';
import { SftpSession, type SftpFileReceived } from './sftp-session';

/** ssh2 has no public call for an SFTP channel's exit status; its own tests reach in like this. */
interface SftpChannelInternals {
  _protocol?: { exitStatus?: (channelId: number | undefined, status: number) => void };
  outgoing?: { id: number };
}

export interface SftpDropServerOptions {
  /** Address to listen on; default 0.0.0.0. */
  host?: string;
  /** Port to listen on; default 2222; 0 picks a free one (see `address()`). */
  port?: number;
  /** Where the host key lives; generated there (mode 0600) on first start. */
  hostKeyPath: string;
  /** Key type generated on first start; default ed25519. */
  hostKeyType?: HostKeyType;
  findSftpAccount: FindSftpAccount;
  /** Default: core/auth's argon2id verification. */
  verifyPassword?: VerifyPassword;
  /** Called once per complete file, after it has its final name. Errors are logged, not sent to the client. */
  onFileReceived?: (event: SftpFileReceived) => void | Promise<void>;
  /** Called for every login that succeeded or failed (for the audit log). */
  onLogin?: (event: SftpLoginEvent) => void | Promise<void>;
  /** Failure limit per source address + user name; defaults: 5 failures in 15 min lock for 15 min. */
  lockout?: Partial<LoginThrottleOptions>;
  /** A client that has not logged in within this time is disconnected; default 30 s. */
  loginTimeoutMs?: number;
  /** A connection's failed attempts before it is closed (the lockout still counts across connections); default 6. */
  maxAuthAttemptsPerConnection?: number;
  /** Simultaneous connections; default 64. */
  maxConnections?: number;
}

/**
 * The FlexDPlayer SFTP drop: a small SFTP-only server where each connector's account lands files in
 * that connector's inbox and nowhere else. No shell, exec (so no legacy `scp -O`) or forwarding.
 */
export class SftpDropServer {
  private readonly logger = new Logger(SftpDropServer.name);
  private readonly throttle: LoginThrottle;
  private readonly connections = new Set<Connection>();
  private readonly sessions = new Set<SftpSession>();
  // Per connector, the files its account uploaded: REMOVE/RENAME are limited to these (in memory only).
  private readonly ownUploads = new Map<string, Set<string>>();
  private server: Server | undefined;
  private fingerprint: string | undefined;

  constructor(private readonly options: SftpDropServerOptions) {
    if (!options.hostKeyPath) throw new Error('hostKeyPath is required');
    if (typeof options.findSftpAccount !== 'function') throw new Error('findSftpAccount must be a function');
    const port = options.port ?? 2222;
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('port must be an integer 0-65535');
    this.throttle = new LoginThrottle(options.lockout);
  }

  /** The host key's `SHA256:...` fingerprint, to give to senders; known once started. */
  get hostKeyFingerprint(): string {
    if (!this.fingerprint) throw new Error('SftpDropServer is not started');
    return this.fingerprint;
  }

  /** The address actually listened on (useful with port 0). */
  address(): { host: string; port: number } {
    const info = this.server?.address() as AddressInfo | null | undefined;
    if (!info) throw new Error('SftpDropServer is not listening');
    return { host: info.address, port: info.port };
  }

  async start(): Promise<{ host: string; port: number }> {
    if (this.server) throw new Error('SftpDropServer is already started');
    const hostKey = await loadOrCreateHostKey(this.options.hostKeyPath, this.options.hostKeyType);
    this.fingerprint = hostKey.fingerprint;
    const server = new Server({ hostKeys: [hostKey.privateKey] }, (client, info) =>
      this.handleConnection(client, info.ip),
    );
    server.maxConnections = this.options.maxConnections ?? 64;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 2222, this.options.host ?? '0.0.0.0', () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (error: Error) => this.logger.error(`SFTP server error: ${error.message}`));
    return this.address();
  }

  /**
   * Stops accepting connections, gives open sessions `graceMs` (default 5 s) to finish, then
   * disconnects them; uploads not closed by then are deleted, never published half-written.
   */
  async close({ graceMs = 5000 }: { graceMs?: number } = {}): Promise<void> {
    const server = this.server;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    if (this.connections.size > 0) {
      let check: NodeJS.Timeout | undefined;
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        check = setInterval(() => this.connections.size === 0 && resolve(), 50);
        timer = setTimeout(resolve, graceMs);
      });
      clearInterval(check);
      clearTimeout(timer);
    }
    for (const client of this.connections) client.end();
    await Promise.allSettled([...this.sessions].map((session) => session.dispose()));
    await closed;
    this.server = undefined;
  }

  private handleConnection(client: Connection, remoteAddress: string): void {
    this.connections.add(client);
    const sessions = new Set<SftpSession>();
    let account: SftpAccount | null = null;
    let failures = 0;
    const maxFailures = this.options.maxAuthAttemptsPerConnection ?? 6;
    const loginTimer = setTimeout(() => client.end(), this.options.loginTimeoutMs ?? 30_000);

    client.on('authentication', (ctx) => {
      void authenticateSftpLogin(ctx, remoteAddress, {
        findSftpAccount: this.options.findSftpAccount,
        verifyPassword: this.options.verifyPassword ?? verifyArgon2Password,
        throttle: this.throttle,
        onLogin: (event) => {
          if (!event.success) failures++;
          this.callHook('onLogin', () => this.options.onLogin?.(event));
        },
      }).then((result) => {
        if (result) account = result;
        else if (failures >= maxFailures) client.end();
      });
    });
    client.on('ready', () => {
      clearTimeout(loginTimer);
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('sftp', (acceptSftp) => {
          if (!account) return client.end();
          sessions.add(this.startSftp(acceptSftp(), account));
        });
        // No 'exec', 'shell', 'pty' or 'subsystem' listener: ssh2 refuses those requests.
      });
    });
    client.on('error', (error: Error) => this.logger.debug(`SFTP client ${remoteAddress}: ${error.message}`));
    // A client that vanishes mid-upload may not close its channel first: clean up here too.
    client.on('close', () => {
      clearTimeout(loginTimer);
      this.connections.delete(client);
      for (const session of sessions) this.endSession(session);
    });
  }

  private startSftp(sftp: ConstructorParameters<typeof SftpSession>[0], account: SftpAccount): SftpSession {
    let own = this.ownUploads.get(account.connectorId);
    if (!own) this.ownUploads.set(account.connectorId, (own = new Set()));
    const session = new SftpSession(sftp, account, {
      ownUploads: own,
      onFileReceived: (event) => this.callHook('onFileReceived', () => this.options.onFileReceived?.(event)),
    });
    this.sessions.add(session);
    // The client's EOF means it is done: close our side too, or OpenSSH waits forever for it. Send an
    // exit status first, as OpenSSH's sftp-server does: scp fails on a session that ends without one.
    sftp.on('end', () => {
      const channel = sftp as unknown as SftpChannelInternals;
      channel._protocol?.exitStatus?.(channel.outgoing?.id, 0);
      sftp.end();
    });
    sftp.on('close', () => this.endSession(session));
    return session;
  }

  private endSession(session: SftpSession): void {
    if (!this.sessions.delete(session)) return;
    void session.dispose();
  }

  /** Runs a callback so that neither a throw nor a rejected promise can reach the SSH connection. */
  private callHook(name: string, call: () => void | Promise<void> | undefined): void {
    try {
      void Promise.resolve(call()).catch((error: Error) => this.logger.error(`${name} failed: ${error.message}`));
    } catch (error) {
      this.logger.error(`${name} failed: ${(error as Error).message}`);
    }
  }
}
