import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../platform/database/columns';
import { TenantOwned } from '../tenancy/tenant.entity';

@Entity('refresh_tokens')
@Index('ix_refresh_tokens_user', ['userId'])
export class RefreshToken extends TenantOwned {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 36 }) userId!: string;
  @Index('ux_refresh_tokens_hash', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  tokenHash!: string;
  @TimestampColumn() expiresAt!: Date;
  @TimestampColumn({ nullable: true }) revokedAt!: Date | null;
  @TimestampColumn() createdAt!: Date;
}
