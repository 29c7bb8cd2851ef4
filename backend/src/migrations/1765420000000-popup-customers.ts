import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { id, integer, ref, str, text, time } from './column-shapes';

const tenantKey = { columnNames: ['tenantId'], referencedTableName: 'tenants', referencedColumnNames: ['id'] };

/**
 * 応対力's customer directory: customers, their phone numbers (indexed by E.164 for the popup's
 * lookup), per-tenant ranks and custom field definitions, and the CSV import's staging tables.
 */
export class PopupCustomers1765420000000 implements MigrationInterface {
  name = 'PopupCustomers1765420000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'popup_customers',
        columns: [
          id(),
          ref('tenantId'),
          str('name', 200),
          str('kana', 200, true),
          str('kanaKey', 200),
          str('company', 200, true),
          str('department', 200, true),
          str('rankCode', 16, true),
          text('tags'),
          text('memo', true),
          text('customFields'),
          str('externalId', 100, true),
          time('createdAt'),
          time('updatedAt'),
        ],
        indices: [
          { name: 'ix_popup_customers_kana', columnNames: ['tenantId', 'kanaKey'] },
          { name: 'ix_popup_customers_name', columnNames: ['tenantId', 'name'] },
          { name: 'ux_popup_customers_external_id', columnNames: ['tenantId', 'externalId'], isUnique: true },
        ],
        foreignKeys: [tenantKey],
      }),
    );
    await q.createTable(
      new Table({
        name: 'popup_customer_numbers',
        columns: [
          id(),
          ref('tenantId'),
          ref('customerId'),
          str('raw', 64),
          str('e164', 20),
          str('digits', 32),
          integer('position'),
        ],
        indices: [
          { name: 'ix_popup_customer_numbers_e164', columnNames: ['tenantId', 'e164'] },
          { name: 'ix_popup_customer_numbers_customer', columnNames: ['customerId'] },
        ],
        foreignKeys: [
          tenantKey,
          {
            columnNames: ['customerId'],
            referencedTableName: 'popup_customers',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'popup_customer_ranks',
        columns: [id(), ref('tenantId'), str('code', 16), str('label', 50), str('colour', 7), integer('position')],
        indices: [{ name: 'ux_popup_customer_ranks_code', columnNames: ['tenantId', 'code'], isUnique: true }],
        foreignKeys: [tenantKey],
      }),
    );
    await q.createTable(
      new Table({
        name: 'popup_customer_fields',
        columns: [id(), ref('tenantId'), str('key', 40), str('label', 100), str('type', 8), integer('position')],
        indices: [{ name: 'ux_popup_customer_fields_key', columnNames: ['tenantId', 'key'], isUnique: true }],
        foreignKeys: [tenantKey],
      }),
    );
    await q.createTable(
      new Table({
        name: 'popup_customer_imports',
        columns: [
          id(),
          ref('tenantId'),
          str('fileName', 200),
          str('encoding', 12),
          text('headers'),
          integer('rowCount'),
          str('status', 12),
          text('result', true),
          ref('jobId', true),
          ref('createdBy', true),
          time('createdAt'),
        ],
        indices: [{ name: 'ix_popup_customer_imports_created', columnNames: ['tenantId', 'createdAt'] }],
        foreignKeys: [tenantKey],
      }),
    );
    await q.createTable(
      new Table({
        name: 'popup_customer_import_chunks',
        columns: [
          { ...ref('importId'), isPrimary: true },
          { ...integer('seq'), isPrimary: true },
          ref('tenantId'),
          text('content'),
        ],
        foreignKeys: [
          tenantKey,
          {
            columnNames: ['importId'],
            referencedTableName: 'popup_customer_imports',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'popup_customer_import_mappings',
        columns: [id(), ref('tenantId'), str('name', 100), text('mapping'), time('updatedAt')],
        indices: [
          { name: 'ux_popup_customer_import_mappings_name', columnNames: ['tenantId', 'name'], isUnique: true },
        ],
        foreignKeys: [tenantKey],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'popup_customer_import_mappings',
      'popup_customer_import_chunks',
      'popup_customer_imports',
      'popup_customer_fields',
      'popup_customer_ranks',
      'popup_customer_numbers',
      'popup_customers',
    ])
      await q.dropTable(t);
  }
}
