import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../platform/database/columns';
import { TenantOwned } from '../../core/tenancy/tenant.entity';

export const CALL_SOURCES = ['flexlog', 'flexdplayer', 'upload'] as const;
export const DIRECTIONS = ['inbound', 'outbound', 'internal'] as const;
export const DISPOSITIONS = ['answered', 'missed', 'busy', 'failed', 'cancelled'] as const;
export type CallSource = (typeof CALL_SOURCES)[number];
export type Direction = (typeof DIRECTIONS)[number];
export type Disposition = (typeof DISPOSITIONS)[number];

/**
 * One call. Party numbers are kept three ways: as dialled, E.164 (exact match), and as national
 * digits (prefix/contains search); the reversed digits serve suffix search from an index.
 * Every search index starts with tenantId and ends with startedAt, so a tenant's newest page
 * is an index range scan; ix_calls_started_digits carries the digits beside the time, so a short
 * number prefix filters inside the index.
 */
@Entity('calls')
@Index('ux_calls_client_id', ['tenantId', 'clientRecordingId'], { unique: true })
@Index('ix_calls_started', ['tenantId', 'startedAt'])
@Index('ix_calls_started_digits', ['tenantId', 'startedAt', 'id', 'callerDigits', 'calleeDigits'])
@Index('ix_calls_caller', ['tenantId', 'callerDigits', 'startedAt'])
@Index('ix_calls_callee', ['tenantId', 'calleeDigits', 'startedAt'])
@Index('ix_calls_caller_rev', ['tenantId', 'callerDigitsReversed', 'startedAt'])
@Index('ix_calls_callee_rev', ['tenantId', 'calleeDigitsReversed', 'startedAt'])
@Index('ix_calls_extension', ['tenantId', 'extension', 'startedAt'])
export class Call extends TenantOwned {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  /** The client's id for this recording: a re-sent upload finds the first one by it. */
  @Column({ type: 'varchar', length: 128 }) clientRecordingId!: string;
  @Column({ type: 'varchar', length: 16 }) source!: CallSource;
  @Column({ type: 'varchar', length: 64, nullable: true }) siteId!: string | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) lineId!: string | null;
  @Column({ type: 'varchar', length: 8 }) direction!: Direction;
  @Column({ type: 'varchar', length: 64 }) callerDialled!: string;
  @Column({ type: 'varchar', length: 20, nullable: true }) callerE164!: string | null;
  @Column({ type: 'varchar', length: 32 }) callerDigits!: string;
  @Column({ type: 'varchar', length: 32 }) callerDigitsReversed!: string;
  @Column({ type: 'varchar', length: 100, nullable: true }) callerName!: string | null;
  @Column({ type: 'varchar', length: 64 }) calleeDialled!: string;
  @Column({ type: 'varchar', length: 20, nullable: true }) calleeE164!: string | null;
  @Column({ type: 'varchar', length: 32 }) calleeDigits!: string;
  @Column({ type: 'varchar', length: 32 }) calleeDigitsReversed!: string;
  @Column({ type: 'varchar', length: 100, nullable: true }) calleeName!: string | null;
  @Column({ type: 'varchar', length: 32, nullable: true }) extension!: string | null;
  @Column({ type: 'varchar', length: 36, nullable: true }) userId!: string | null;
  @TimestampColumn() startedAt!: Date;
  @TimestampColumn({ nullable: true }) answeredAt!: Date | null;
  @TimestampColumn({ nullable: true }) endedAt!: Date | null;
  @Column({ type: 'int', default: 0 }) ringSeconds!: number;
  @Column({ type: 'int', default: 0 }) talkSeconds!: number;
  @Column({ type: 'varchar', length: 12 }) disposition!: Disposition;
  @Column({ type: 'varchar', length: 32, nullable: true }) codec!: string | null;
  /** 'stereo' = left caller, right callee; 'mono' = mixed. */
  @Column({ type: 'varchar', length: 8 }) channelLayout!: 'stereo' | 'mono';
  @Column({ type: 'text', nullable: true }) quality!: string | null;
  @Column({ type: 'text', nullable: true }) dtmf!: string | null;
  @Column({ type: 'text', nullable: true }) notes!: string | null;
  @Column({ type: 'boolean', default: false }) legalHold!: boolean;
  @TimestampColumn() createdAt!: Date;
}
