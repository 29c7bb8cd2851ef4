import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../platform/database/columns';
import { TenantOwned } from '../tenancy/tenant.entity';

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/**
 * A long piece of work a person started (deletion, evidence export, retention sweep): the row is
 * what the UI polls for status and percent, and what stays behind as the record of the outcome.
 */
@Entity('jobs')
@Index('ix_jobs_tenant_created', ['tenantId', 'createdAt'])
export class Job extends TenantOwned {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 40 }) kind!: string;
  @Column({ type: 'varchar', length: 12 }) status!: JobStatus;
  /** 0-100. */
  @Column({ type: 'int', default: 0 }) progress!: number;
  /** What the job is doing now, for people ("deleting 1,200 of 4,000 calls"). */
  @Column({ type: 'varchar', length: 200, nullable: true }) stage!: string | null;
  @Column({ type: 'text' }) params!: string;
  @Column({ type: 'text', nullable: true }) result!: string | null;
  @Column({ type: 'text', nullable: true }) error!: string | null;
  /** The user who started it; null for the scheduler. */
  @Column({ type: 'varchar', length: 36, nullable: true }) createdBy!: string | null;
  @TimestampColumn() createdAt!: Date;
  @TimestampColumn({ nullable: true }) startedAt!: Date | null;
  @TimestampColumn({ nullable: true }) finishedAt!: Date | null;
}
