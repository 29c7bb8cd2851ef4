import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../../platform/database/columns';
import type { CallSource } from '../call.entity';

export const WHEN_FULL = ['rotate', 'reject'] as const;
export type WhenFull = (typeof WHEN_FULL)[number];

/**
 * How recordings are kept: `telephone` is narrowband Opus at 7 kbit/s per channel (what a phone line
 * carries, ≈ 6.6 MB per stereo hour); `wideband` keeps up to 8 kHz of audio at 16 kbit/s per channel
 * for HD-voice calls and files, which speech recognition needs to do well.
 */
export const AUDIO_QUALITIES = ['telephone', 'wideband'] as const;
export type AudioQuality = (typeof AUDIO_QUALITIES)[number];
export const STORAGE_KBPS: Record<AudioQuality, number | undefined> = { telephone: undefined, wideband: 16 };

const bigintNumber = {
  to: (v: number | null) => v,
  from: (v: string | number | null) => (v === null ? null : Number(v)),
};

/**
 * A tenant's rules for its recordings: how much it may store (from its contract plan), what
 * happens when that is full, how long recordings are kept, and who sees what. A tenant without
 * a row has the defaults (no limit, keep forever, operators see their own calls, links up to 7 days).
 */
@Entity('recording_policies')
export class RecordingPolicy {
  @PrimaryColumn({ type: 'varchar', length: 36 }) tenantId!: string;
  /** Bytes of audio the tenant may keep; null = no limit. */
  @Column({ type: 'bigint', nullable: true, transformer: bigintNumber }) capacityBytes!: number | null;
  /** `rotate`: delete the oldest recordings not on hold; `reject`: refuse new ones and alert the admins. */
  @Column({ type: 'varchar', length: 8, default: 'reject' }) whenFull!: WhenFull;
  /** Days a recording is kept; null = until deleted. */
  @Column({ type: 'int', nullable: true }) retentionDays!: number | null;
  /** Per-source overrides of retentionDays, JSON `{ "flexdplayer": 90 }`. */
  @Column({ type: 'text', nullable: true }) retentionBySource!: string | null;
  /** When true an operator sees only the calls mapped to them; otherwise every call of the tenant. */
  @Column({ type: 'boolean', default: true }) operatorsSeeOwnCallsOnly!: boolean;
  /** The longest lifetime a share link may be given. */
  @Column({ type: 'int', default: 168 }) shareLinkMaxHours!: number;
  @Column({ type: 'varchar', length: 16, default: 'telephone' }) audioQuality!: AudioQuality;
  /** Last "capacity full" alert, so admins get one mail a day, not one per refused upload. */
  @TimestampColumn({ nullable: true }) capacityAlertedAt!: Date | null;
  @TimestampColumn() updatedAt!: Date;
}

export type RetentionBySource = Partial<Record<CallSource, number>>;
