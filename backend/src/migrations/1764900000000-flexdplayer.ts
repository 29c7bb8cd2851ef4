import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { flag, id, integer, ref, str, text, time } from './column-shapes';

const tenantKey = { columnNames: ['tenantId'], referencedTableName: 'tenants', referencedColumnNames: ['id'] };
const bigint = (name: string) => ({ name, type: 'bigint', isNullable: true });

/**
 * FlexDPlayer: carrier connectors (SFTP drop/pull, watched folder, HTTPS push), mapping profiles,
 * carrier lines, the record of every delivered file, and the per-product opening test (開通試験)
 * that the vendor's contracts read their service start date from.
 */
export class Flexdplayer1764900000000 implements MigrationInterface {
  name = 'Flexdplayer1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'flexdplayer_mapping_profiles',
        columns: [
          id(),
          ref('tenantId'),
          str('name', 100),
          str('patternKind', 8),
          text('fileNamePattern', true),
          text('sidecar'),
          text('directionValues'),
          str('timeZone', 64),
          time('createdAt'),
          time('updatedAt'),
        ],
        indices: [{ name: 'ux_fdp_profiles_name', columnNames: ['tenantId', 'name'], isUnique: true }],
        foreignKeys: [tenantKey],
      }),
    );
    await q.createTable(
      new Table({
        name: 'flexdplayer_connectors',
        columns: [
          id(),
          ref('tenantId'),
          str('type', 16),
          str('name', 100),
          flag('enabled'),
          ref('mappingProfileId', true),
          text('settings'),
          text('secret', true),
          ref('secretKeyId', true),
          str('sftpUsername', 64, true),
          str('passwordHash', 255, true),
          str('pushTokenHash', 64, true),
          integer('settleSeconds', 10),
          time('lastScanAt', true),
          time('createdAt'),
          time('updatedAt'),
        ],
        indices: [
          { name: 'ux_fdp_connectors_name', columnNames: ['tenantId', 'name'], isUnique: true },
          { name: 'ux_fdp_connectors_sftp_user', columnNames: ['sftpUsername'], isUnique: true },
        ],
        foreignKeys: [tenantKey],
      }),
    );
    await q.createTable(
      new Table({
        name: 'flexdplayer_lines',
        columns: [
          id(),
          ref('tenantId'),
          str('e164', 20),
          str('label', 100, true),
          ref('userId', true),
          time('createdAt'),
          time('updatedAt'),
        ],
        indices: [{ name: 'ux_fdp_lines_number', columnNames: ['tenantId', 'e164'], isUnique: true }],
        foreignKeys: [
          tenantKey,
          {
            columnNames: ['userId'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'SET NULL',
          },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'flexdplayer_files',
        columns: [
          id(),
          ref('tenantId'),
          ref('connectorId'),
          str('fileName', 255),
          str('storedName', 255),
          str('sidecarName', 255, true),
          str('status', 12),
          text('reason', true),
          str('sha256', 64, true),
          bigint('bytes'),
          str('ownNumber', 64, true),
          text('parsed', true),
          ref('callId', true),
          time('createdAt'),
          time('updatedAt'),
        ],
        indices: [
          { name: 'ix_fdp_files_status', columnNames: ['tenantId', 'status', 'createdAt'] },
          { name: 'ix_fdp_files_connector', columnNames: ['connectorId', 'status'] },
        ],
        foreignKeys: [
          tenantKey,
          {
            columnNames: ['connectorId'],
            referencedTableName: 'flexdplayer_connectors',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'opening_tests',
        columns: [
          { ...ref('tenantId'), isPrimary: true },
          { ...str('product', 16), isPrimary: true },
          time('candidateAt', true),
          str('candidateNote', 255, true),
          time('confirmedAt', true),
          ref('confirmedBy', true),
        ],
        foreignKeys: [tenantKey],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'opening_tests',
      'flexdplayer_files',
      'flexdplayer_lines',
      'flexdplayer_connectors',
      'flexdplayer_mapping_profiles',
    ])
      await q.dropTable(t);
  }
}
