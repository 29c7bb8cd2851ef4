import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { TenantKeysService } from '../tenancy/tenant-keys.service';
import { SecretBox } from '../../platform/crypto/secret-box';

const SECRET_PURPOSE = 'webhook-endpoint-secret';
const BODY_PURPOSE = 'webhook-delivery-body';

/**
 * Sealing for webhooks, with the tenant's data key (as FlexLog's site secrets): endpoint secrets
 * and the delivery bodies, which carry personal data. A master-key rotation leaves them untouched;
 * shredding the tenant's keys makes them unreadable like the rest of its data.
 */
@Injectable()
export class WebhookSealing {
  constructor(private readonly tenantKeys: TenantKeysService) {}

  generateSecret(): string {
    return `whsec_${randomBytes(32).toString('base64url')}`;
  }

  sealSecret(tenantId: string, secret: string) {
    return this.seal(tenantId, SECRET_PURPOSE, secret);
  }

  openSecret(tenantId: string, sealed: string, keyId: string): Promise<string> {
    return this.open(tenantId, SECRET_PURPOSE, sealed, keyId);
  }

  sealBody(tenantId: string, body: string) {
    return this.seal(tenantId, BODY_PURPOSE, body);
  }

  openBody(tenantId: string, sealed: string, keyId: string): Promise<string> {
    return this.open(tenantId, BODY_PURPOSE, sealed, keyId);
  }

  private async seal(tenantId: string, purpose: string, plain: string): Promise<{ sealed: string; keyId: string }> {
    const { keyId, dataKey } = await this.tenantKeys.current(tenantId);
    return { sealed: new SecretBox(dataKey, purpose).seal(plain), keyId };
  }

  private async open(tenantId: string, purpose: string, sealed: string, keyId: string): Promise<string> {
    return new SecretBox(await this.tenantKeys.byId(tenantId, keyId), purpose).open(sealed);
  }
}
