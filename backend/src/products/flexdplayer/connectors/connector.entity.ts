import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../../platform/database/columns';
import { TenantOwned } from '../../../core/tenancy/tenant.entity';

export const CONNECTOR_TYPES = ['sftp-drop', 'sftp-pull', 'folder', 'https-push'] as const;
export type ConnectorType = (typeof CONNECTOR_TYPES)[number];

/**
 * One way recordings reach a tenant. What is not secret sits in `settings` (JSON, per type);
 * the SFTP pull password/private key is sealed in `secret` with the tenant's data key; the SFTP
 * drop password and the push token are kept only as hashes. `sftpUsername` is unique across
 * tenants because the built-in SFTP server finds the connector from the login name alone.
 */
@Entity('flexdplayer_connectors')
@Index('ux_fdp_connectors_name', ['tenantId', 'name'], { unique: true })
export class FlexdConnector extends TenantOwned {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 16 }) type!: ConnectorType;
  @Column({ type: 'varchar', length: 100 }) name!: string;
  @Column({ type: 'boolean', default: false }) enabled!: boolean;
  @Column({ type: 'varchar', length: 36, nullable: true }) mappingProfileId!: string | null;
  @Column({ type: 'text' }) settings!: string;
  @Column({ type: 'text', nullable: true }) secret!: string | null;
  @Column({ type: 'varchar', length: 36, nullable: true }) secretKeyId!: string | null;
  @Index('ux_fdp_connectors_sftp_user', { unique: true })
  @Column({ type: 'varchar', length: 64, nullable: true })
  sftpUsername!: string | null;
  @Column({ type: 'varchar', length: 255, nullable: true }) passwordHash!: string | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) pushTokenHash!: string | null;
  /** A file is complete once its size and mtime stayed the same for this long (or it has a marker). */
  @Column({ type: 'int', default: 10 }) settleSeconds!: number;
  @TimestampColumn({ nullable: true }) lastScanAt!: Date | null;
  @TimestampColumn() createdAt!: Date;
  @TimestampColumn() updatedAt!: Date;
}
