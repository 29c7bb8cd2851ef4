import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../../platform/database/columns';
import { TenantOwned } from '../../../core/tenancy/tenant.entity';

/** A carrier mobile line of the tenant; its calls belong to `userId` (mobile operators see their own). */
@Entity('flexdplayer_lines')
@Index('ux_fdp_lines_number', ['tenantId', 'e164'], { unique: true })
export class CarrierLine extends TenantOwned {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 20 }) e164!: string;
  @Column({ type: 'varchar', length: 100, nullable: true }) label!: string | null;
  @Column({ type: 'varchar', length: 36, nullable: true }) userId!: string | null;
  @TimestampColumn() createdAt!: Date;
  @TimestampColumn() updatedAt!: Date;
}
