import { Entity, Index, PrimaryColumn } from 'typeorm';
import { TenantOwned } from '../../core/tenancy/tenant.entity';

/** Tags live in their own rows so "calls tagged X" is an index lookup, not a LIKE over a list. */
@Entity('call_tags')
@Index('ix_call_tags_tag', ['tenantId', 'tag'])
export class CallTag extends TenantOwned {
  @PrimaryColumn({ type: 'varchar', length: 36 }) callId!: string;
  @PrimaryColumn({ type: 'varchar', length: 50 }) tag!: string;
}
