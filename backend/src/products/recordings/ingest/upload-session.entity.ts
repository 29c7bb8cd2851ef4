import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../../platform/database/columns';
import { TenantOwned } from '../../../core/tenancy/tenant.entity';

/** bigint columns come back as strings from MySQL; byte counts fit a JS number (< 2^53). */
export const byteCount = { to: (v: number) => v, from: (v: string | number) => Number(v) };

/**
 * One resumable (tus) upload of a call: created with the call's metadata and its length, filled by
 * PATCHes, turned into a call when the last byte arrives. The received audio sits in object storage
 * as encrypted segments (UploadSegment) under a key of its own, wrapped by the tenant's data key:
 * removing this row leaves any stray segment unreadable.
 */
@Entity('upload_sessions')
@Index('ux_upload_sessions_client_id', ['tenantId', 'clientRecordingId'], { unique: true })
@Index('ix_upload_sessions_expires', ['expiresAt'])
export class UploadSession extends TenantOwned {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 128 }) clientRecordingId!: string;
  /** The Upload-Metadata header as sent: HEAD repeats it (tus), completion reads the call's metadata from it. */
  @Column({ type: 'text' }) uploadMetadata!: string;
  /** Upload-Length. */
  @Column({ type: 'bigint', transformer: byteCount }) totalBytes!: number;
  /** Upload-Offset: bytes stored in committed segments. */
  @Column({ type: 'bigint', transformer: byteCount }) receivedBytes!: number;
  /** The tenant data key that wraps this upload's own key. */
  @Column({ type: 'varchar', length: 36 }) keyId!: string;
  @Column({ type: 'varchar', length: 200 }) wrappedKey!: string;
  /** Set once the upload became a call (kept until expiry so a HEAD can still say which). */
  @Column({ type: 'varchar', length: 36, nullable: true }) callId!: string | null;
  @Column({ type: 'varchar', length: 36, nullable: true }) recordingId!: string | null;
  @TimestampColumn() createdAt!: Date;
  /** Upload-Expires: moves forward with every PATCH that stores something. */
  @TimestampColumn() expiresAt!: Date;
}
