import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../../platform/database/columns';

/**
 * A tenant's external lookup hook (one per tenant): a GET to its own CRM for the caller's number,
 * mapped onto a card. Header values (API keys) are sealed with the tenant's data key; their names
 * are kept in clear so the settings page can list them.
 */
@Entity('popup_lookup_hooks')
export class PopupLookupHook {
  @PrimaryColumn({ type: 'varchar', length: 36 }) tenantId!: string;
  @Column({ type: 'boolean', default: false }) enabled!: boolean;
  @Column({ type: 'varchar', length: 2000 }) urlTemplate!: string;
  @Column({ type: 'text' }) headerNames!: string;
  @Column({ type: 'text', nullable: true }) headers!: string | null;
  @Column({ type: 'varchar', length: 36, nullable: true }) headersKeyId!: string | null;
  @Column({ type: 'int' }) timeoutMs!: number;
  @Column({ type: 'int' }) cacheTtlSeconds!: number;
  /** JSONPath to an array of records in the answer, or null when the answer is the one record. */
  @Column({ type: 'varchar', length: 500, nullable: true }) recordsPath!: string | null;
  /** JSON {cardField: JSONPath}. */
  @Column({ type: 'text' }) mapping!: string;
  @TimestampColumn() updatedAt!: Date;
}
