import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../../../platform/database/columns';
import { TenantOwned } from '../../../../core/tenancy/tenant.entity';

export const IMPORT_STATUSES = ['uploaded', 'importing', 'imported', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/**
 * An uploaded customer CSV between upload and confirmation. Its decoded text sits in
 * CustomerImportChunk rows, so preview, confirmation and a queued job (in any worker process)
 * read the same file; the chunks are dropped once the import has run.
 */
@Entity('popup_customer_imports')
@Index('ix_popup_customer_imports_created', ['tenantId', 'createdAt'])
export class CustomerImport extends TenantOwned {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 200 }) fileName!: string;
  /** 'utf-8', 'utf-8-bom' or 'shift_jis', as detected (or as the uploader said). */
  @Column({ type: 'varchar', length: 12 }) encoding!: string;
  /** JSON array of the header row's cells. */
  @Column({ type: 'text' }) headers!: string;
  /** Data rows (the header not counted). */
  @Column({ type: 'int' }) rowCount!: number;
  @Column({ type: 'varchar', length: 12 }) status!: ImportStatus;
  /** JSON: { created, updated } once imported. */
  @Column({ type: 'text', nullable: true }) result!: string | null;
  @Column({ type: 'varchar', length: 36, nullable: true }) jobId!: string | null;
  @Column({ type: 'varchar', length: 36, nullable: true }) createdBy!: string | null;
  @TimestampColumn() createdAt!: Date;
}

/** A slice of an uploaded file's text (at most 16,000 UTF-16 units, under 64 KB in any charset). */
@Entity('popup_customer_import_chunks')
export class CustomerImportChunk extends TenantOwned {
  @PrimaryColumn({ type: 'varchar', length: 36 }) importId!: string;
  @PrimaryColumn({ type: 'int' }) seq!: number;
  @Column({ type: 'text' }) content!: string;
}

/** A column mapping the tenant saved by name, offered again for the next file. */
@Entity('popup_customer_import_mappings')
@Index('ux_popup_customer_import_mappings_name', ['tenantId', 'name'], { unique: true })
export class CustomerImportMapping extends TenantOwned {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 100 }) name!: string;
  /** JSON: { columns: { header: target }, key }. */
  @Column({ type: 'text' }) mapping!: string;
  @TimestampColumn() updatedAt!: Date;
}
