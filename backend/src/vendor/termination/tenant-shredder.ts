import { BadRequestException, Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { rm } from 'node:fs/promises';
import { DataSource, IsNull, Repository } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { AuditService } from '../../core/audit/audit.service';
import { ApiKey } from '../../core/auth/api-key.entity';
import { RefreshToken } from '../../core/auth/refresh-token.entity';
import { SupportGrant } from '../../core/support/support-grant.entity';
import { TenantKey } from '../../core/tenancy/tenant-key.entity';
import { TenantKeysService } from '../../core/tenancy/tenant-keys.service';
import { TenantsService } from '../../core/tenancy/tenants.service';
import { User } from '../../core/users/user.entity';
import { tenantPrefix } from '../../platform/storage/object-storage';
import { FlexdConnector } from '../../products/flexdplayer/connectors/connector.entity';
import { RecordingVault } from '../../products/recordings/vault/recording-vault';
import { DeletionCertificateIssuer } from './deletion-certificate-issuer';
import type { EndedContract } from './ended-contracts-source';
import { deletionOrder } from './row-deletion-order';
import { SHRED_STEPS, ShredStep, TenantShredding } from './termination.entities';
import {
  flexdplayerDir,
  TENANT_KEYS_TABLE,
  TenantInventory,
  TenantInventoryService,
  tenantOwnedTables,
} from './tenant-inventory';

export class ShredStepError extends Error {
  override readonly name = 'ShredStepError';
}

export const stepsDone = (p: TenantShredding): ShredStep[] =>
  p.stepsDone ? (p.stepsDone.split(',') as ShredStep[]) : [];

/**
 * Contract end for one tenant (Art. 12.4), as a sequence of steps each safe to run again: accounts
 * invalidated, connectors stopped, stored objects and delivery files deleted, every tenant-owned row
 * deleted, the data key destroyed, the certificate issued. Each finished step is recorded before the
 * next starts, so a run that dies mid-way is finished by the next run (the daily job or a person).
 * What was there is counted once, before anything is deleted, and that is what the certificate states.
 */
@Injectable()
export class TenantShredder {
  private readonly logger = new Logger(TenantShredder.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(TenantShredding) private readonly progress: Repository<TenantShredding>,
    private readonly inventory: TenantInventoryService,
    private readonly vault: RecordingVault,
    private readonly keys: TenantKeysService,
    private readonly tenants: TenantsService,
    private readonly audit: AuditService,
    private readonly certificates: DeletionCertificateIssuer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Runs (or resumes) the contract end of the contract's tenant; resolves with the finished record. */
  async shred(contract: EndedContract, requestedBy: string | null = null): Promise<TenantShredding> {
    const record = await this.begin(contract, requestedBy);
    if (record.finishedAt) return record;
    const vendorChain = await this.vendorChain();
    for (const step of SHRED_STEPS) {
      if (stepsDone(record).includes(step)) continue;
      try {
        const details = await this.runStep(step, record);
        record.stepsDone = [...stepsDone(record), step].join(',');
        record.lastError = null;
        await this.progress.save(record);
        await this.audit.record({
          tenantId: vendorChain,
          action: `vendor.termination.${step}`,
          target: record.tenantId,
          details: { contractId: record.contractId, ...details },
        });
      } catch (error) {
        const message = `${step}: ${(error as Error).message}`;
        await this.progress.update(record.tenantId, { lastError: message.slice(0, 2000) });
        await this.audit.record({
          tenantId: vendorChain,
          action: 'vendor.termination.failed',
          target: record.tenantId,
          details: { contractId: record.contractId, step, error: (error as Error).message },
        });
        this.logger.warn(`contract end of tenant ${record.tenantId} stopped at ${message}`);
        throw new ShredStepError(`contract end of tenant ${record.tenantId} stopped at step ${message}`);
      }
    }
    record.finishedAt = new Date();
    await this.progress.save(record);
    await this.audit.record({
      tenantId: vendorChain,
      action: 'vendor.termination.completed',
      target: record.tenantId,
      details: { contractId: record.contractId, certificateId: record.certificateId },
    });
    return record;
  }

  /** Deletes one table's rows of the tenant; its own method so a crash in the middle of the rows can be staged. */
  async deleteRowsOf(table: string, tenantId: string): Promise<void> {
    const esc = (name: string) => this.dataSource.driver.escape(name);
    await this.dataSource.query(`DELETE FROM ${esc(table)} WHERE ${esc('tenantId')} = ?`, [tenantId]);
  }

  private async begin(contract: EndedContract, requestedBy: string | null): Promise<TenantShredding> {
    const existing = await this.progress.findOne({ where: { tenantId: contract.tenantId } });
    if (existing) return existing;
    const tenant = await this.tenants.get(contract.tenantId);
    if (tenant.isOperator) throw new BadRequestException("tenantId: the operator's own tenant has no contract end");
    const inventory = await this.inventory.take(tenant.id);
    const record = this.progress.create({
      tenantId: tenant.id,
      tenantName: tenant.name,
      contractId: contract.contractId,
      serviceEndDate: contract.serviceEndDate,
      stepsDone: '',
      inventory: JSON.stringify(inventory),
      destroyedKeyIds: null,
      certificateId: null,
      requestedBy,
      lastError: null,
      startedAt: new Date(),
      finishedAt: null,
    });
    try {
      await this.progress.insert(record);
    } catch (error) {
      // Another run (the daily job and a person at once) started it first: carry on with its record.
      const raced = await this.progress.findOne({ where: { tenantId: contract.tenantId } });
      if (!raced) throw error;
      return raced;
    }
    await this.audit.record({
      tenantId: await this.vendorChain(),
      action: 'vendor.termination.started',
      target: tenant.id,
      details: { contractId: contract.contractId, serviceEndDate: contract.serviceEndDate, inventory },
    });
    return record;
  }

  private async runStep(step: ShredStep, record: TenantShredding): Promise<Record<string, unknown>> {
    const tenantId = record.tenantId;
    switch (step) {
      case 'accounts':
        return this.invalidateAccounts(tenantId);
      case 'connectors':
        return this.stopConnectors(tenantId);
      case 'objects':
        return this.deleteObjects(tenantId);
      case 'files':
        await rm(flexdplayerDir(this.config.dataDir, tenantId), { recursive: true, force: true });
        return {};
      case 'rows':
        return this.deleteRows(tenantId);
      case 'key':
        return this.destroyKeys(record);
      case 'certificate': {
        const issued = await this.certificates.issue(record, inventoryOf(record));
        record.certificateId = issued.id;
        return { certificateId: issued.id };
      }
    }
  }

  /** Art. 12.4 "契約者アカウント情報は無効": no login, no session, no API key works from here on. */
  private async invalidateAccounts(tenantId: string): Promise<Record<string, unknown>> {
    const now = new Date();
    const users = await this.dataSource.getRepository(User).update({ tenantId }, { disabled: true });
    const sessions = await this.dataSource
      .getRepository(RefreshToken)
      .update({ tenantId, revokedAt: IsNull() }, { revokedAt: now });
    const keys = await this.dataSource.getRepository(ApiKey).delete({ tenantId });
    // A grant lets vendor support act in the tenant: none may outlive the contract.
    await this.dataSource.getRepository(SupportGrant).update({ tenantId, revokedAt: IsNull() }, { revokedAt: now });
    return {
      usersDisabled: users.affected ?? 0,
      sessionsRevoked: sessions.affected ?? 0,
      apiKeysDeleted: keys.affected ?? 0,
    };
  }

  /** FlexLog sites stop with their keys (previous step); FlexDPlayer connectors are switched off and lose their credentials. */
  private async stopConnectors(tenantId: string): Promise<Record<string, unknown>> {
    const stopped = await this.dataSource
      .getRepository(FlexdConnector)
      .update({ tenantId }, { enabled: false, passwordHash: null, pushTokenHash: null, secret: null });
    return { connectorsStopped: stopped.affected ?? 0 };
  }

  private async deleteObjects(tenantId: string): Promise<Record<string, unknown>> {
    const storage = await this.vault.objectStorage();
    const deleted = await storage.deletePrefix(tenantPrefix(tenantId));
    for await (const left of storage.list(tenantPrefix(tenantId))) {
      throw new Error(`object ${left.key} is still in storage after deletion`);
    }
    return { objectsDeleted: deleted };
  }

  private async deleteRows(tenantId: string): Promise<Record<string, unknown>> {
    const tables = tenantOwnedTables(this.dataSource).filter((t) => t !== TENANT_KEYS_TABLE);
    for (const table of await deletionOrder(this.dataSource, tables)) await this.deleteRowsOf(table, tenantId);
    return { tables: tables.length };
  }

  /**
   * Crypto-shredding: the wrapped data keys are overwritten, then removed. Any copy of the stored
   * objects (a storage backup) is ciphertext under keys that no longer exist anywhere the system reads.
   */
  private async destroyKeys(record: TenantShredding): Promise<Record<string, unknown>> {
    const rows = await this.dataSource
      .getRepository(TenantKey)
      .find({ where: { tenantId: record.tenantId }, select: { id: true } });
    const known = record.destroyedKeyIds ? (JSON.parse(record.destroyedKeyIds) as string[]) : [];
    const ids = [...new Set([...known, ...rows.map((r) => r.id)])].sort();
    // The ids are written down before the keys go, so a crash in between still certifies them.
    record.destroyedKeyIds = JSON.stringify(ids);
    await this.progress.update(record.tenantId, { destroyedKeyIds: record.destroyedKeyIds });
    await this.keys.shred(record.tenantId);
    await this.deleteRowsOf(TENANT_KEYS_TABLE, record.tenantId);
    return { destroyedKeyIds: ids };
  }

  private async vendorChain(): Promise<string | null> {
    return (await this.tenants.operatorTenant())?.id ?? null;
  }
}

export function inventoryOf(record: TenantShredding): TenantInventory {
  return JSON.parse(record.inventory ?? '{}') as TenantInventory;
}
