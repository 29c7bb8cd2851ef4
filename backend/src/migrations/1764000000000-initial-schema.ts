import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { id, ref, str, time } from './column-shapes';

export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'tenants',
        columns: [
          id(),
          str('name', 200),
          { name: 'products', type: 'text' },
          { ...str('timeZone', 64), default: "'Asia/Tokyo'" },
          { ...str('defaultLocale', 8), default: "'ja'" },
          { name: 'isOperator', type: 'boolean', default: false },
          time('createdAt'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'users',
        columns: [
          id(),
          ref('tenantId'),
          str('email', 254),
          str('displayName', 100),
          str('passwordHash', 255),
          { name: 'roles', type: 'text' },
          { name: 'disabled', type: 'boolean', default: false },
          { ...str('locale', 8), default: "'ja'" },
          { name: 'failedLoginCount', type: 'int', default: 0 },
          time('lockedUntil', true),
          time('lastLoginAt', true),
          time('passwordChangedAt'),
          time('createdAt'),
        ],
        indices: [
          { name: 'ux_users_email', columnNames: ['email'], isUnique: true },
          { name: 'ix_users_tenant', columnNames: ['tenantId'] },
        ],
        foreignKeys: [{ columnNames: ['tenantId'], referencedTableName: 'tenants', referencedColumnNames: ['id'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'refresh_tokens',
        columns: [
          id(),
          ref('tenantId'),
          ref('userId'),
          str('tokenHash', 64),
          time('expiresAt'),
          time('revokedAt', true),
          time('createdAt'),
        ],
        indices: [
          { name: 'ux_refresh_tokens_hash', columnNames: ['tokenHash'], isUnique: true },
          { name: 'ix_refresh_tokens_user', columnNames: ['userId'] },
        ],
        foreignKeys: [
          { columnNames: ['userId'], referencedTableName: 'users', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'api_keys',
        columns: [
          id(),
          ref('tenantId'),
          str('name', 100),
          str('prefix', 16),
          str('keyHash', 64),
          ref('createdBy', true),
          time('createdAt'),
          time('lastUsedAt', true),
        ],
        indices: [
          { name: 'ux_api_keys_prefix', columnNames: ['prefix'], isUnique: true },
          { name: 'ix_api_keys_tenant', columnNames: ['tenantId'] },
        ],
        foreignKeys: [{ columnNames: ['tenantId'], referencedTableName: 'tenants', referencedColumnNames: ['id'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'audit_entries',
        columns: [
          id(),
          str('chain', 36),
          { name: 'seq', type: 'int' },
          ref('tenantId', true),
          time('time'),
          ref('actorId', true),
          str('actorEmail', 254, true),
          str('action', 64),
          str('target', 255, true),
          str('ip', 64, true),
          { name: 'details', type: 'text', isNullable: true },
          str('prevHash', 64),
          str('hash', 64),
        ],
        indices: [
          { name: 'ux_audit_chain_seq', columnNames: ['chain', 'seq'], isUnique: true },
          { name: 'ix_audit_tenant_time', columnNames: ['tenantId', 'time'] },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'system_settings',
        columns: [{ ...str('key', 64), isPrimary: true }, { name: 'value', type: 'text' }, time('updatedAt')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['system_settings', 'audit_entries', 'api_keys', 'refresh_tokens', 'users', 'tenants']) {
      await q.dropTable(t);
    }
  }
}
