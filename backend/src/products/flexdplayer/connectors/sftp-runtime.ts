import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { join } from 'node:path';
import { APP_CONFIG, AppConfig } from '../../../config/app-config';
import { AuditService } from '../../../core/audit/audit.service';
import { FlexdPaths } from '../flexdplayer-paths';
import {
  JsonFilePullStateStore,
  SftpDropServer,
  type SftpLoginEvent,
  type SftpPullError,
  SftpPuller,
  type SftpPullerStatus,
} from '../sftp';
import { ConnectorsService, type SftpPullTarget } from './connectors.service';

/** How often the pullers are matched to the enabled sftp-pull connectors (new, changed, removed). */
export const PULLER_SYNC_MS = 30_000;

export interface SftpDropStatus {
  enabled: boolean;
  /** The address carriers connect to; the port is what the server listens on. */
  port: number | null;
  hostKeyFingerprint: string | null;
}

/**
 * Runs FlexDPlayer's SFTP side inside the appliance: the built-in drop server (one account per
 * sftp-drop connector, chrooted to its inbox) and one puller per enabled sftp-pull connector. Both
 * only deliver complete files into inboxes; the connector scans import them from there.
 */
@Injectable()
export class SftpRuntime implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SftpRuntime.name);
  private server: SftpDropServer | null = null;
  private readonly pullers = new Map<string, { settings: string; puller: SftpPuller }>();
  private timer: NodeJS.Timeout | undefined;
  private syncing: Promise<void> = Promise.resolve();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly connectors: ConnectorsService,
    private readonly paths: FlexdPaths,
    private readonly audit: AuditService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { sftpPort, sftpHost } = this.config.flexdplayer;
    if (sftpPort !== null) {
      this.server = new SftpDropServer({
        host: sftpHost,
        port: sftpPort,
        hostKeyPath: join(this.paths.root, 'ssh_host_ed25519_key'),
        findSftpAccount: (username) => this.connectors.findSftpAccount(username),
        onLogin: (event) => void this.auditLogin(event),
      });
      const address = await this.server.start();
      this.logger.log(`SFTP drop server listening on ${address.host}:${address.port}`);
    }
    this.timer = setInterval(() => void this.syncPullers(), PULLER_SYNC_MS);
    this.timer.unref();
    await this.syncPullers();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.syncing.catch(() => undefined);
    await Promise.all([...this.pullers.values()].map(({ puller }) => puller.stop()));
    this.pullers.clear();
    await this.server?.close();
  }

  dropStatus(): SftpDropStatus {
    if (!this.server) return { enabled: false, port: null, hostKeyFingerprint: null };
    return { enabled: true, port: this.server.address().port, hostKeyFingerprint: this.server.hostKeyFingerprint };
  }

  /** The puller of a connector: its last poll, error and pinned host key; null when it has none. */
  pullStatus(connectorId: string): SftpPullerStatus | null {
    return this.pullers.get(connectorId)?.puller.status() ?? null;
  }

  /** Starts, restarts (settings changed) and stops pullers to match the enabled sftp-pull connectors. */
  syncPullers(): Promise<void> {
    this.syncing = this.syncing.catch(() => undefined).then(() => this.matchPullers());
    return this.syncing;
  }

  private async matchPullers(): Promise<void> {
    const targets = await this.connectors.sftpPullTargets();
    const wanted = new Map(targets.map((t) => [t.connectorId, t]));
    for (const [connectorId, running] of this.pullers) {
      const target = wanted.get(connectorId);
      if (target && JSON.stringify(target) === running.settings) continue;
      await running.puller.stop();
      this.pullers.delete(connectorId);
    }
    for (const target of targets) {
      if (this.pullers.has(target.connectorId)) continue;
      try {
        const puller = this.pullerFor(target);
        this.pullers.set(target.connectorId, { settings: JSON.stringify(target), puller });
        puller.start();
      } catch (error) {
        // Settings the puller refuses (validated on save, so only from an older version): this
        // connector waits for an admin, the others run.
        this.pullFailed({ ...target, reason: (error as Error).message, consecutiveFailures: 1 });
      }
    }
  }

  private pullerFor(target: SftpPullTarget): SftpPuller {
    return new SftpPuller({
      tenantId: target.tenantId,
      connectorId: target.connectorId,
      host: target.host,
      port: target.port,
      username: target.username,
      password: target.password,
      privateKey: target.privateKey,
      passphrase: target.passphrase,
      remoteDir: target.remoteDir,
      inboxDir: target.inboxDir,
      hostKeyFingerprint: target.hostKeySha256,
      // Beside the inbox, never in it: the scans must not take it for a delivery.
      stateStore: new JsonFilePullStateStore(
        join(this.paths.connectorDir(target.tenantId, target.connectorId), 'pull-state.json'),
      ),
      intervalMs: target.pollIntervalSeconds * 1000,
      onError: (error) => this.pullFailed(error),
    });
  }

  private pullFailed(error: SftpPullError): void {
    this.logger.warn(`sftp-pull connector ${error.connectorId}: ${error.file ? `${error.file}: ` : ''}${error.reason}`);
    // Only the first of a run of failed polls is audited, so a remote that is down for a day
    // leaves one entry, not one a minute.
    if (error.file || error.consecutiveFailures !== 1) return;
    void this.audit
      .record({
        action: 'flexdplayer.sftp_pull.failed',
        target: error.connectorId,
        tenantId: error.tenantId,
        details: { reason: error.reason },
      })
      .catch(() => undefined);
  }

  private async auditLogin(event: SftpLoginEvent): Promise<void> {
    // Failures of names no connector has belong to no tenant: logged, not put in a tenant's chain.
    if (!event.tenantId) {
      this.logger.warn(`SFTP login refused for ${event.username} from ${event.remoteAddress}: ${event.reason}`);
      return;
    }
    await this.audit
      .record({
        action: event.success ? 'flexdplayer.sftp.login' : 'flexdplayer.sftp.login_failed',
        target: event.connectorId ?? null,
        tenantId: event.tenantId,
        actorEmail: `sftp:${event.username}`,
        details: {
          remoteAddress: event.remoteAddress,
          method: event.method,
          ...(event.success ? {} : { reason: event.reason, lockedOut: event.lockedOut ?? false }),
        },
      })
      .catch((error: Error) => this.logger.warn(`auditing an SFTP login failed: ${error.message}`));
  }
}
