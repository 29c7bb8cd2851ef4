import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../platform/database/columns';

/** Append-only. `chain` is the tenant id, or 'system' for events with no tenant. */
@Entity('audit_entries')
@Index('ux_audit_chain_seq', ['chain', 'seq'], { unique: true })
@Index('ix_audit_tenant_time', ['tenantId', 'time'])
@Index('ix_audit_chain_target', ['chain', 'target', 'seq'])
export class AuditEntry {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 36 }) chain!: string;
  @Column({ type: 'int' }) seq!: number;
  @Column({ type: 'varchar', length: 36, nullable: true }) tenantId!: string | null;
  @TimestampColumn() time!: Date;
  @Column({ type: 'varchar', length: 36, nullable: true }) actorId!: string | null;
  @Column({ type: 'varchar', length: 254, nullable: true }) actorEmail!: string | null;
  @Column({ type: 'varchar', length: 64 }) action!: string;
  @Column({ type: 'varchar', length: 255, nullable: true }) target!: string | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) ip!: string | null;
  @Column({ type: 'text', nullable: true }) details!: string | null;
  @Column({ type: 'varchar', length: 64 }) prevHash!: string;
  @Column({ type: 'varchar', length: 64 }) hash!: string;
}
