import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { id, integer, ref, str, time } from './column-shapes';

/**
 * Objects still to be removed from storage after their call's rows were deleted (PendingObjectDeletion),
 * and each tenant's running total of stored bytes for the capacity check (RecordingUsage).
 */
export class PendingObjectDeletions1764450000000 implements MigrationInterface {
  name = 'PendingObjectDeletions1764450000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'pending_object_deletions',
        columns: [
          id(),
          ref('tenantId'),
          str('storageKey', 255),
          integer('attempts', 0),
          str('lastError', 500, true),
          time('createdAt'),
        ],
        indices: [{ name: 'ix_pending_object_deletions_created', columnNames: ['createdAt'] }],
        foreignKeys: [{ columnNames: ['tenantId'], referencedTableName: 'tenants', referencedColumnNames: ['id'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'recording_usage',
        columns: [{ ...ref('tenantId'), isPrimary: true }, { name: 'usedBytes', type: 'bigint' }, time('countedAt')],
        foreignKeys: [{ columnNames: ['tenantId'], referencedTableName: 'tenants', referencedColumnNames: ['id'] }],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['recording_usage', 'pending_object_deletions']) await q.dropTable(t);
  }
}
