import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../platform/database/columns';

/**
 * An issued invoice (適格請求書). Everything printed is stored as issued (lines, amounts, issuer name
 * and registration number), so a reprint years later shows the same document even if the issuer's
 * settings or the plan prices have changed since.
 */
@Entity('vendor_invoices')
export class VendorInvoice {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  /** INV-YYYY-NNNNNN: sequential per year of issue, no gaps (the counter moves in the same transaction). */
  @Column({ type: 'varchar', length: 20 }) number!: string;
  @Column({ type: 'varchar', length: 36 }) contractId!: string;
  @Column({ type: 'varchar', length: 36 }) tenantId!: string;
  @Column({ type: 'varchar', length: 200 }) customerName!: string;
  /** The month billed (YYYY-MM), the engine's invoice id. */
  @Column({ type: 'varchar', length: 7 }) month!: string;
  @Column({ type: 'varchar', length: 10 }) issueDate!: string;
  @Column({ type: 'varchar', length: 10 }) dueDate!: string;
  /** JSON: the engine's lines, exactly as it returned them. */
  @Column({ type: 'text' }) lines!: string;
  /** Lines subject to 10% consumption tax. */
  @Column({ type: 'int' }) taxableAmount!: number;
  /** Delay damages: outside the tax base. */
  @Column({ type: 'int' }) nonTaxableAmount!: number;
  @Column({ type: 'int' }) subtotal!: number;
  @Column({ type: 'int' }) tax!: number;
  @Column({ type: 'int' }) total!: number;
  @Column({ type: 'varchar', length: 200 }) issuerName!: string;
  @Column({ type: 'varchar', length: 14 }) issuerRegistrationNumber!: string;
  /** JSON: address, phone, bank account as printed. */
  @Column({ type: 'text' }) issuerDetails!: string;
  /** The day the payments reached the total (null while anything is outstanding). */
  @Column({ type: 'varchar', length: 10, nullable: true }) paidOn!: string | null;
  /** The later invoice that carried this one's delay damages. */
  @Column({ type: 'varchar', length: 36, nullable: true }) damagesInvoiceId!: string | null;
  @TimestampColumn() createdAt!: Date;
}

@Entity('vendor_payments')
export class VendorPayment {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 36 }) invoiceId!: string;
  @Column({ type: 'varchar', length: 10 }) paidOn!: string;
  @Column({ type: 'int' }) amount!: number;
  @Column({ type: 'varchar', length: 200 }) payerName!: string;
  /** `manual` (entered in the console) or `bankCsv` (imported). */
  @Column({ type: 'varchar', length: 8 }) source!: string;
  @TimestampColumn() createdAt!: Date;
  @Column({ type: 'varchar', length: 36, nullable: true }) createdBy!: string | null;
}

/** The last invoice number used in a year of issue. */
@Entity('vendor_invoice_counters')
export class InvoiceCounter {
  @PrimaryColumn({ type: 'int' }) year!: number;
  @Column({ type: 'int', default: 0 }) lastNumber!: number;
}
