import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { ref, str, text, time } from './column-shapes';

/** 応対力's popup routing (line subscriptions, presence) and the memos waiting for their call. */
export class PopupRealtime1765400000000 implements MigrationInterface {
  name = 'PopupRealtime1765400000000';

  async up(q: QueryRunner): Promise<void> {
    const userFk = {
      columnNames: ['userId'],
      referencedTableName: 'users',
      referencedColumnNames: ['id'],
      onDelete: 'CASCADE',
    };
    await q.createTable(
      new Table({
        name: 'popup_line_subscriptions',
        columns: [
          { ...ref('tenantId'), isPrimary: true },
          { ...ref('userId'), isPrimary: true },
          { ...str('siteId', 64), isPrimary: true },
          { ...str('lineName', 50), isPrimary: true },
        ],
        indices: [{ name: 'ix_popup_line_subscriptions_line', columnNames: ['tenantId', 'siteId', 'lineName'] }],
        foreignKeys: [userFk],
      }),
    );
    await q.createTable(
      new Table({
        name: 'popup_presence',
        columns: [
          { ...ref('tenantId'), isPrimary: true },
          { ...ref('userId'), isPrimary: true },
          str('presence', 12),
          time('updatedAt'),
        ],
        foreignKeys: [userFk],
      }),
    );
    await q.createTable(
      new Table({
        name: 'popup_call_memos',
        columns: [
          { ...ref('id'), isPrimary: true },
          ref('tenantId'),
          ref('userId'),
          str('siteId', 64),
          str('sipCallId', 256),
          str('caller', 64),
          str('callee', 64),
          time('ringingAt'),
          text('text'),
          ref('callId', true),
          time('attachedAt', true),
          time('claimedUntil', true),
          time('createdAt'),
        ],
        indices: [
          { name: 'ix_popup_call_memos_pending', columnNames: ['attachedAt', 'createdAt'] },
          { name: 'ix_popup_call_memos_call', columnNames: ['tenantId', 'siteId', 'sipCallId'] },
        ],
        foreignKeys: [userFk],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('popup_call_memos');
    await q.dropTable('popup_presence');
    await q.dropTable('popup_line_subscriptions');
  }
}
