import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../platform/database/columns';

/** One plan of the catalogue (Art. 10): what a contract is priced from when it is made or changed. */
@Entity('vendor_plans')
export class VendorPlan {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  /** Short code printed on quotes and invoices (S, M, L ...). */
  @Column({ type: 'varchar', length: 20 }) code!: string;
  @Column({ type: 'varchar', length: 100 }) nameJa!: string;
  @Column({ type: 'varchar', length: 100 }) nameEn!: string;
  /** JSON array of billing product names (FlexLog, FlexDPlayer, Ootairyoku, FlexVNote). */
  @Column({ type: 'text' }) products!: string;
  /** Recording capacity sold, in GB of 10^9 bytes. */
  @Column({ type: 'int' }) capacityGb!: number;
  @Column({ type: 'int' }) monthlyFee!: number;
  @Column({ type: 'int' }) initialFee!: number;
  /** Inactive plans stay for the contracts on them but are not offered for new ones. */
  @Column({ type: 'boolean', default: false }) active!: boolean;
  @TimestampColumn() createdAt!: Date;
  @TimestampColumn() updatedAt!: Date;
}

/** Capacity in GB as bytes (decimal GB, as the plans are sold). */
export const GB = 1_000_000_000;
