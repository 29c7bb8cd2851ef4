import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../platform/database/columns';

// The vendor's own records about a customer's contract end. Their tables start with `vendor_`:
// the shredder keeps every such table (Art. 12.4 deletes the customer's data, not the vendor's books).

export const SHRED_STEPS = ['accounts', 'connectors', 'objects', 'files', 'rows', 'key', 'certificate'] as const;
export type ShredStep = (typeof SHRED_STEPS)[number];

/**
 * One tenant's contract end, and how far it got: each finished step is written here before the next
 * starts, so a crash resumes at the step it died in. Also the mark that the tenant is terminated
 * (`finishedAt` set): the tenant row itself stays, with its name, for the vendor's records.
 */
@Entity('vendor_tenant_shreddings')
export class TenantShredding {
  @PrimaryColumn({ type: 'varchar', length: 36 }) tenantId!: string;
  @Column({ type: 'varchar', length: 200 }) tenantName!: string;
  @Column({ type: 'varchar', length: 64 }) contractId!: string;
  @Column({ type: 'varchar', length: 10 }) serviceEndDate!: string;
  /** Comma-separated finished steps, in order. */
  @Column({ type: 'text' }) stepsDone!: string;
  /** JSON: the inventory taken before anything was deleted (what the certificate reports). */
  @Column({ type: 'text', nullable: true }) inventory!: string | null;
  /** JSON: ids of the data keys destroyed. */
  @Column({ type: 'text', nullable: true }) destroyedKeyIds!: string | null;
  @Column({ type: 'varchar', length: 36, nullable: true }) certificateId!: string | null;
  @Column({ type: 'varchar', length: 36, nullable: true }) requestedBy!: string | null;
  @Column({ type: 'text', nullable: true }) lastError!: string | null;
  @TimestampColumn() startedAt!: Date;
  @TimestampColumn({ nullable: true }) finishedAt!: Date | null;
}

/** A signed deletion certificate: `document` is the exact signed text, `signature` its Ed25519 signature. */
@Entity('vendor_deletion_certificates')
@Index('ux_vendor_deletion_certificates_tenant', ['tenantId'], { unique: true })
export class DeletionCertificateRow {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 36 }) tenantId!: string;
  @Column({ type: 'text' }) document!: string;
  /** Base64 Ed25519 signature over the UTF-8 bytes of `document`. */
  @Column({ type: 'varchar', length: 128 }) signature!: string;
  @Column({ type: 'varchar', length: 80 }) keyFingerprint!: string;
  @TimestampColumn() issuedAt!: Date;
}

/** One rented device to come back after the service end (Art. 12.5, 12.8-9). */
@Entity('vendor_equipment_returns')
@Index('ux_vendor_equipment_returns_item', ['contractId', 'serialNumber'], { unique: true })
@Index('ix_vendor_equipment_returns_deadline', ['returnedOn', 'deadline'])
export class EquipmentReturn {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 36 }) tenantId!: string;
  @Column({ type: 'varchar', length: 64 }) contractId!: string;
  @Column({ type: 'varchar', length: 100 }) serialNumber!: string;
  @Column({ type: 'varchar', length: 10 }) serviceEndDate!: string;
  /** Arrival deadline: 14 days after the service end date. */
  @Column({ type: 'varchar', length: 10 }) deadline!: string;
  @Column({ type: 'varchar', length: 10, nullable: true }) returnedOn!: string | null;
  @TimestampColumn() createdAt!: Date;
}
