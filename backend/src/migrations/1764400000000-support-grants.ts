import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { id, ref, str, time } from './column-shapes';

/** Support grants: a tenant's time-limited permission for vendor staff to see its data. */
export class SupportGrants1764400000000 implements MigrationInterface {
  name = 'SupportGrants1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'support_grants',
        columns: [
          id(),
          ref('tenantId'),
          str('scope', 8),
          str('reason', 500),
          ref('granteeUserId', true),
          ref('grantedBy'),
          time('createdAt'),
          time('expiresAt'),
          time('revokedAt', true),
          ref('revokedBy', true),
        ],
        indices: [{ name: 'ix_support_grants_tenant', columnNames: ['tenantId', 'createdAt'] }],
        foreignKeys: [{ columnNames: ['tenantId'], referencedTableName: 'tenants', referencedColumnNames: ['id'] }],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('support_grants');
  }
}
