import { ForbiddenException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../../core/audit/audit.service';
import { ApiKey } from '../../../core/auth/api-key.entity';
import { RequestContext } from '../../../core/tenancy/request-context';
import { InjectTenantRepository, TenantRepository } from '../../../core/tenancy/tenant-repository';
import { TenantsService } from '../../../core/tenancy/tenants.service';
import { fieldError } from '../../../platform/http/field-errors';
import { HeartbeatMinute } from '../health/heartbeat-minute.entity';
import { newSiteHealth, SiteHealth } from '../health/site-health.entity';
import { extensionsRegex } from './network-rules';
import { CreateSiteDto, UpdateSiteDto } from './site.dto';
import { FlexlogSite, SiteLine } from './site.entity';
import { normaliseSiteFields, SiteFields } from './site-rules';
import { WebhookSecrets } from './webhook-secrets';

/** How often the capture sends a heartbeat; offline thresholds are multiples of it. */
export const HEARTBEAT_INTERVAL_SECONDS = 10;

export interface SiteView extends SiteFields {
  id: string;
  /** The secret itself is shown once, when made; afterwards only whether there is one. */
  webhookSecretSet: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** What the capture box needs to classify calls; `extensionPattern` is the one expression it matches. */
export interface CaptureConfigView {
  siteId: string;
  name: string;
  internalNetworks: string[];
  extensionPatterns: string[];
  extensionPattern: string | null;
  lines: SiteLine[];
  heartbeatIntervalSeconds: number;
  updatedAt: Date;
}

export const siteFields = (s: FlexlogSite): SiteFields => ({
  name: s.name,
  location: s.location,
  internalNetworks: JSON.parse(s.internalNetworks) as string[],
  extensionPatterns: JSON.parse(s.extensionPatterns) as string[],
  lines: JSON.parse(s.lines) as SiteLine[],
  offlineAfterSeconds: s.offlineAfterSeconds,
  dropAlertThreshold: s.dropAlertThreshold,
  webhookUrl: s.webhookUrl,
});

export const siteView = (s: FlexlogSite): SiteView => ({
  id: s.id,
  ...siteFields(s),
  webhookSecretSet: !!s.webhookSecret,
  createdAt: s.createdAt,
  updatedAt: s.updatedAt,
});

/** The given fields as columns: the lists are stored as JSON text. */
function columns(f: Partial<SiteFields>): Partial<FlexlogSite> {
  const { internalNetworks, extensionPatterns, lines, ...plain } = f;
  return {
    ...plain,
    ...(internalNetworks ? { internalNetworks: JSON.stringify(internalNetworks) } : {}),
    ...(extensionPatterns ? { extensionPatterns: JSON.stringify(extensionPatterns) } : {}),
    ...(lines ? { lines: JSON.stringify(lines) } : {}),
  };
}

const isDuplicate = (error: unknown) => /duplicate|unique/i.test((error as Error).message);

/** The current tenant's FlexLog sites: their rules, thresholds, webhook and lifecycle. */
@Injectable()
export class SitesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectTenantRepository(FlexlogSite) private readonly sites: TenantRepository<FlexlogSite>,
    private readonly tenants: TenantsService,
    private readonly context: RequestContext,
    private readonly secrets: WebhookSecrets,
    private readonly audit: AuditService,
  ) {}

  rows(): Promise<FlexlogSite[]> {
    return this.sites.find({ order: { name: 'ASC' } });
  }

  /** One site of the current tenant; another tenant's answers 404 like a missing one. */
  row(id: string): Promise<FlexlogSite> {
    return this.sites.get({ id });
  }

  async create(dto: CreateSiteDto): Promise<SiteView & { webhookSecret?: string }> {
    const tenantId = this.context.tenantId();
    const products = (await this.tenants.get(tenantId)).products;
    // 応対力 listens to the same capture box, so either product may keep sites.
    if (!products.includes('flexlog') && !products.includes('ootairyoku')) {
      throw new ForbiddenException('FlexLog is not enabled for this tenant');
    }
    const fields = normaliseSiteFields(dto) as SiteFields;
    const secret = fields.webhookUrl ? this.secrets.generate() : undefined;
    const now = new Date();
    const site = this.sites.create({
      id: randomUUID(),
      location: null,
      internalNetworks: '[]',
      extensionPatterns: '[]',
      lines: '[]',
      offlineAfterSeconds: 60,
      dropAlertThreshold: 100,
      webhookUrl: null,
      webhookSecret: null,
      webhookKeyId: null,
      ...columns(fields),
      ...(secret ? await this.secrets.seal(tenantId, secret) : {}),
      createdAt: now,
      updatedAt: now,
    });
    await this.named(() =>
      this.dataSource.transaction(async (m) => {
        await m.getRepository(FlexlogSite).insert(site);
        await m.getRepository(SiteHealth).insert(newSiteHealth(site.id, site.tenantId));
      }),
    );
    await this.audit.record({ action: 'flexlog.site.created', target: site.id, details: { ...siteFields(site) } });
    return { ...siteView(site), ...(secret ? { webhookSecret: secret } : {}) };
  }

  /** A webhook URL set where there was none comes with a new signing secret, shown in this answer only. */
  async update(id: string, dto: UpdateSiteDto): Promise<SiteView & { webhookSecret?: string }> {
    const site = await this.row(id);
    const fields = normaliseSiteFields(dto);
    const before = siteFields(site);
    let secret: string | undefined;
    Object.assign(site, columns(fields));
    if (fields.webhookUrl === null) Object.assign(site, { webhookSecret: null, webhookKeyId: null });
    else if (fields.webhookUrl && !site.webhookSecret) {
      secret = this.secrets.generate();
      Object.assign(site, await this.secrets.seal(site.tenantId, secret));
    }
    site.updatedAt = new Date();
    await this.named(() => this.sites.save(site));
    const after = siteFields(site);
    const changed = (Object.keys(after) as (keyof SiteFields)[]).filter(
      (k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]),
    );
    await this.audit.record({
      action: 'flexlog.site.updated',
      target: id,
      details: { changed, ...Object.fromEntries(changed.map((k) => [k, after[k]])) },
    });
    return { ...siteView(site), ...(secret ? { webhookSecret: secret } : {}) };
  }

  /** A new signing secret replaces the old one at once; the answer is the only place it is shown. */
  async rotateWebhookSecret(id: string): Promise<{ webhookSecret: string }> {
    const site = await this.row(id);
    if (!site.webhookUrl) throw fieldError('webhookUrl', 'set a webhook URL before making its secret');
    const secret = this.secrets.generate();
    Object.assign(site, await this.secrets.seal(site.tenantId, secret), { updatedAt: new Date() });
    await this.sites.save(site);
    await this.audit.record({ action: 'flexlog.site.webhookSecret.rotated', target: id, details: { name: site.name } });
    return { webhookSecret: secret };
  }

  /**
   * Removes the site, its health and history, and its API keys (so its box can send nothing more),
   * in one transaction. Its recorded calls stay: they keep the site id they were stored with.
   */
  async remove(id: string): Promise<void> {
    const site = await this.row(id);
    const revokedKeys = await this.dataSource.transaction(async (m: EntityManager) => {
      const where = { tenantId: site.tenantId, siteId: site.id };
      const keys = await m.getRepository(ApiKey).find({ where, select: { id: true, prefix: true } });
      await m.getRepository(ApiKey).delete(where);
      await m.getRepository(HeartbeatMinute).delete(where);
      await m.getRepository(SiteHealth).delete(where);
      await m.getRepository(FlexlogSite).delete({ tenantId: site.tenantId, id: site.id });
      return keys.map((k) => k.prefix);
    });
    await this.audit.record({
      action: 'flexlog.site.deleted',
      target: id,
      details: { name: site.name, revokedKeys },
    });
  }

  async captureConfig(id: string): Promise<CaptureConfigView> {
    const site = await this.row(id);
    const fields = siteFields(site);
    return {
      siteId: site.id,
      name: site.name,
      internalNetworks: fields.internalNetworks,
      extensionPatterns: fields.extensionPatterns,
      extensionPattern: extensionsRegex(fields.extensionPatterns),
      lines: fields.lines,
      heartbeatIntervalSeconds: HEARTBEAT_INTERVAL_SECONDS,
      updatedAt: site.updatedAt,
    };
  }

  /** A second site of the same name is a 400 on `name`, also when two requests race. */
  private async named<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (isDuplicate(error)) throw fieldError('name', 'another site already has this name');
      throw error;
    }
  }
}
