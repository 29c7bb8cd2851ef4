import { ConflictException, Inject, Injectable, OnModuleInit, UnprocessableEntityException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { fieldError } from '../../platform/http/field-errors';
import { EncryptionSettings, KeyProviderProbe, ProbeResult } from '../../platform/crypto/key-provider-probe';
import { MailService, SmtpSettings } from '../../platform/mail/mail.service';
import { probeStorage } from '../../platform/storage/storage-probe';
import { StorageSettings } from '../../platform/storage/storage-settings';
import { AuditService } from '../audit/audit.service';
import { AuthService } from '../auth/auth.service';
import { passwordPolicyProblems } from '../auth/password';
import { TokenService } from '../auth/token.service';
import { RequestContext } from '../tenancy/request-context';
import { PRODUCTS } from '../tenancy/tenant.entity';
import { TenantsService } from '../tenancy/tenants.service';
import { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import {
  SetupAdminDto,
  SetupMailDto,
  SetupMailTestDto,
  SetupOrganizationDto,
  SetupStorageDto,
  SetupEncryptionDto,
} from './setup.dto';
import { MASK, masked, SECRET_FIELDS, SETTING, SystemSettingsService } from './system-settings.service';

type MailSetting = SmtpSettings | { skipped: true };

/** The first-run wizard: each step is validated, tested where it touches the outside, and persisted. */
@Injectable()
export class SetupService implements OnModuleInit {
  private adminKnown = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(User) private readonly allUsers: Repository<User>,
    private readonly settings: SystemSettingsService,
    private readonly tenants: TenantsService,
    private readonly users: UsersService,
    private readonly tokens: TokenService,
    private readonly auth: AuthService,
    private readonly context: RequestContext,
    private readonly audit: AuditService,
    private readonly mail: MailService,
    private readonly keyProbe: KeyProviderProbe,
  ) {}

  async onModuleInit(): Promise<void> {
    this.auth.deploymentMode = async () => (await this.settings.get<string>(SETTING.deploymentMode)) ?? 'single';
    const mail = await this.settings.get<MailSetting>(SETTING.mail);
    this.mail.configure(mail && !('skipped' in mail) ? mail : null);
  }

  async isComplete(): Promise<boolean> {
    return (await this.settings.get<boolean>(SETTING.complete)) === true;
  }

  /** True once any administrator exists; cached because it never becomes false again. */
  async adminExists(): Promise<boolean> {
    if (!this.adminKnown) this.adminKnown = (await this.allUsers.count()) > 0;
    return this.adminKnown;
  }

  async assertOpen(): Promise<void> {
    if (await this.isComplete()) throw new ConflictException('setup is already complete');
  }

  async createFirstAdmin(dto: SetupAdminDto) {
    const problems = passwordPolicyProblems(dto.password, dto.email);
    if (problems.length) throw fieldError('password', problems.join('; '));
    const created = await this.dataSource.transaction(async (manager) => {
      if (!(await this.settings.claim(SETTING.adminCreated, manager)) || (await manager.count(User)) > 0) {
        throw new ConflictException('an administrator already exists');
      }
      const tenant = await this.tenants.create(
        { name: dto.displayName, products: [...PRODUCTS], isOperator: true },
        manager,
      );
      return this.context.runAsTenant(tenant.id, () =>
        this.users.create(
          { email: dto.email, displayName: dto.displayName, roles: ['tenantAdmin'], password: dto.password },
          manager,
        ),
      );
    });
    this.adminKnown = true;
    const user = await this.auth.activeUser(created.user.id);
    await this.audit.record({
      action: 'setup.admin.created',
      tenantId: user.tenantId,
      actorId: user.id,
      actorEmail: user.email,
      target: user.id,
    });
    return { user, tokens: await this.tokens.issue(user) };
  }

  async saveOrganization(dto: SetupOrganizationDto): Promise<void> {
    const tenant = await this.operatorTenant();
    await this.tenants.update(tenant.id, {
      name: dto.organizationName,
      products: dto.products,
      timeZone: dto.timeZone ?? 'Asia/Tokyo',
    });
    await this.settings.set(SETTING.deploymentMode, dto.deploymentMode);
    // In a hosted multi-tenant instance the first administrator is also the vendor's administrator.
    const principal = this.context.principal();
    if (principal) {
      const admin = await this.allUsers.findOneOrFail({ where: { id: principal.id } });
      const roles = new Set(admin.roles);
      if (dto.deploymentMode === 'multi') roles.add('vendorAdmin');
      else roles.delete('vendorAdmin');
      await this.allUsers.update(admin.id, { roles: [...roles] });
    }
    await this.audit.record({ action: 'setup.organization.saved', details: { ...dto } });
  }

  async testStorage(dto: SetupStorageDto) {
    return probeStorage(await this.withStoredSecrets(SETTING.storage, toStorageSettings(dto)));
  }

  async saveStorage(dto: SetupStorageDto): Promise<ProbeResult> {
    const settings = await this.withStoredSecrets(SETTING.storage, toStorageSettings(dto));
    const result = await probeStorage(settings);
    if (!result.ok) throw new UnprocessableEntityException(result.message);
    await this.settings.set(SETTING.storage, settings);
    await this.audit.record({ action: 'setup.storage.saved', details: masked({ ...settings }) });
    return result;
  }

  testEncryption(dto: SetupEncryptionDto) {
    return this.keyProbe.test(toEncryptionSettings(dto));
  }

  async saveEncryption(dto: SetupEncryptionDto): Promise<ProbeResult> {
    const result = await this.testEncryption(dto);
    if (!result.ok) throw new UnprocessableEntityException(result.message);
    const settings = toEncryptionSettings(dto);
    await this.settings.set(SETTING.encryption, settings);
    await this.audit.record({ action: 'setup.encryption.saved', details: { ...settings } });
    return result;
  }

  async testMail(dto: SetupMailTestDto): Promise<ProbeResult> {
    if (dto.skip) throw fieldError('skip', 'a test mail needs SMTP settings');
    const smtp = await this.withStoredSecrets(SETTING.mail, toSmtpSettings(dto));
    try {
      const id = await MailService.sendTest(smtp, dto.testRecipient, {
        subject: '[通話録音] テストメール / test message',
        text: '通話録音アプライアンスのSMTP設定は正しく動作しています。\nThe SMTP settings of your call-recording appliance work.',
      });
      return { ok: true, message: `sent to ${dto.testRecipient} (${id})` };
    } catch (error) {
      return { ok: false, message: `${smtp.host}:${smtp.port}: ${(error as Error).message}` };
    }
  }

  async saveMail(dto: SetupMailDto): Promise<void> {
    const value: MailSetting = dto.skip
      ? { skipped: true }
      : await this.withStoredSecrets(SETTING.mail, toSmtpSettings(dto));
    await this.settings.set(SETTING.mail, value);
    this.mail.configure('skipped' in value ? null : value);
    await this.audit.record({ action: 'setup.mail.saved', details: masked({ ...value }) });
  }

  async state() {
    const tenant = await this.tenants.operatorTenant();
    const mode = await this.settings.get<string>(SETTING.deploymentMode);
    return {
      setupComplete: await this.isComplete(),
      adminCreated: await this.adminExists(),
      organization:
        tenant && mode
          ? {
              organizationName: tenant.name,
              deploymentMode: mode,
              timeZone: tenant.timeZone,
              products: tenant.products,
            }
          : null,
      storage: masked(await this.settings.get<StorageSettings>(SETTING.storage)),
      encryption: await this.settings.get<EncryptionSettings>(SETTING.encryption),
      mail: masked(await this.settings.get<MailSetting>(SETTING.mail)),
    };
  }

  async complete(): Promise<{ setupComplete: true }> {
    const state = await this.state();
    const missing = (['organization', 'storage', 'encryption', 'mail'] as const).filter((step) => !state[step]);
    if (missing.length) throw new UnprocessableEntityException(`steps not done yet: ${missing.join(', ')}`);
    await this.settings.set(SETTING.complete, true);
    await this.audit.record({ action: 'setup.completed' });
    return { setupComplete: true };
  }

  /**
   * The wizard shows saved secrets masked and sends the mask back when the user leaves them alone:
   * the mask then means "keep the stored secret".
   */
  private async withStoredSecrets<T extends object>(key: string, incoming: T): Promise<T> {
    const out: Record<string, unknown> = { ...(incoming as Record<string, unknown>) };
    const stored = (await this.settings.get<Record<string, unknown>>(key)) ?? {};
    for (const field of SECRET_FIELDS) {
      if (out[field] === MASK) out[field] = stored[field];
    }
    return out as T;
  }

  private async operatorTenant() {
    const tenant = await this.tenants.operatorTenant();
    if (!tenant) throw new ConflictException('create the administrator first');
    return tenant;
  }
}

function toStorageSettings(dto: SetupStorageDto): StorageSettings {
  if (dto.driver === 'local') return { driver: 'local', localPath: dto.localPath as string };
  return {
    driver: 's3',
    endpoint: dto.endpoint || undefined,
    region: dto.region as string,
    bucket: dto.bucket as string,
    accessKeyId: dto.accessKeyId as string,
    secretAccessKey: dto.secretAccessKey as string,
    forcePathStyle: dto.forcePathStyle ?? true,
  };
}

function toEncryptionSettings(dto: SetupEncryptionDto): EncryptionSettings {
  if (dto.mode === 'local') return { mode: 'local' };
  return {
    mode: 'kms',
    kmsKeyId: dto.kmsKeyId as string,
    kmsRegion: dto.kmsRegion as string,
    kmsEndpoint: dto.kmsEndpoint,
  };
}

function toSmtpSettings(dto: SetupMailDto): SmtpSettings {
  return {
    host: dto.host as string,
    port: dto.port as number,
    secure: dto.secure as boolean,
    user: dto.user || undefined,
    password: dto.password || undefined,
    from: dto.from as string,
  };
}
