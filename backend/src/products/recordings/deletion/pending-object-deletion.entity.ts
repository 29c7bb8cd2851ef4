import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../../platform/database/columns';
import { TenantOwned } from '../../../core/tenancy/tenant.entity';

/**
 * An object whose rows are gone and which storage still has to forget. Written in the same
 * transaction that deletes a call's rows, removed once storage confirmed the delete: a crash or a
 * storage outage between the two leaves this row (retried by the hourly sweep), never an object
 * that nothing points to and nobody will ever remove.
 */
@Entity('pending_object_deletions')
@Index('ix_pending_object_deletions_created', ['createdAt'])
export class PendingObjectDeletion extends TenantOwned {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 255 }) storageKey!: string;
  @Column({ type: 'int', default: 0 }) attempts!: number;
  @Column({ type: 'varchar', length: 500, nullable: true }) lastError!: string | null;
  @TimestampColumn() createdAt!: Date;
}
