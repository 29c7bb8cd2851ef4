import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../../platform/database/columns';

/**
 * The opening test (開通試験) of a product for a tenant: the first valid delivery proposes a date
 * (`candidateAt`), an administrator confirms it. The vendor's contracts read `confirmedAt` as the
 * service start; the table is keyed by product so FlexLog can record its own the same way.
 */
@Entity('opening_tests')
export class OpeningTest {
  @PrimaryColumn({ type: 'varchar', length: 36 }) tenantId!: string;
  @PrimaryColumn({ type: 'varchar', length: 16 }) product!: string;
  @TimestampColumn({ nullable: true }) candidateAt!: Date | null;
  /** What proposed the candidate (the file name), for the admin who confirms. */
  @Column({ type: 'varchar', length: 255, nullable: true }) candidateNote!: string | null;
  @TimestampColumn({ nullable: true }) confirmedAt!: Date | null;
  @Column({ type: 'varchar', length: 36, nullable: true }) confirmedBy!: string | null;
}
