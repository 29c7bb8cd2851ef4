import { Injectable } from '@nestjs/common';
import { TenantKeysService } from '../../../core/tenancy/tenant-keys.service';
import { SecretBox } from '../../../platform/crypto/secret-box';

const PURPOSE = 'flexdplayer-sftp-pull';

export interface PullSecret {
  password?: string;
  privateKey?: string;
  passphrase?: string;
}

/**
 * The SFTP pull credentials, sealed with the tenant's data key: never shown again once saved,
 * unreadable once the tenant's keys are shredded, untouched by a master-key rotation.
 */
@Injectable()
export class ConnectorSecrets {
  constructor(private readonly tenantKeys: TenantKeysService) {}

  async seal(tenantId: string, secret: PullSecret): Promise<{ secret: string; secretKeyId: string }> {
    const { keyId, dataKey } = await this.tenantKeys.current(tenantId);
    return { secret: new SecretBox(dataKey, PURPOSE).seal(JSON.stringify(secret)), secretKeyId: keyId };
  }

  async open(c: { tenantId: string; secret: string | null; secretKeyId: string | null }): Promise<PullSecret> {
    if (!c.secret || !c.secretKeyId) return {};
    const dataKey = await this.tenantKeys.byId(c.tenantId, c.secretKeyId);
    return JSON.parse(new SecretBox(dataKey, PURPOSE).open(c.secret)) as PullSecret;
  }
}
