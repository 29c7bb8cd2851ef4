import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
import { TimestampColumn } from '../../../platform/database/columns';

export const TRANSCRIPT_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type TranscriptStatus = (typeof TRANSCRIPT_STATUSES)[number];
export type Speaker = 'customer' | 'operator';

/** One call's transcription: its state as a job while it runs, then the header of its segments. */
@Entity('vnote_transcripts')
@Unique('uq_vnote_transcripts_call', ['tenantId', 'callId'])
@Index('ix_vnote_transcripts_status', ['tenantId', 'status', 'updatedAt'])
export class VnoteTranscript {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 36 }) tenantId!: string;
  @Column({ type: 'varchar', length: 36 }) callId!: string;
  @Column({ type: 'varchar', length: 36 }) recordingId!: string;
  @Column({ type: 'varchar', length: 12 }) status!: TranscriptStatus;
  @Column({ type: 'varchar', length: 32 }) engine!: string;
  @Column({ type: 'varchar', length: 16 }) language!: string;
  @Column({ type: 'int', default: 0 }) durationMs!: number;
  /** 0-100, written by the worker as channels finish. */
  @Column({ type: 'int', default: 0 }) progress!: number;
  /** Attempts started so far (a worker killed mid-job counts too). */
  @Column({ type: 'int', default: 0 }) attempts!: number;
  @Column({ type: 'int', default: 0 }) priority!: number;
  @Column({ type: 'text', nullable: true }) error!: string | null;
  @TimestampColumn({ nullable: true }) startedAt!: Date | null;
  @TimestampColumn({ nullable: true }) finishedAt!: Date | null;
  @TimestampColumn() createdAt!: Date;
  @TimestampColumn() updatedAt!: Date;
}

/** A stretch of speech on one channel (0 = left = customer, 1 = right = operator). */
@Entity('vnote_segments')
@Index('ix_vnote_segments_call', ['tenantId', 'callId', 'seq'])
@Index('ix_vnote_segments_transcript', ['transcriptId'])
export class VnoteSegment {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 36 }) tenantId!: string;
  @Column({ type: 'varchar', length: 36 }) callId!: string;
  @Column({ type: 'varchar', length: 36 }) transcriptId!: string;
  /** Order in the conversation (by start time across both channels). */
  @Column({ type: 'int' }) seq!: number;
  @Column({ type: 'int' }) channel!: number;
  @Column({ type: 'varchar', length: 12 }) speaker!: Speaker;
  @Column({ type: 'int' }) startMs!: number;
  @Column({ type: 'int' }) endMs!: number;
  @Column({ type: 'text' }) text!: string;
  /** Per mille (0-1000). */
  @Column({ type: 'int' }) confidence!: number;
  @TimestampColumn() createdAt!: Date;
}

/** A tenant's transcription settings; a tenant without a row uses the defaults. */
@Entity('vnote_settings')
export class VnoteSettingsRow {
  @PrimaryColumn({ type: 'varchar', length: 36 }) tenantId!: string;
  @Column({ type: 'varchar', length: 32 }) engine!: string;
  @Column({ type: 'varchar', length: 16 }) language!: string;
  /** JSON of the engine's options (model path, region, credentials reference...). */
  @Column({ type: 'text' }) engineOptions!: string;
  @Column({ type: 'varchar', length: 50 }) customerLabel!: string;
  @Column({ type: 'varchar', length: 50 }) operatorLabel!: string;
  @Column({ type: 'int', default: 1 }) concurrency!: number;
  @Column({ type: 'int', default: 0 }) priority!: number;
  @TimestampColumn() updatedAt!: Date;
}

/** A transcription that failed every attempt, with the last reason; retried by an admin. */
@Entity('vnote_dead_letters')
@Index('ix_vnote_dead_letters_tenant', ['tenantId', 'createdAt'])
export class VnoteDeadLetter {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 36 }) tenantId!: string;
  @Column({ type: 'varchar', length: 36 }) callId!: string;
  @Column({ type: 'varchar', length: 36 }) transcriptId!: string;
  @Column({ type: 'varchar', length: 32 }) engine!: string;
  @Column({ type: 'text' }) reason!: string;
  @Column({ type: 'int', default: 0 }) attempts!: number;
  @TimestampColumn() createdAt!: Date;
  @TimestampColumn({ nullable: true }) retriedAt!: Date | null;
}

/**
 * Per-tenant concurrency: a worker runs a tenant's job only while it holds one of the tenant's
 * slot rows (slot < the tenant's concurrency). The lease expires if the worker dies.
 */
@Entity('vnote_worker_slots')
export class VnoteWorkerSlot {
  @PrimaryColumn({ type: 'varchar', length: 36 }) tenantId!: string;
  @PrimaryColumn({ type: 'int' }) slot!: number;
  @Column({ type: 'varchar', length: 36, nullable: true }) transcriptId!: string | null;
  @TimestampColumn({ nullable: true }) leaseUntil!: Date | null;
}

export const VNOTE_TRANSCRIPTION_ENTITIES = [
  VnoteTranscript,
  VnoteSegment,
  VnoteSettingsRow,
  VnoteDeadLetter,
  VnoteWorkerSlot,
];
