import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../platform/database/columns';

/**
 * A customer's contract for one product. Dates are Asia/Tokyo calendar dates (`YYYY-MM-DD`); the
 * billing engine derives everything else (billing start, minimum term, service end) from them. The
 * plan is copied in as priced on the day: later catalogue edits never reprice a running contract.
 */
@Entity('vendor_contracts')
export class VendorContract {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 36 }) tenantId!: string;
  /** Billing product name (FlexLog, FlexDPlayer, Ootairyoku, FlexVNote). */
  @Column({ type: 'varchar', length: 16 }) product!: string;
  @Column({ type: 'varchar', length: 8 }) billingCycle!: string;
  /** JSON array of rental equipment serial numbers. */
  @Column({ type: 'text' }) equipment!: string;
  @Column({ type: 'varchar', length: 10 }) appliedOn!: string;
  /** Entered by hand; when null, a confirmed opening test recorded by the product is used. */
  @Column({ type: 'varchar', length: 10, nullable: true }) openingTestOn!: string | null;
  @Column({ type: 'varchar', length: 36 }) planId!: string;
  @Column({ type: 'varchar', length: 20 }) planCode!: string;
  @Column({ type: 'int' }) monthlyFee!: number;
  @Column({ type: 'int' }) initialFee!: number;
  @Column({ type: 'int' }) capacityGb!: number;
  @Column({ type: 'varchar', length: 10, nullable: true }) cancellationRequestedOn!: string | null;
  /** Copied from the engine when the cancellation is confirmed, so "which contracts ended" is one query. */
  @Column({ type: 'varchar', length: 10, nullable: true }) serviceEndOn!: string | null;
  @Column({ type: 'varchar', length: 10, nullable: true }) equipmentReturnedOn!: string | null;
  @TimestampColumn() createdAt!: Date;
  @TimestampColumn() updatedAt!: Date;
}

/** A plan change taking effect on `effectiveOn`, with the new plan as priced on the day it was made. */
@Entity('vendor_contract_plan_changes')
export class ContractPlanChange {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 36 }) contractId!: string;
  @Column({ type: 'varchar', length: 10 }) effectiveOn!: string;
  @Column({ type: 'varchar', length: 36 }) planId!: string;
  @Column({ type: 'varchar', length: 20 }) planCode!: string;
  @Column({ type: 'int' }) monthlyFee!: number;
  @Column({ type: 'int' }) initialFee!: number;
  @Column({ type: 'int' }) capacityGb!: number;
  @TimestampColumn() createdAt!: Date;
  @Column({ type: 'varchar', length: 36, nullable: true }) createdBy!: string | null;
}

/** The one reminder of an annual renewal (Art. 10.8): its primary key is what makes it once only. */
@Entity('vendor_renewal_reminders')
export class RenewalReminder {
  @PrimaryColumn({ type: 'varchar', length: 36 }) contractId!: string;
  @PrimaryColumn({ type: 'varchar', length: 10 }) periodStart!: string;
  @TimestampColumn() sentAt!: Date;
  /** JSON: { mailed: string[], failed: [{ to, error }] }. */
  @Column({ type: 'text' }) mailed!: string;
}
