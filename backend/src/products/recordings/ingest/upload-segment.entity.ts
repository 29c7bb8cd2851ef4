import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../../platform/database/columns';
import { TenantOwned } from '../../../core/tenancy/tenant.entity';
import { byteCount } from './upload-session.entity';

/**
 * What one PATCH stored: plaintext bytes [startByte, startByte + plainBytes) of an upload, as one
 * RCE1-encrypted object. The primary key makes two PATCHes racing at one offset commit only once.
 */
@Entity('upload_segments')
export class UploadSegment extends TenantOwned {
  @PrimaryColumn({ type: 'varchar', length: 36 }) uploadId!: string;
  @PrimaryColumn({ type: 'bigint', transformer: byteCount }) startByte!: number;
  @Column({ type: 'varchar', length: 255 }) storageKey!: string;
  @Column({ type: 'bigint', transformer: byteCount }) plainBytes!: number;
  @TimestampColumn() createdAt!: Date;
}
