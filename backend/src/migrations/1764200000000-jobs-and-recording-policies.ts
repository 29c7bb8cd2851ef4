import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { flag, id, integer, ref, str, text, time } from './column-shapes';

/** Jobs with progress (deletion, evidence export, retention) and each tenant's recording policy. */
export class JobsAndRecordingPolicies1764200000000 implements MigrationInterface {
  name = 'JobsAndRecordingPolicies1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'jobs',
        columns: [
          id(),
          ref('tenantId'),
          str('kind', 40),
          str('status', 12),
          integer('progress', 0),
          str('stage', 200, true),
          text('params'),
          text('result', true),
          text('error', true),
          ref('createdBy', true),
          time('createdAt'),
          time('startedAt', true),
          time('finishedAt', true),
        ],
        indices: [{ name: 'ix_jobs_tenant_created', columnNames: ['tenantId', 'createdAt'] }],
        foreignKeys: [{ columnNames: ['tenantId'], referencedTableName: 'tenants', referencedColumnNames: ['id'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'recording_policies',
        columns: [
          { ...ref('tenantId'), isPrimary: true },
          { name: 'capacityBytes', type: 'bigint', isNullable: true },
          { ...str('whenFull', 8), default: "'reject'" },
          { name: 'retentionDays', type: 'int', isNullable: true },
          text('retentionBySource', true),
          { ...flag('operatorsSeeOwnCallsOnly'), default: true },
          integer('shareLinkMaxHours', 168),
          time('capacityAlertedAt', true),
          time('updatedAt'),
        ],
        foreignKeys: [{ columnNames: ['tenantId'], referencedTableName: 'tenants', referencedColumnNames: ['id'] }],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['recording_policies', 'jobs']) await q.dropTable(t);
  }
}
