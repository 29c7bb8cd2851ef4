import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../../platform/database/columns';
import { TenantOwned } from '../../../core/tenancy/tenant.entity';

/** A named line of a site (東京店, 採用回線): the calls on these numbers or through these trunks. */
export interface SiteLine {
  name: string;
  /** Numbers of the line (digits, leading + kept): the callee of inbound, the caller of outbound calls. */
  numbers: string[];
  /** IP addresses or host names of the SIP peer the line's calls pass through. */
  trunks: string[];
}

/**
 * A place where a capture box listens on a mirrored switch port (an office, a branch). It owns the
 * rules the box classifies calls by and the thresholds its health alerts use; its API keys (api_keys
 * rows with this siteId) decide which site a heartbeat, an event or an upload belongs to.
 */
@Entity('flexlog_sites')
@Index('ux_flexlog_sites_name', ['tenantId', 'name'], { unique: true })
export class FlexlogSite extends TenantOwned {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 100 }) name!: string;
  @Column({ type: 'varchar', length: 200, nullable: true }) location!: string | null;
  /** JSON: canonical CIDR blocks, e.g. ["192.168.0.0/16","fd00::/8"]. */
  @Column({ type: 'text' }) internalNetworks!: string;
  /** JSON: extension patterns as the admin wrote them ("200-299", "3xxx"). */
  @Column({ type: 'text' }) extensionPatterns!: string;
  /** JSON: SiteLine[]. */
  @Column({ type: 'text' }) lines!: string;
  /** No heartbeat for this long: the site is offline. */
  @Column({ type: 'int', default: 60 }) offlineAfterSeconds!: number;
  /** Dropped packets (kernel + interface) per minute above which the admins are alerted. */
  @Column({ type: 'int', default: 100 }) dropAlertThreshold!: number;
  @Column({ type: 'varchar', length: 2048, nullable: true }) webhookUrl!: string | null;
  /** The webhook signing secret, sealed with the tenant's data key (`webhookKeyId`). */
  @Column({ type: 'text', nullable: true }) webhookSecret!: string | null;
  @Column({ type: 'varchar', length: 36, nullable: true }) webhookKeyId!: string | null;
  @TimestampColumn() createdAt!: Date;
  /** Changes whenever the rules change: the capture refetches its configuration when it moves. */
  @TimestampColumn() updatedAt!: Date;
}
