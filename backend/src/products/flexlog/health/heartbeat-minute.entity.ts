import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TenantOwned } from '../../../core/tenancy/tenant.entity';
import { bigintNumber } from './site-health.entity';

/** One minute of a site's heartbeats (about six), kept for a day: what the status chart draws. */
@Entity('flexlog_heartbeat_minutes')
export class HeartbeatMinute extends TenantOwned {
  @PrimaryColumn({ type: 'varchar', length: 36 }) siteId!: string;
  @PrimaryColumn({ type: 'datetime', precision: 3 }) minute!: Date;
  @Column({ type: 'int' }) heartbeats!: number;
  @Column({ type: 'bigint', transformer: bigintNumber }) packetsPerSecondSum!: number;
  @Column({ type: 'int' }) packetsPerSecondMax!: number;
  /** Packets dropped during the minute (kernel + interface). */
  @Column({ type: 'bigint', transformer: bigintNumber }) drops!: number;
  @Column({ type: 'int' }) activeCallsMax!: number;
  @Column({ type: 'bigint', transformer: bigintNumber }) spoolBytes!: number;
}
