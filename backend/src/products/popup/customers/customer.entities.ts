import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../../platform/database/columns';
import { TenantOwned } from '../../../core/tenancy/tenant.entity';

/** A caller the tenant knows: what the incoming-call popup shows on its card. */
@Entity('popup_customers')
@Index('ix_popup_customers_kana', ['tenantId', 'kanaKey'])
@Index('ix_popup_customers_name', ['tenantId', 'name'])
@Index('ux_popup_customers_external_id', ['tenantId', 'externalId'], { unique: true })
export class Customer extends TenantOwned {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 200 }) name!: string;
  @Column({ type: 'varchar', length: 200, nullable: true }) kana!: string | null;
  /** The kana folded (NFKC, hiragana as katakana, no spaces): what kana search compares with. */
  @Column({ type: 'varchar', length: 200 }) kanaKey!: string;
  @Column({ type: 'varchar', length: 200, nullable: true }) company!: string | null;
  @Column({ type: 'varchar', length: 200, nullable: true }) department!: string | null;
  /** A code of the tenant's ranks (CustomerRank), or null. */
  @Column({ type: 'varchar', length: 16, nullable: true }) rankCode!: string | null;
  /** JSON array of strings. */
  @Column({ type: 'text' }) tags!: string;
  @Column({ type: 'text', nullable: true }) memo!: string | null;
  /** JSON object: field key (CustomerFieldDefinition) -> value. */
  @Column({ type: 'text' }) customFields!: string;
  /** The customer's id in the tenant's own systems: a key CSV re-imports can update by. */
  @Column({ type: 'varchar', length: 100, nullable: true }) externalId!: string | null;
  @TimestampColumn() createdAt!: Date;
  @TimestampColumn() updatedAt!: Date;
  /** Joined by the popup's lookup (not a column): the tenant's rank row for rankCode, if stored. */
  rank?: CustomerRank | null;
}

/**
 * One phone number of a customer. `e164` is indexed with the tenant so the popup finds the
 * callers of a ringing number in one index lookup; `digits` serves fragment search.
 */
@Entity('popup_customer_numbers')
@Index('ix_popup_customer_numbers_e164', ['tenantId', 'e164'])
@Index('ix_popup_customer_numbers_customer', ['customerId'])
export class CustomerNumber extends TenantOwned {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 36 }) customerId!: string;
  /** As typed or imported. */
  @Column({ type: 'varchar', length: 64 }) raw!: string;
  @Column({ type: 'varchar', length: 20 }) e164!: string;
  /** Domestic digits (0312345678), as people type fragments of them. */
  @Column({ type: 'varchar', length: 32 }) digits!: string;
  @Column({ type: 'int' }) position!: number;
}

/** A rank of the tenant's customers (VIP/A/B/C by default) with the colour the card shows. */
@Entity('popup_customer_ranks')
@Index('ux_popup_customer_ranks_code', ['tenantId', 'code'], { unique: true })
export class CustomerRank extends TenantOwned {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 16 }) code!: string;
  @Column({ type: 'varchar', length: 50 }) label!: string;
  @Column({ type: 'varchar', length: 7 }) colour!: string;
  @Column({ type: 'int' }) position!: number;
}

export const FIELD_TYPES = ['text', 'number', 'date'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** A custom field the tenant's customers carry (会員番号, 誕生日…). */
@Entity('popup_customer_fields')
@Index('ux_popup_customer_fields_key', ['tenantId', 'key'], { unique: true })
export class CustomerFieldDefinition extends TenantOwned {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 40 }) key!: string;
  @Column({ type: 'varchar', length: 100 }) label!: string;
  @Column({ type: 'varchar', length: 8 }) type!: FieldType;
  @Column({ type: 'int' }) position!: number;
}
