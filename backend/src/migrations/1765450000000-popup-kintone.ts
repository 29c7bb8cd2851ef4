import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { flag, integer, ref, str, text, time } from './column-shapes';

/** 応対力's kintone connector: one per tenant. */
export class PopupKintone1765450000000 implements MigrationInterface {
  name = 'PopupKintone1765450000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'popup_kintone_connectors',
        columns: [
          { ...ref('tenantId'), isPrimary: true },
          flag('enabled'),
          str('baseUrl', 500),
          integer('appId'),
          str('phoneField', 128),
          text('mapping'),
          flag('historyEnabled'),
          { ...integer('historyAppId'), isNullable: true },
          text('historyMapping'),
          text('tokens'),
          ref('tokensKeyId'),
          integer('timeoutMs'),
          integer('cacheTtlSeconds'),
          time('lastWriteBackAt', true),
          str('lastWriteBackError', 500, true),
          time('updatedAt'),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('popup_kintone_connectors');
  }
}
