import { Injectable, UnauthorizedException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { InjectTenantRepository, TenantRepository } from '../tenancy/tenant-repository';
import { RequestContext } from '../tenancy/request-context';
import { ApiKey } from './api-key.entity';

const sha256 = (s: string) => createHash('sha256').update(s).digest();

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  siteId: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
}

const view = (k: ApiKey): ApiKeyView => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  siteId: k.siteId,
  createdAt: k.createdAt,
  lastUsedAt: k.lastUsedAt,
});

/** Keys for machine clients (capture sites, connectors): `ak_<prefix>_<secret>`, stored as SHA-256 only. */
@Injectable()
export class ApiKeysService {
  constructor(
    @InjectTenantRepository(ApiKey) private readonly keys: TenantRepository<ApiKey>,
    @InjectRepository(ApiKey) private readonly allKeys: Repository<ApiKey>,
    private readonly context: RequestContext,
    private readonly audit: AuditService,
  ) {}

  /** The tenant's keys; with a siteId, only the keys bound to that site. */
  async list(siteId?: string): Promise<ApiKeyView[]> {
    return (await this.keys.find({ where: siteId ? { siteId } : {}, order: { createdAt: 'DESC' } })).map(view);
  }

  /** `siteId` binds the key to a FlexLog site (the caller checked that the site is the tenant's). */
  async create(name: string, siteId: string | null = null): Promise<ApiKeyView & { key: string }> {
    const prefix = `ak_${randomBytes(6).toString('base64url')}`;
    const key = `${prefix}_${randomBytes(32).toString('base64url')}`;
    const row = await this.keys.save(
      this.keys.create({
        id: randomUUID(),
        name,
        prefix,
        keyHash: sha256(key).toString('hex'),
        createdBy: this.context.principal()?.id ?? null,
        siteId,
        createdAt: new Date(),
        lastUsedAt: null,
      }),
    );
    await this.audit.record({ action: 'apiKey.created', target: row.id, details: { name, prefix, siteId } });
    return { ...view(row), key };
  }

  /** With a siteId, only a key of that site is found (another site's key answers 404). */
  async revoke(id: string, siteId?: string): Promise<void> {
    const row = await this.keys.get(siteId ? { id, siteId } : { id });
    await this.keys.remove(row);
    await this.audit.record({
      action: 'apiKey.revoked',
      target: id,
      details: { name: row.name, prefix: row.prefix, siteId: row.siteId },
    });
  }

  /** Finds the key by its prefix and compares hashes in constant time. */
  async authenticate(presented: string): Promise<ApiKey> {
    const match = /^(ak_[A-Za-z0-9_-]{8})_[A-Za-z0-9_-]{43}$/.exec(presented);
    const row = match ? await this.allKeys.findOne({ where: { prefix: match[1] } }) : null;
    if (!row || !timingSafeEqual(Buffer.from(row.keyHash, 'hex'), sha256(presented))) {
      throw new UnauthorizedException('invalid API key');
    }
    // Last-used is informational: update at most once a minute to keep hot paths write-free.
    if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
      await this.allKeys.update(row.id, { lastUsedAt: new Date() });
    }
    return row;
  }
}
