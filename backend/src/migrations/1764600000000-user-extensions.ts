import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { ref, str } from './column-shapes';

/**
 * Extensions of users: calls at an extension belong to its user (operator visibility); and an
 * index for "what happened to this call" in the audit log.
 */
export class UserExtensions1764600000000 implements MigrationInterface {
  name = 'UserExtensions1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'user_extensions',
        columns: [{ ...ref('tenantId'), isPrimary: true }, { ...str('extension', 32), isPrimary: true }, ref('userId')],
        indices: [{ name: 'ix_user_extensions_user', columnNames: ['tenantId', 'userId'] }],
        foreignKeys: [
          { columnNames: ['userId'], referencedTableName: 'users', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
        ],
      }),
    );
    await q.createIndex(
      'audit_entries',
      new TableIndex({ name: 'ix_audit_chain_target', columnNames: ['chain', 'target', 'seq'] }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('audit_entries', 'ix_audit_chain_target');
    await q.dropTable('user_extensions');
  }
}
