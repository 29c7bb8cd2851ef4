import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { flag, id, integer, ref, str, text, time } from './column-shapes';

const bigint = (name: string, nullable = true) => ({ name, type: 'bigint', isNullable: nullable });
const optionalInt = (name: string) => ({ name, type: 'int', isNullable: true });
const tenantKey = { columnNames: ['tenantId'], referencedTableName: 'tenants', referencedColumnNames: ['id'] };

/** FlexLog sites, their health (latest heartbeat and a day of minutes), and API keys bound to a site. */
export class FlexlogSites1764500000000 implements MigrationInterface {
  name = 'FlexlogSites1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'flexlog_sites',
        columns: [
          id(),
          ref('tenantId'),
          str('name', 100),
          str('location', 200, true),
          text('internalNetworks'),
          text('extensionPatterns'),
          text('lines'),
          integer('offlineAfterSeconds', 60),
          integer('dropAlertThreshold', 100),
          str('webhookUrl', 2048, true),
          text('webhookSecret', true),
          ref('webhookKeyId', true),
          time('createdAt'),
          time('updatedAt'),
        ],
        indices: [{ name: 'ux_flexlog_sites_name', columnNames: ['tenantId', 'name'], isUnique: true }],
        foreignKeys: [tenantKey],
      }),
    );
    await q.createTable(
      new Table({
        name: 'flexlog_site_health',
        columns: [
          { ...ref('siteId'), isPrimary: true },
          ref('tenantId'),
          time('firstSeenAt', true),
          time('lastSeenAt', true),
          optionalInt('packetsPerSecond'),
          bigint('kernelDrops'),
          bigint('interfaceDrops'),
          text('recentDrops', true),
          optionalInt('dropsPerMinute'),
          optionalInt('activeCalls'),
          bigint('spoolBytes'),
          bigint('spoolCapacityBytes'),
          time('uploadWaitingSince', true),
          optionalInt('pendingUploads'),
          time('lastUploadAt', true),
          str('version', 40, true),
          bigint('uptimeSeconds'),
          { ...bigint('lastEventSeq', false), default: 0 },
          flag('alertOffline'),
          flag('alertDrops'),
          flag('alertUploadStalled'),
          flag('alertSpoolFull'),
        ],
        foreignKeys: [
          tenantKey,
          { columnNames: ['siteId'], referencedTableName: 'flexlog_sites', referencedColumnNames: ['id'] },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'flexlog_heartbeat_minutes',
        columns: [
          { ...ref('siteId'), isPrimary: true },
          { ...time('minute'), isPrimary: true },
          ref('tenantId'),
          integer('heartbeats'),
          bigint('packetsPerSecondSum', false),
          integer('packetsPerSecondMax'),
          bigint('drops', false),
          integer('activeCallsMax'),
          bigint('spoolBytes', false),
        ],
        foreignKeys: [
          tenantKey,
          { columnNames: ['siteId'], referencedTableName: 'flexlog_sites', referencedColumnNames: ['id'] },
        ],
      }),
    );
    await q.addColumn('api_keys', new TableColumn(ref('siteId', true)));
    await q.createIndex('api_keys', new TableIndex({ name: 'ix_api_keys_site', columnNames: ['siteId'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('api_keys', 'ix_api_keys_site');
    await q.dropColumn('api_keys', 'siteId');
    for (const t of ['flexlog_heartbeat_minutes', 'flexlog_site_health', 'flexlog_sites']) await q.dropTable(t);
  }
}
