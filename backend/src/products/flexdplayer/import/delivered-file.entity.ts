import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../../platform/database/columns';
import { TenantOwned } from '../../../core/tenancy/tenant.entity';

export const FILE_STATUSES = ['imported', 'duplicate', 'failed', 'quarantined', 'retrying'] as const;
export type FileStatus = (typeof FILE_STATUSES)[number];

/**
 * What became of one delivered recording. The file itself sits in the connector's done/, failed/
 * or quarantine/ folder under `storedName`; failed and quarantined rows are what people retry.
 */
@Entity('flexdplayer_files')
@Index('ix_fdp_files_status', ['tenantId', 'status', 'createdAt'])
@Index('ix_fdp_files_connector', ['connectorId', 'status'])
export class DeliveredFile extends TenantOwned {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 36 }) connectorId!: string;
  @Column({ type: 'varchar', length: 255 }) fileName!: string;
  @Column({ type: 'varchar', length: 255 }) storedName!: string;
  @Column({ type: 'varchar', length: 255, nullable: true }) sidecarName!: string | null;
  @Column({ type: 'varchar', length: 12 }) status!: FileStatus;
  @Column({ type: 'text', nullable: true }) reason!: string | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) sha256!: string | null;
  @Column({ type: 'bigint', nullable: true }) bytes!: number | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) ownNumber!: string | null;
  /** JSON of the fields the mapping profile read (what the quarantine list shows). */
  @Column({ type: 'text', nullable: true }) parsed!: string | null;
  @Column({ type: 'varchar', length: 36, nullable: true }) callId!: string | null;
  @TimestampColumn() createdAt!: Date;
  @TimestampColumn() updatedAt!: Date;
}
