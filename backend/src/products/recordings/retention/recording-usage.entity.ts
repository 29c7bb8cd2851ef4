import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../../platform/database/columns';

/**
 * A tenant's stored plaintext bytes, kept as a running total so the capacity check at every ingest
 * reads one row instead of summing every recording (a SUM over a million recordings took about a
 * second on MariaDB). Ingest adds in its transaction, deletions subtract in theirs, and the hourly
 * sweep recounts, which also repairs anything written around these paths.
 */
@Entity('recording_usage')
export class RecordingUsage {
  @PrimaryColumn({ type: 'varchar', length: 36 }) tenantId!: string;
  @Column({ type: 'bigint', transformer: { to: (v: number) => v, from: (v: string | number) => Number(v) } })
  usedBytes!: number;
  @TimestampColumn() countedAt!: Date;
}
