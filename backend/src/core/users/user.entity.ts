import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../platform/database/columns';
import { TenantOwned } from '../tenancy/tenant.entity';

export const ROLES = ['vendorAdmin', 'vendorSupport', 'tenantAdmin', 'supervisor', 'operator', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

@Entity('users')
@Index('ix_users_tenant', ['tenantId'])
export class User extends TenantOwned {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Index('ux_users_email', { unique: true })
  @Column({ type: 'varchar', length: 254 })
  email!: string;
  @Column({ type: 'varchar', length: 100 }) displayName!: string;
  @Column({ type: 'varchar', length: 255 }) passwordHash!: string;
  @Column({ type: 'simple-array' }) roles!: Role[];
  @Column({ type: 'boolean', default: false }) disabled!: boolean;
  @Column({ type: 'varchar', length: 8, default: 'ja' }) locale!: string;
  @Column({ type: 'int', default: 0 }) failedLoginCount!: number;
  @TimestampColumn({ nullable: true }) lockedUntil!: Date | null;
  @TimestampColumn({ nullable: true }) lastLoginAt!: Date | null;
  @TimestampColumn() passwordChangedAt!: Date;
  @TimestampColumn() createdAt!: Date;
}
