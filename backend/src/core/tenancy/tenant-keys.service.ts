import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { IsNull, Repository } from 'typeorm';
import { KeyRing } from '../../platform/crypto/key-ring';
import { KeyContext, KeyProvider, rewrapDataKey } from '../../platform/crypto/key-provider';
import { createKeyProvider, EncryptionSettings } from '../../platform/crypto/key-provider-factory';
import { SETTING, SystemSettingsService } from '../setup/system-settings.service';
import { TenantKey } from './tenant-key.entity';

export interface DataKey {
  keyId: string;
  dataKey: Buffer;
}

export class TenantKeyDestroyedError extends Error {
  override readonly name = 'TenantKeyDestroyedError';
}

const context = (tenantId: string): KeyContext => ({ tenant: tenantId, purpose: 'tenant-data' });

/**
 * Each tenant's data key, kept in the database only wrapped by the installation's key provider
 * (local master key or KMS). Plaintext keys live in this process's memory only.
 */
@Injectable()
export class TenantKeysService {
  private readonly cache = new Map<string, Buffer>();
  private provider: (KeyProvider & { close?: () => Promise<void> }) | null = null;
  private providerFor = '';

  constructor(
    @InjectRepository(TenantKey) private readonly keys: Repository<TenantKey>,
    private readonly settings: SystemSettingsService,
    private readonly keyRing: KeyRing,
  ) {}

  /** The provider chosen in the setup wizard (local until one is chosen). */
  private async currentProvider(): Promise<KeyProvider> {
    const settings = (await this.settings.get<EncryptionSettings>(SETTING.encryption)) ?? { mode: 'local' };
    const local = this.keyRing.localKeys;
    // A master-key rotation changes the local keys: the provider is rebuilt with the new version.
    const signature = JSON.stringify({ settings, versions: [...local.keys.keys()], current: local.current });
    if (!this.provider || this.providerFor !== signature) {
      await this.provider?.close?.();
      this.provider = createKeyProvider(settings, local);
      this.providerFor = signature;
    }
    return this.provider;
  }

  /** The key new data of a tenant is encrypted with; made on first use. */
  async current(tenantId: string): Promise<DataKey> {
    const row = await this.keys.findOne({ where: { tenantId, destroyedAt: IsNull() }, order: { createdAt: 'DESC' } });
    if (row) return { keyId: row.id, dataKey: await this.byId(tenantId, row.id) };
    const generated = await (await this.currentProvider()).generateDataKey(context(tenantId));
    const id = randomUUID();
    await this.keys.insert({
      id,
      tenantId,
      keyRef: generated.keyRef,
      wrapped: generated.wrapped.toString('base64'),
      createdAt: new Date(),
      rewrappedAt: null,
      destroyedAt: null,
    });
    this.cache.set(id, generated.dataKey);
    return { keyId: id, dataKey: generated.dataKey };
  }

  /** The key that encrypted something; refuses a destroyed key or one of another tenant. */
  async byId(tenantId: string, keyId: string): Promise<Buffer> {
    const cached = this.cache.get(keyId);
    if (cached) return cached;
    const row = await this.keys.findOne({ where: { id: keyId, tenantId } });
    if (!row) throw new NotFoundException('key not found');
    if (row.destroyedAt) throw new TenantKeyDestroyedError(`the data key of tenant ${tenantId} was destroyed`);
    const provider = await this.currentProvider();
    const dataKey = await provider.unwrap(Buffer.from(row.wrapped, 'base64'), row.keyRef, context(tenantId));
    this.cache.set(keyId, dataKey);
    return dataKey;
  }

  /**
   * Re-wraps every live data key under the current provider (after a master-key or provider
   * change): no recording is re-encrypted. `from` unwraps the old wrapping when it was another provider.
   */
  async rewrapAll(from?: KeyProvider): Promise<number> {
    const to = await this.currentProvider();
    const rows = await this.keys.find({ where: { destroyedAt: IsNull() } });
    for (const row of rows) {
      const next = await rewrapDataKey(
        from ?? to,
        to,
        { wrapped: Buffer.from(row.wrapped, 'base64'), keyRef: row.keyRef },
        context(row.tenantId),
      );
      await this.keys.update(row.id, {
        keyRef: next.keyRef,
        wrapped: next.wrapped.toString('base64'),
        rewrappedAt: new Date(),
      });
    }
    return rows.length;
  }

  /** Crypto-shredding: every data key of the tenant is overwritten; what they encrypted is gone for good. */
  async shred(tenantId: string): Promise<number> {
    const rows = await this.keys.find({ where: { tenantId, destroyedAt: IsNull() } });
    for (const row of rows) {
      this.cache.get(row.id)?.fill(0);
      this.cache.delete(row.id);
      await this.keys.update(row.id, { wrapped: '', keyRef: 'destroyed', destroyedAt: new Date() });
    }
    return rows.length;
  }
}
