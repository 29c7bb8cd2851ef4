import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../../config/app-config';
import { AuditService } from '../../../core/audit/audit.service';
import { hashPassword } from '../../../core/auth/password';
import { RequestContext } from '../../../core/tenancy/request-context';
import { InjectTenantRepository, TenantRepository } from '../../../core/tenancy/tenant-repository';
import { fieldError, fieldErrors, FieldProblem } from '../../../platform/http/field-errors';
import { FlexdPaths } from '../flexdplayer-paths';
import { MappingProfilesService } from '../mapping/mapping-profiles.service';
import { BUILT_IN_PROFILE_ID } from '../mapping/mapping-profile';
import { ConnectorSecrets, PullSecret } from './connector-secrets';
import { CreateConnectorDto, UpdateConnectorDto } from './connector.dto';
import { FlexdConnector } from './connector.entity';
import {
  FolderSettings,
  folderProblems,
  foldersOverlap,
  SETTINGS_KEY,
  sftpDropProblems,
  SftpDropSettings,
  sftpPullProblems,
  SftpPullSettings,
  SecretFlags,
} from './connector-settings';
import { connectorView, ConnectorView } from './connector-view';
import type { SftpAccount } from '../sftp';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const isDuplicate = (error: unknown) => /duplicate|unique/i.test((error as Error).message);

/** What the SFTP pull client needs for one connector, secrets opened. */
export interface SftpPullTarget extends SftpPullSettings, PullSecret {
  tenantId: string;
  connectorId: string;
  inboxDir: string;
}

