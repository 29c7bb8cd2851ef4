import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { id, ref, str, text, time } from './column-shapes';

const bytes = (name: string, isPrimary = false) => ({ name, type: 'bigint', isPrimary });

/** Resumable (tus) ingest uploads and the encrypted segments each PATCH stored. */
export class UploadSessions1764300000000 implements MigrationInterface {
  name = 'UploadSessions1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'upload_sessions',
        columns: [
          id(),
          ref('tenantId'),
          str('clientRecordingId', 128),
          text('uploadMetadata'),
          bytes('totalBytes'),
          bytes('receivedBytes'),
          ref('keyId'),
          str('wrappedKey', 200),
          ref('callId', true),
          ref('recordingId', true),
          time('createdAt'),
          time('expiresAt'),
        ],
        indices: [
          { name: 'ux_upload_sessions_client_id', columnNames: ['tenantId', 'clientRecordingId'], isUnique: true },
          { name: 'ix_upload_sessions_expires', columnNames: ['expiresAt'] },
        ],
        foreignKeys: [{ columnNames: ['tenantId'], referencedTableName: 'tenants', referencedColumnNames: ['id'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'upload_segments',
        columns: [
          { ...ref('uploadId'), isPrimary: true },
          bytes('startByte', true),
          ref('tenantId'),
          str('storageKey', 255),
          bytes('plainBytes'),
          time('createdAt'),
        ],
        foreignKeys: [
          { columnNames: ['uploadId'], referencedTableName: 'upload_sessions', referencedColumnNames: ['id'] },
          { columnNames: ['tenantId'], referencedTableName: 'tenants', referencedColumnNames: ['id'] },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['upload_segments', 'upload_sessions']) await q.dropTable(t);
  }
}
