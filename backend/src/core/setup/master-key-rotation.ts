import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { KeyRing, masterKeyPath } from '../../platform/crypto/key-ring';
import { EncryptionSettings } from '../../platform/crypto/key-provider-factory';
import { AuditService } from '../audit/audit.service';
import { TenantKey } from '../tenancy/tenant-key.entity';
import { TenantKeysService } from '../tenancy/tenant-keys.service';
import { SETTING, SystemSettingsService } from './system-settings.service';

export interface RotationReport {
  version: number;
  file: string;
  rewrappedDataKeys: number;
  resealedSecrets: number;
  /** Versions no longer needed by any stored key or secret: their files may go (after backups expire). */
  retirable: Array<{ version: number; file: string }>;
}

/**
 * Local master-key rotation: a new version becomes current, every tenant data key is re-wrapped
 * and every stored secret re-sealed under it. No recording is re-encrypted (envelope encryption).
 * Under KMS the tenants' keys are the KMS's business; the local key still seals installation secrets.
 */
@Injectable()
export class MasterKeyRotation {
  constructor(
    private readonly keyRing: KeyRing,
    private readonly tenantKeys: TenantKeysService,
    private readonly settings: SystemSettingsService,
    @InjectRepository(TenantKey) private readonly keys: Repository<TenantKey>,
    private readonly audit: AuditService,
  ) {}

  async rotate(): Promise<RotationReport> {
    const previous = [...this.keyRing.localKeys.keys.keys()];
    const version = this.keyRing.currentVersion + 1;
    const file = this.keyRing.addVersion(version);
    const encryption = (await this.settings.get<EncryptionSettings>(SETTING.encryption)) ?? { mode: 'local' };
    const rewrappedDataKeys = encryption.mode === 'local' ? await this.tenantKeys.rewrapAll() : 0;
    const resealedSecrets = await this.settings.resealAll();
    const stillNamed = new Set(
      (await this.keys.find({ select: { keyRef: true } })).map((k) => k.keyRef).filter((r) => r.startsWith('local:v')),
    );
    const retirable = previous
      .filter((v) => !stillNamed.has(`local:v${v}`))
      .map((v) => ({ version: v, file: masterKeyPath(this.keyRing.localKeysFile, v) }));
    await this.audit.record({
      action: 'keys.master-rotated',
      tenantId: null,
      details: { version, rewrappedDataKeys, resealedSecrets },
    });
    return { version, file, rewrappedDataKeys, resealedSecrets, retirable };
  }
}