/** The current tenant's connectors, and the two system-wide lookups the SFTP server and puller use. */
@Injectable()
export class ConnectorsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectTenantRepository(FlexdConnector) private readonly connectors: TenantRepository<FlexdConnector>,
    private readonly context: RequestContext,
    private readonly profiles: MappingProfilesService,
    private readonly secrets: ConnectorSecrets,
    private readonly paths: FlexdPaths,
    private readonly audit: AuditService,
  ) {}

  async list(): Promise<ConnectorView[]> {
    return (await this.connectors.find({ order: { name: 'ASC' } })).map((c) => connectorView(c, this.paths));
  }

  /** One connector of the current tenant; another tenant's answers 404. */
  row(id: string): Promise<FlexdConnector> {
    return this.connectors.get({ id });
  }

  async get(id: string): Promise<ConnectorView> {
    return connectorView(await this.row(id), this.paths);
  }

  async create(dto: CreateConnectorDto): Promise<ConnectorView & { pushToken?: string }> {
    const tenantId = this.context.tenantId();
    this.assertOnlyOwnSettings(dto.type, dto);
    const now = new Date();
    const row = this.connectors.create({
      id: randomUUID(),
      type: dto.type,
      name: dto.name,
      enabled: dto.enabled ?? true,
      mappingProfileId: await this.profileId(dto.mappingProfileId),
      settings: '{}',
      secret: null,
      secretKeyId: null,
      sftpUsername: null,
      passwordHash: null,
      pushTokenHash: null,
      settleSeconds: dto.settleSeconds ?? 10,
      lastScanAt: null,
      createdAt: now,
      updatedAt: now,
    });
    await this.applySettings(row, dto, true);
    const token = dto.type === 'https-push' ? this.newPushToken(row) : undefined;
    await this.saveChecked(row);
    for (const dir of Object.values(this.paths.dirs(row))) mkdirSync(dir, { recursive: true, mode: 0o750 });
    await this.audit.record({
      action: 'flexdplayer.connector.created',
      target: row.id,
      details: { name: row.name, type: row.type, tenantId },
    });
    return { ...connectorView(row, this.paths), ...(token ? { pushToken: token } : {}) };
  }

  async update(id: string, dto: UpdateConnectorDto): Promise<ConnectorView> {
    const row = await this.row(id);
    this.assertOnlyOwnSettings(row.type, dto);
    const changed = Object.keys(dto);
    if (dto.name !== undefined) row.name = dto.name;
    if (dto.enabled !== undefined) row.enabled = dto.enabled;
    if (dto.settleSeconds !== undefined) row.settleSeconds = dto.settleSeconds;
    if (dto.mappingProfileId !== undefined) row.mappingProfileId = await this.profileId(dto.mappingProfileId);
    await this.applySettings(row, dto, false);
    row.updatedAt = new Date();
    await this.saveChecked(row);
    if (row.type === 'folder')
      for (const dir of Object.values(this.paths.dirs(row))) mkdirSync(dir, { recursive: true });
    await this.audit.record({
      action: 'flexdplayer.connector.updated',
      target: id,
      details: { name: row.name, changed },
    });
    return connectorView(row, this.paths);
  }

  /** Removes the connector and its file records; files already on disk stay where they are. */
  async remove(id: string): Promise<void> {
    const row = await this.row(id);
    await this.connectors.remove(row);
    await this.audit.record({ action: 'flexdplayer.connector.deleted', target: id, details: { name: row.name } });
  }

  /** A new push token, shown once; the old one stops working at once. */
  async rotatePushToken(id: string): Promise<{ pushToken: string }> {
    const row = await this.row(id);
    if (row.type !== 'https-push') throw fieldError('type', 'only https-push connectors have a token');
    const pushToken = this.newPushToken(row);
    row.updatedAt = new Date();
    await this.connectors.save(row);
    await this.audit.record({ action: 'flexdplayer.connector.token-rotated', target: id });
    return { pushToken };
  }

  /** The SFTP drop account with this login name (any tenant), if enabled. */
  async findSftpAccount(username: string): Promise<SftpAccount | null> {
    const row = await this.dataSource
      .getRepository(FlexdConnector)
      .findOne({ where: { sftpUsername: username.toLowerCase(), type: 'sftp-drop', enabled: true } });
    if (!row) return null;
    return {
      tenantId: row.tenantId,
      connectorId: row.id,
      inboxDir: this.paths.inbox(row.tenantId, row.id),
      passwordHash: row.passwordHash,
      authorizedKeys: (JSON.parse(row.settings) as SftpDropSettings).authorizedKeys ?? [],
    };
  }

  /** Every enabled SFTP pull connector (any tenant), with its credentials opened. */
  async sftpPullTargets(): Promise<SftpPullTarget[]> {
    const rows = await this.dataSource
      .getRepository(FlexdConnector)
      .find({ where: { type: 'sftp-pull', enabled: true } });
    const out: SftpPullTarget[] = [];
    for (const row of rows) {
      const settings = JSON.parse(row.settings) as SftpPullSettings & Partial<SecretFlags>;
      delete settings.passwordSet;
      delete settings.privateKeySet;
      out.push({
        ...settings,
        ...(await this.secrets.open(row)),
        tenantId: row.tenantId,
        connectorId: row.id,
        inboxDir: this.paths.inbox(row.tenantId, row.id),
      });
    }
    return out;
  }

  /** The enabled https-push connector this token belongs to, compared in constant time; else null. */
  async pushConnector(connectorId: string, token: string): Promise<FlexdConnector | null> {
    const row = await this.dataSource
      .getRepository(FlexdConnector)
      .findOne({ where: { id: connectorId, type: 'https-push', enabled: true } });
    const presented = Buffer.from(sha256(token), 'hex');
    const expected = Buffer.from(row?.pushTokenHash ?? sha256('no connector'), 'hex');
    return row && timingSafeEqual(presented, expected) ? row : null;
  }

  private newPushToken(row: FlexdConnector): string {
    const token = `fdp_${randomBytes(32).toString('base64url')}`;
    row.pushTokenHash = sha256(token);
    return token;
  }

  private async profileId(id: string | null | undefined): Promise<string | null> {
    if (!id || id === BUILT_IN_PROFILE_ID) return null;
    try {
      return (await this.profiles.get(id)).id;
    } catch {
      throw fieldError('mappingProfileId', 'no such mapping profile');
    }
  }

  private assertOnlyOwnSettings(type: FlexdConnector['type'], dto: UpdateConnectorDto): void {
    const own = SETTINGS_KEY[type];
    const foreign = (['sftpDrop', 'sftpPull', 'folder'] as const).filter((k) => k !== own && dto[k] !== undefined);
    if (foreign.length)
      throw fieldErrors(foreign.map((field) => ({ field, message: `not a setting of a ${type} connector` })));
  }

  private async applySettings(row: FlexdConnector, dto: UpdateConnectorDto, creating: boolean): Promise<void> {
    const problems: FieldProblem[] = [];
    if (row.type === 'sftp-drop' && (creating || dto.sftpDrop)) {
      const d = dto.sftpDrop ?? {};
      problems.push(...sftpDropProblems(d, creating, !!row.passwordHash));
      if (!problems.length) {
        if (d.username) row.sftpUsername = d.username.toLowerCase();
        if (d.password !== undefined) row.passwordHash = d.password ? await hashPassword(d.password) : null;
        const current = JSON.parse(row.settings) as Partial<SftpDropSettings>;
        const keys = (d.authorizedKeys ?? current.authorizedKeys ?? []).map((k) => k.trim());
        row.settings = JSON.stringify({ authorizedKeys: keys } satisfies SftpDropSettings);
      }
    } else if (row.type === 'sftp-pull' && (creating || dto.sftpPull)) {
      const d = dto.sftpPull ?? {};
      problems.push(...sftpPullProblems(d, creating, !!row.secret));
      if (!problems.length) await this.applyPull(row, d);
    } else if (row.type === 'folder' && (creating || dto.folder)) {
      if (!dto.folder) problems.push({ field: 'folder.path', message: 'is required' });
      else {
        const checked = folderProblems(dto.folder, this.config.dataDir);
        problems.push(...checked.problems);
        if (!checked.problems.length) {
          await this.assertFolderFree(row.id, checked.path);
          row.settings = JSON.stringify({ path: checked.path } satisfies FolderSettings);
        }
      }
    }
    if (problems.length) throw fieldErrors(problems);
  }

  private async applyPull(row: FlexdConnector, d: NonNullable<UpdateConnectorDto['sftpPull']>): Promise<void> {
    const current = JSON.parse(row.settings) as Partial<SftpPullSettings & SecretFlags>;
    const settings: SftpPullSettings = {
      host: d.host ?? current.host ?? '',
      port: d.port ?? current.port ?? 22,
      username: d.username ?? current.username ?? '',
      remoteDir: d.remoteDir ?? current.remoteDir ?? '.',
      pollIntervalSeconds: d.pollIntervalSeconds ?? current.pollIntervalSeconds ?? 300,
      hostKeySha256: d.hostKeySha256 === undefined ? (current.hostKeySha256 ?? null) : d.hostKeySha256,
    };
    const flags = { passwordSet: !!current.passwordSet, privateKeySet: !!current.privateKeySet };
    if (d.password !== undefined || d.privateKey !== undefined || d.passphrase !== undefined) {
      const old = await this.secrets.open(row);
      const next: PullSecret = {
        password: (d.password === undefined ? old.password : d.password) ?? undefined,
        privateKey: (d.privateKey === undefined ? old.privateKey : d.privateKey) ?? undefined,
        passphrase: (d.passphrase === undefined ? old.passphrase : d.passphrase) ?? undefined,
      };
      Object.assign(row, await this.secrets.seal(row.tenantId, next));
      Object.assign(flags, { passwordSet: !!next.password, privateKeySet: !!next.privateKey });
    }
    // Which secrets are set is kept beside the seal, so views need not open it.
    row.settings = JSON.stringify({ ...settings, ...flags });
  }

  /** Folders are checked across tenants: one tenant must not watch (or nest into) another's. */
  private async assertFolderFree(id: string, path: string): Promise<void> {
    const folders = await this.dataSource.getRepository(FlexdConnector).find({ where: { type: 'folder' } });
    const clash = folders.find(
      (f) => f.id !== id && foldersOverlap((JSON.parse(f.settings) as FolderSettings).path, path),
    );
    if (clash) throw fieldError('folder.path', 'overlaps a folder another connector watches');
  }

  private async saveChecked(row: FlexdConnector): Promise<void> {
    try {
      await this.connectors.save(row);
    } catch (error) {
      if (!isDuplicate(error)) throw error;
      const taken = row.sftpUsername
        ? await this.dataSource.getRepository(FlexdConnector).findOne({ where: { sftpUsername: row.sftpUsername } })
        : null;
      if (taken && taken.id !== row.id) throw fieldError('sftpDrop.username', 'already taken');
      throw fieldError('name', 'another connector already has this name');
    }
  }
}
