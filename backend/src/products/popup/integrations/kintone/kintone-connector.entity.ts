import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../../../platform/database/columns';

/**
 * A tenant's kintone connector (one per tenant): the customer app searched by the caller's number,
 * and optionally a history app that gets one record per ended call. Both API tokens are sealed
 * together (JSON) with the tenant's data key; the last write-back's outcome is kept for the admin.
 */
@Entity('popup_kintone_connectors')
export class PopupKintoneConnector {
  @PrimaryColumn({ type: 'varchar', length: 36 }) tenantId!: string;
  @Column({ type: 'boolean', default: false }) enabled!: boolean;
  @Column({ type: 'varchar', length: 500 }) baseUrl!: string;
  @Column({ type: 'int' }) appId!: number;
  @Column({ type: 'varchar', length: 128 }) phoneField!: string;
  /** JSON {cardField: kintone field code}. */
  @Column({ type: 'text' }) mapping!: string;
  @Column({ type: 'boolean', default: false }) historyEnabled!: boolean;
  @Column({ type: 'int', nullable: true }) historyAppId!: number | null;
  /** JSON {historyField: kintone field code}. */
  @Column({ type: 'text' }) historyMapping!: string;
  /** Sealed JSON {apiToken, historyApiToken}. */
  @Column({ type: 'text' }) tokens!: string;
  @Column({ type: 'varchar', length: 36 }) tokensKeyId!: string;
  @Column({ type: 'int' }) timeoutMs!: number;
  @Column({ type: 'int' }) cacheTtlSeconds!: number;
  @TimestampColumn({ nullable: true }) lastWriteBackAt!: Date | null;
  @Column({ type: 'varchar', length: 500, nullable: true }) lastWriteBackError!: string | null;
  @TimestampColumn() updatedAt!: Date;
}
