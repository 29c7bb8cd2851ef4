import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../../platform/database/columns';
import { TenantOwned } from '../../../core/tenancy/tenant.entity';

/** Counters may pass 2^31 on a busy, long-running box: bigint, read back as a number (exact to 2^53). */
export const bigintNumber = {
  to: (v: number | null) => v,
  from: (v: string | number | null) => (v === null ? null : Number(v)),
};
const Big = (nullable = true) => Column({ type: 'bigint', nullable, transformer: bigintNumber });

/**
 * The latest state of one site, made with the site: the figures of its last heartbeat, the drop
 * window they feed, the alerts its admins were told about (one mail per change), and the last call
 * event accepted from it (so a replayed event is recognised).
 */
@Entity('flexlog_site_health')
export class SiteHealth extends TenantOwned {
  @PrimaryColumn({ type: 'varchar', length: 36 }) siteId!: string;
  @TimestampColumn({ nullable: true }) firstSeenAt!: Date | null;
  @TimestampColumn({ nullable: true }) lastSeenAt!: Date | null;
  @Column({ type: 'int', nullable: true }) packetsPerSecond!: number | null;
  /** As the capture reports them: counted since it started. */
  @Big() kernelDrops!: number | null;
  @Big() interfaceDrops!: number | null;
  /** JSON [[atMs, drops, seconds covered], …] of the last minute's heartbeats. */
  @Column({ type: 'text', nullable: true }) recentDrops!: string | null;
  @Column({ type: 'int', nullable: true }) dropsPerMinute!: number | null;
  @Column({ type: 'int', nullable: true }) activeCalls!: number | null;
  @Big() spoolBytes!: number | null;
  @Big() spoolCapacityBytes!: number | null;
  /** Since when finished calls have been waiting with no upload after them (upload-stall alert). */
  @TimestampColumn({ nullable: true }) uploadWaitingSince!: Date | null;
  @Column({ type: 'int', nullable: true }) pendingUploads!: number | null;
  @TimestampColumn({ nullable: true }) lastUploadAt!: Date | null;
  @Column({ type: 'varchar', length: 40, nullable: true }) version!: string | null;
  @Big() uptimeSeconds!: number | null;
  @Big(false) lastEventSeq!: number;
  @Column({ type: 'boolean', default: false }) alertOffline!: boolean;
  @Column({ type: 'boolean', default: false }) alertDrops!: boolean;
  @Column({ type: 'boolean', default: false }) alertUploadStalled!: boolean;
  @Column({ type: 'boolean', default: false }) alertSpoolFull!: boolean;
}

/** The row a new site starts with: never heard from, no alerts, no events. */
export function newSiteHealth(siteId: string, tenantId: string): SiteHealth {
  return Object.assign(new SiteHealth(), {
    siteId,
    tenantId,
    firstSeenAt: null,
    lastSeenAt: null,
    packetsPerSecond: null,
    kernelDrops: null,
    interfaceDrops: null,
    recentDrops: null,
    dropsPerMinute: null,
    activeCalls: null,
    spoolBytes: null,
    spoolCapacityBytes: null,
    uploadWaitingSince: null,
    pendingUploads: null,
    lastUploadAt: null,
    version: null,
    uptimeSeconds: null,
    lastEventSeq: 0,
    alertOffline: false,
    alertDrops: false,
    alertUploadStalled: false,
    alertSpoolFull: false,
  });
}
