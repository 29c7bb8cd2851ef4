import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Which user answers at which extension: a call recorded at extension 201 belongs to that user, so
 * an operator who may see only their own calls sees the calls of their extensions. One extension
 * belongs to one user of a tenant; a user may have several (desk phone, softphone).
 */
@Entity('user_extensions')
@Index('ix_user_extensions_user', ['tenantId', 'userId'])
export class UserExtension {
  @PrimaryColumn({ type: 'varchar', length: 36 }) tenantId!: string;
  @PrimaryColumn({ type: 'varchar', length: 32 }) extension!: string;
  @Column({ type: 'varchar', length: 36 }) userId!: string;
}
