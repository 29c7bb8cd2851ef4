import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../platform/database/columns';
import { TenantOwned } from '../tenancy/tenant.entity';

/**
 * One receiver of a tenant's events. `events` is a JSON list of event types; the signing secret is
 * sealed with the tenant's data key (shown once when made, unreadable once the tenant is shredded).
 */
@Entity('webhook_endpoints')
@Index('ix_webhook_endpoints_tenant', ['tenantId', 'enabled'])
export class WebhookEndpoint extends TenantOwned {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 100 }) name!: string;
  @Column({ type: 'varchar', length: 2000 }) url!: string;
  @Column({ type: 'text' }) events!: string;
  @Column({ type: 'boolean', default: true }) enabled!: boolean;
  @Column({ type: 'text' }) secret!: string;
  @Column({ type: 'varchar', length: 36 }) secretKeyId!: string;
  @TimestampColumn() createdAt!: Date;
  @TimestampColumn() updatedAt!: Date;
}

export const DELIVERY_STATUSES = ['pending', 'retrying', 'succeeded', 'failed', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * One event on its way to one endpoint, and what happened on its last attempt. The body carries
 * personal data (numbers, customer names), so it is sealed with the tenant's data key like the
 * secret. `claimedUntil` is the lease of the process running an attempt: the retry poller leaves
 * a claimed row alone, and takes it back if that process died.
 */
@Entity('webhook_deliveries')
@Index('ix_webhook_deliveries_endpoint', ['tenantId', 'endpointId', 'createdAt'])
@Index('ix_webhook_deliveries_due', ['status', 'nextAttemptAt'])
export class WebhookDelivery extends TenantOwned {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 36 }) endpointId!: string;
  @Column({ type: 'varchar', length: 36 }) eventId!: string;
  @Column({ type: 'varchar', length: 40 }) eventType!: string;
  @Column({ type: 'text' }) body!: string;
  @Column({ type: 'varchar', length: 36 }) bodyKeyId!: string;
  @Column({ type: 'varchar', length: 12 }) status!: DeliveryStatus;
  @Column({ type: 'int', default: 0 }) attempts!: number;
  @Column({ type: 'int' }) maxAttempts!: number;
  @Column({ type: 'int', nullable: true }) httpStatus!: number | null;
  @Column({ type: 'int', nullable: true }) durationMs!: number | null;
  @Column({ type: 'varchar', length: 500, nullable: true }) error!: string | null;
  @TimestampColumn({ nullable: true }) nextAttemptAt!: Date | null;
  @TimestampColumn({ nullable: true }) claimedUntil!: Date | null;
  @TimestampColumn({ nullable: true }) lastAttemptAt!: Date | null;
  /** The delivery this one re-sends (same event id), if any. */
  @Column({ type: 'varchar', length: 36, nullable: true }) resentFrom!: string | null;
  @TimestampColumn() createdAt!: Date;
}

export const WEBHOOK_ENTITIES = [WebhookEndpoint, WebhookDelivery];
