import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { flag, integer, ref, str, text, time } from './column-shapes';

/** Outgoing webhooks: each tenant's endpoints and the delivery log with its retry schedule. */
export class Webhooks1765430000000 implements MigrationInterface {
  name = 'Webhooks1765430000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'webhook_endpoints',
        columns: [
          { ...ref('id'), isPrimary: true },
          ref('tenantId'),
          str('name', 100),
          str('url', 2000),
          text('events'),
          { ...flag('enabled'), default: true },
          text('secret'),
          ref('secretKeyId'),
          time('createdAt'),
          time('updatedAt'),
        ],
        indices: [{ name: 'ix_webhook_endpoints_tenant', columnNames: ['tenantId', 'enabled'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'webhook_deliveries',
        columns: [
          { ...ref('id'), isPrimary: true },
          ref('tenantId'),
          ref('endpointId'),
          ref('eventId'),
          str('eventType', 40),
          text('body'),
          ref('bodyKeyId'),
          str('status', 12),
          integer('attempts', 0),
          integer('maxAttempts'),
          { ...integer('httpStatus'), isNullable: true },
          { ...integer('durationMs'), isNullable: true },
          str('error', 500, true),
          time('nextAttemptAt', true),
          time('claimedUntil', true),
          time('lastAttemptAt', true),
          ref('resentFrom', true),
          time('createdAt'),
        ],
        indices: [
          { name: 'ix_webhook_deliveries_endpoint', columnNames: ['tenantId', 'endpointId', 'createdAt'] },
          { name: 'ix_webhook_deliveries_due', columnNames: ['status', 'nextAttemptAt'] },
        ],
        foreignKeys: [
          {
            columnNames: ['endpointId'],
            referencedTableName: 'webhook_endpoints',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('webhook_deliveries');
    await q.dropTable('webhook_endpoints');
  }
}
