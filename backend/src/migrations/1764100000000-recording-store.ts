import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { flag, id, integer, ref, str, text, time } from './column-shapes';

/** The recording store: calls, their encrypted recordings, tags, and per-tenant wrapped data keys. */
export class RecordingStore1764100000000 implements MigrationInterface {
  name = 'RecordingStore1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'tenant_keys',
        columns: [
          id(),
          ref('tenantId'),
          str('keyRef', 2048),
          text('wrapped'),
          time('createdAt'),
          time('rewrappedAt', true),
          time('destroyedAt', true),
        ],
        indices: [{ name: 'ix_tenant_keys_tenant', columnNames: ['tenantId', 'createdAt'] }],
        foreignKeys: [{ columnNames: ['tenantId'], referencedTableName: 'tenants', referencedColumnNames: ['id'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'calls',
        columns: [
          id(),
          ref('tenantId'),
          str('clientRecordingId', 128),
          str('source', 16),
          str('siteId', 64, true),
          str('lineId', 64, true),
          str('direction', 8),
          str('callerDialled', 64),
          str('callerE164', 20, true),
          str('callerDigits', 32),
          str('callerDigitsReversed', 32),
          str('callerName', 100, true),
          str('calleeDialled', 64),
          str('calleeE164', 20, true),
          str('calleeDigits', 32),
          str('calleeDigitsReversed', 32),
          str('calleeName', 100, true),
          str('extension', 32, true),
          ref('userId', true),
          time('startedAt'),
          time('answeredAt', true),
          time('endedAt', true),
          integer('ringSeconds', 0),
          integer('talkSeconds', 0),
          str('disposition', 12),
          str('codec', 32, true),
          str('channelLayout', 8),
          text('quality', true),
          text('dtmf', true),
          text('notes', true),
          flag('legalHold'),
          time('createdAt'),
        ],
        indices: [
          { name: 'ux_calls_client_id', columnNames: ['tenantId', 'clientRecordingId'], isUnique: true },
          { name: 'ix_calls_started', columnNames: ['tenantId', 'startedAt'] },
          { name: 'ix_calls_caller', columnNames: ['tenantId', 'callerDigits', 'startedAt'] },
          { name: 'ix_calls_callee', columnNames: ['tenantId', 'calleeDigits', 'startedAt'] },
          { name: 'ix_calls_caller_rev', columnNames: ['tenantId', 'callerDigitsReversed', 'startedAt'] },
          { name: 'ix_calls_callee_rev', columnNames: ['tenantId', 'calleeDigitsReversed', 'startedAt'] },
          { name: 'ix_calls_extension', columnNames: ['tenantId', 'extension', 'startedAt'] },
        ],
        foreignKeys: [{ columnNames: ['tenantId'], referencedTableName: 'tenants', referencedColumnNames: ['id'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'recordings',
        columns: [
          id(),
          ref('tenantId'),
          ref('callId'),
          str('storageKey', 255),
          str('format', 16),
          { name: 'bytes', type: 'bigint' },
          { name: 'storedBytes', type: 'bigint' },
          str('sha256', 64),
          { name: 'durationMs', type: 'int' },
          ref('keyId'),
          str('cipherHeader', 64),
          text('peaks', true),
          time('createdAt'),
        ],
        indices: [
          { name: 'ix_recordings_call', columnNames: ['tenantId', 'callId'] },
          { name: 'ix_recordings_tenant_created', columnNames: ['tenantId', 'createdAt'] },
        ],
        foreignKeys: [
          { columnNames: ['callId'], referencedTableName: 'calls', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
          { columnNames: ['keyId'], referencedTableName: 'tenant_keys', referencedColumnNames: ['id'] },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'call_tags',
        columns: [{ ...ref('callId'), isPrimary: true }, { ...str('tag', 50), isPrimary: true }, ref('tenantId')],
        indices: [{ name: 'ix_call_tags_tag', columnNames: ['tenantId', 'tag'] }],
        foreignKeys: [
          { columnNames: ['callId'], referencedTableName: 'calls', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['call_tags', 'recordings', 'calls', 'tenant_keys']) await q.dropTable(t);
  }
}
