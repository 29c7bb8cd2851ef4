import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../../platform/database/columns';
import { TenantOwned } from '../../../core/tenancy/tenant.entity';

/** How a tenant's carrier names its files and writes its sidecars; see mapping-profile.ts for the shape. */
@Entity('flexdplayer_mapping_profiles')
@Index('ux_fdp_profiles_name', ['tenantId', 'name'], { unique: true })
export class MappingProfileRow extends TenantOwned {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 100 }) name!: string;
  @Column({ type: 'varchar', length: 8 }) patternKind!: 'tokens' | 'regex';
  @Column({ type: 'text', nullable: true }) fileNamePattern!: string | null;
  /** JSON: SidecarRules. */
  @Column({ type: 'text' }) sidecar!: string;
  /** JSON: DirectionValues. */
  @Column({ type: 'text' }) directionValues!: string;
  @Column({ type: 'varchar', length: 64 }) timeZone!: string;
  @TimestampColumn() createdAt!: Date;
  @TimestampColumn() updatedAt!: Date;
}
