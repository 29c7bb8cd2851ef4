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
  createdAt: Date;
  lastUsedAt: Date | null;
}

const view = (k: ApiKey): ApiKeyView => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
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

  async list(): Promise<ApiKeyView[]> {
    return (await this.keys.find({ order: { createdAt: 'DESC' } })).map(view);
  }

  async create(name: string): Promise<ApiKeyView & { key: string }> {
    const prefix = `ak_${randomBytes(6).toString('base64url')}`;
    const key = `${prefix}_${randomBytes(32).toString('base64url')}`;
    const row = await this.keys.save(
      this.keys.create({
        id: randomUUID(),
        name,
        prefix,
        keyHash: sha256(key).toString('hex'),
        createdBy: this.context.principal()?.id ?? null,
        createdAt: new Date(),
        lastUsedAt: null,
      }),
    );
    await this.audit.record({ action: 'apiKey.created', target: row.id, details: { name, prefix } });
    return { ...view(row), key };
  }

  async revoke(id: string): Promise<void> {
    const row = await this.keys.get({ id });
    await this.keys.remove(row);
    await this.audit.record({ action: 'apiKey.revoked', target: id, details: { name: row.name, prefix: row.prefix } });
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
