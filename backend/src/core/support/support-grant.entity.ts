import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../platform/database/columns';
import { TenantOwned } from '../tenancy/tenant.entity';

/**
 * What vendor staff may see under a grant: `read` acts as the tenant's auditor (search, play,
 * audit log, settings read-only); `admin` as its administrator (to fix a configuration).
 */
export const SUPPORT_SCOPES = ['read', 'admin'] as const;
export type SupportScope = (typeof SUPPORT_SCOPES)[number];

/** The request header naming the grant vendor staff act under (lower case, as Node gives headers). */
export const SUPPORT_GRANT_HEADER = 'x-support-grant';

/**
 * A tenant admin's time-limited permission for the vendor's support staff to see the tenant's data
 * (service agreement Art. 14.3-4). Without an active grant vendor staff see nothing of the tenant.
 */
@Entity('support_grants')
@Index('ix_support_grants_tenant', ['tenantId', 'createdAt'])
export class SupportGrant extends TenantOwned {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 8 }) scope!: SupportScope;
  @Column({ type: 'varchar', length: 500 }) reason!: string;
  /** One named member of the vendor's staff, or null for every support member. */
  @Column({ type: 'varchar', length: 36, nullable: true }) granteeUserId!: string | null;
  @Column({ type: 'varchar', length: 36 }) grantedBy!: string;
  @TimestampColumn() createdAt!: Date;
  @TimestampColumn() expiresAt!: Date;
  @TimestampColumn({ nullable: true }) revokedAt!: Date | null;
  @Column({ type: 'varchar', length: 36, nullable: true }) revokedBy!: string | null;
}
