import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../platform/database/columns';
import { TenantOwned } from '../../core/tenancy/tenant.entity';

/** The stored audio of a call: encrypted Ogg Opus in object storage under the tenant's data key. */
@Entity('recordings')
@Index('ix_recordings_call', ['tenantId', 'callId'])
@Index('ix_recordings_tenant_created', ['tenantId', 'createdAt'])
export class Recording extends TenantOwned {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 36 }) callId!: string;
  @Column({ type: 'varchar', length: 255 }) storageKey!: string;
  @Column({ type: 'varchar', length: 16 }) format!: 'ogg-opus';
  /** Plaintext audio bytes (what quotas count) and bytes as stored (ciphertext). */
  @Column({ type: 'bigint', transformer: { to: (v: number) => v, from: (v: string | number) => Number(v) } })
  bytes!: number;
  @Column({ type: 'bigint', transformer: { to: (v: number) => v, from: (v: string | number) => Number(v) } })
  storedBytes!: number;
  /** SHA-256 of the normalised plaintext audio (the evidence export proves against it). */
  @Column({ type: 'varchar', length: 64 }) sha256!: string;
  @Column({ type: 'int' }) durationMs!: number;
  @Column({ type: 'varchar', length: 36 }) keyId!: string;
  /** The ciphertext's 28-byte RCE1 header (base64): a ranged read then needs one storage fetch. */
  @Column({ type: 'varchar', length: 64 }) cipherHeader!: string;
  @Column({ type: 'text', nullable: true }) peaks!: string | null;
  @TimestampColumn() createdAt!: Date;
}
