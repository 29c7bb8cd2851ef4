import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../platform/database/columns';
import { TenantOwned } from './tenant.entity';

/**
 * A tenant's data key, only ever stored wrapped by a key provider (local master key or KMS).
 * Rotation re-wraps it; destroying every row of a tenant is crypto-shredding (contract end).
 */
@Entity('tenant_keys')
@Index('ix_tenant_keys_tenant', ['tenantId', 'createdAt'])
export class TenantKey extends TenantOwned {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  /** Provider and key version that wrapped it, e.g. `local:v1` or `aws-kms:<key id>`. */
  @Column({ type: 'varchar', length: 2048 }) keyRef!: string;
  @Column({ type: 'text' }) wrapped!: string;
  @TimestampColumn() createdAt!: Date;
  @TimestampColumn({ nullable: true }) rewrappedAt!: Date | null;
  @TimestampColumn({ nullable: true }) destroyedAt!: Date | null;
}
