import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { TenantKeysService } from '../../../core/tenancy/tenant-keys.service';
import { SecretBox } from '../../../platform/crypto/secret-box';

const PURPOSE = 'flexlog-webhook';

/**
 * Each site's webhook signing secret: shown to the admin once, kept sealed with the tenant's data
 * key (a master-key rotation re-wraps that key and leaves this untouched; shredding the tenant's
 * keys makes it unreadable like the rest of its data).
 */
@Injectable()
export class WebhookSecrets {
  constructor(private readonly tenantKeys: TenantKeysService) {}

  generate(): string {
    return `whsec_${randomBytes(32).toString('base64url')}`;
  }

  async seal(tenantId: string, secret: string): Promise<{ webhookSecret: string; webhookKeyId: string }> {
    const { keyId, dataKey } = await this.tenantKeys.current(tenantId);
    return { webhookSecret: new SecretBox(dataKey, PURPOSE).seal(secret), webhookKeyId: keyId };
  }

  async open(site: { tenantId: string; webhookSecret: string | null; webhookKeyId: string | null }) {
    if (!site.webhookSecret || !site.webhookKeyId) return null;
    const dataKey = await this.tenantKeys.byId(site.tenantId, site.webhookKeyId);
    return new SecretBox(dataKey, PURPOSE).open(site.webhookSecret);
  }
}
