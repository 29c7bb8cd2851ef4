import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../platform/database/columns';

export const PRODUCTS = ['flexlog', 'flexdplayer', 'ootairyoku', 'flexvnote'] as const;
export type Product = (typeof PRODUCTS)[number];

@Entity('tenants')
export class Tenant {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 200 }) name!: string;
  @Column({ type: 'simple-array' }) products!: Product[];
  @Column({ type: 'varchar', length: 64, default: 'Asia/Tokyo' }) timeZone!: string;
  @Column({ type: 'varchar', length: 8, default: 'ja' }) defaultLocale!: string;
  /** The operator's own tenant (the single tenant on-premise, the vendor's in multi mode). */
  @Column({ type: 'boolean', default: false }) isOperator!: boolean;
  @TimestampColumn() createdAt!: Date;
}

/** Base for every row that belongs to a tenant: the scoped repository fills and filters tenantId. */
export abstract class TenantOwned {
  @Column({ type: 'varchar', length: 36 }) tenantId!: string;
}
