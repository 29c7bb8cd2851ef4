import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { flag, id, integer, ref, str, text, time } from './column-shapes';

/**
 * FlexVNote search: the searchable texts (segments and call notes, normalised, with their n-gram tokens),
 * full-text indexed the database's own way (InnoDB FULLTEXT, SQLite FTS5 kept in step by triggers), the
 * keyword dictionaries, each call's keyword hits and its flags and conversation metrics.
 */
export class VnoteSearch1765510000000 implements MigrationInterface {
  name = 'VnoteSearch1765510000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'vnote_search_docs',
        columns: [
          // An integer key: FTS5 addresses rows by integer rowid.
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          ref('tenantId'),
          ref('callId'),
          str('kind', 8),
          ref('segmentId', true),
          { ...integer('startMs'), isNullable: true },
          { ...integer('endMs'), isNullable: true },
          { ...integer('channel'), isNullable: true },
          str('speaker', 12, true),
          text('text'),
          text('norm'),
          text('grams'),
        ],
        indices: [
          { name: 'ix_vnote_search_docs_call', columnNames: ['tenantId', 'callId'] },
          // Finds a tenant's note texts without reading its segments (NoteSync).
          { name: 'ix_vnote_search_docs_kind', columnNames: ['tenantId', 'kind', 'callId'] },
        ],
      }),
    );
    if (q.connection.options.type === 'mysql') {
      await q.query('ALTER TABLE `vnote_search_docs` ADD FULLTEXT INDEX `ft_vnote_search_docs_grams` (`grams`)');
    } else {
      await q.query(
        "CREATE VIRTUAL TABLE vnote_search_fts USING fts5(grams, content='vnote_search_docs', content_rowid='id')",
      );
      await q.query(
        'CREATE TRIGGER vnote_search_docs_ai AFTER INSERT ON vnote_search_docs BEGIN ' +
          'INSERT INTO vnote_search_fts(rowid, grams) VALUES (new.id, new.grams); END',
      );
      await q.query(
        'CREATE TRIGGER vnote_search_docs_ad AFTER DELETE ON vnote_search_docs BEGIN ' +
          "INSERT INTO vnote_search_fts(vnote_search_fts, rowid, grams) VALUES ('delete', old.id, old.grams); END",
      );
    }
    // How many texts of the tenant hold each token: lets a search pick its plan (full-text candidates for
    // rare terms, a newest-first walk for terms in most calls) and ask the index for the rarest tokens only.
    await q.createTable(
      new Table({
        name: 'vnote_search_grams',
        columns: [
          { ...ref('tenantId'), isPrimary: true },
          { ...str('token', 16), isPrimary: true },
          integer('docs', 0),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'vnote_dictionaries',
        columns: [
          id(),
          ref('tenantId'),
          str('kind', 12),
          str('name', 100),
          text('entries'),
          flag('enabled'),
          time('createdAt'),
          time('updatedAt'),
        ],
        indices: [{ name: 'ix_vnote_dictionaries_tenant', columnNames: ['tenantId', 'kind'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'vnote_call_analyses',
        columns: [
          id(),
          ref('tenantId'),
          ref('callId'),
          ref('transcriptId'),
          integer('ngCount', 0),
          integer('competitorCount', 0),
          integer('missingRequiredCount', 0),
          text('missingRequired'),
          integer('silenceCount', 0),
          integer('overlapCount', 0),
          integer('operatorTalkPercent', 0),
          integer('speechRate', 0),
          integer('longestMonologueMs', 0),
          text('metrics'),
          time('computedAt'),
        ],
        uniques: [{ name: 'uq_vnote_call_analyses_call', columnNames: ['tenantId', 'callId'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'vnote_keyword_hits',
        columns: [
          id(),
          ref('tenantId'),
          ref('callId'),
          ref('dictionaryId'),
          str('kind', 12),
          str('entry', 100),
          ref('segmentId'),
          integer('startMs'),
          integer('channel'),
          str('speaker', 12),
          text('text'),
          text('highlights'),
        ],
        indices: [{ name: 'ix_vnote_keyword_hits_call', columnNames: ['tenantId', 'callId', 'startMs'] }],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('vnote_keyword_hits');
    await q.dropTable('vnote_call_analyses');
    await q.dropTable('vnote_dictionaries');
    await q.dropTable('vnote_search_grams');
    if (q.connection.options.type !== 'mysql') {
      await q.query('DROP TRIGGER IF EXISTS vnote_search_docs_ad');
      await q.query('DROP TRIGGER IF EXISTS vnote_search_docs_ai');
      await q.query('DROP TABLE IF EXISTS vnote_search_fts');
    }
    await q.dropTable('vnote_search_docs');
  }
}
