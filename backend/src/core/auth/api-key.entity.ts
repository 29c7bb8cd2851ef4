import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../platform/database/columns';
import { TenantOwned } from '../tenancy/tenant.entity';

@Entity('api_keys')
@Index('ix_api_keys_tenant', ['tenantId'])
export class ApiKey extends TenantOwned {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 100 }) name!: string;
  /** First characters of the key, shown in lists and used to find the row. */
  @Index('ux_api_keys_prefix', { unique: true })
  @Column({ type: 'varchar', length: 16 })
  prefix!: string;
  /** SHA-256 of the whole key: keys are 256-bit random, so a slow hash adds nothing. */
  @Column({ type: 'varchar', length: 64 }) keyHash!: string;
  @Column({ type: 'varchar', length: 36, nullable: true }) createdBy!: string | null;
  /** A FlexLog site's key: heartbeats, call events and uploads sent with it belong to that site. */
  @Index('ix_api_keys_site')
  @Column({ type: 'varchar', length: 36, nullable: true })
  siteId!: string | null;
  @TimestampColumn() createdAt!: Date;
  @TimestampColumn({ nullable: true }) lastUsedAt!: Date | null;
}
