import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { flag, integer, ref, str, text, time } from './column-shapes';

/** 応対力's external lookup hook: one per tenant. */
export class PopupLookupHook1765440000000 implements MigrationInterface {
  name = 'PopupLookupHook1765440000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'popup_lookup_hooks',
        columns: [
          { ...ref('tenantId'), isPrimary: true },
          flag('enabled'),
          str('urlTemplate', 2000),
          text('headerNames'),
          text('headers', true),
          ref('headersKeyId', true),
          integer('timeoutMs'),
          integer('cacheTtlSeconds'),
          str('recordsPath', 500, true),
          text('mapping'),
          time('updatedAt'),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('popup_lookup_hooks');
  }
}
