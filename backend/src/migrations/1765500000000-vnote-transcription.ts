import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { integer, ref, str, text, time } from './column-shapes';

/**
 * FlexVNote transcription: one transcript per call with its per-channel segments (read by the
 * search side), each tenant's engine settings, the dead-letter list and the per-tenant worker
 * slots that keep one tenant from taking every worker.
 */
export class VnoteTranscription1765500000000 implements MigrationInterface {
  name = 'VnoteTranscription1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'vnote_transcripts',
        columns: [
          { ...ref('id'), isPrimary: true },
          ref('tenantId'),
          ref('callId'),
          ref('recordingId'),
          str('status', 12),
          str('engine', 32),
          str('language', 16),
          integer('durationMs', 0),
          integer('progress', 0),
          integer('attempts', 0),
          integer('priority', 0),
          text('error', true),
          time('startedAt', true),
          time('finishedAt', true),
          time('createdAt'),
          time('updatedAt'),
        ],
        uniques: [{ name: 'uq_vnote_transcripts_call', columnNames: ['tenantId', 'callId'] }],
        indices: [{ name: 'ix_vnote_transcripts_status', columnNames: ['tenantId', 'status', 'updatedAt'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'vnote_segments',
        columns: [
          { ...ref('id'), isPrimary: true },
          ref('tenantId'),
          ref('callId'),
          ref('transcriptId'),
          integer('seq'),
          integer('channel'),
          str('speaker', 12),
          integer('startMs'),
          integer('endMs'),
          text('text'),
          integer('confidence'),
          time('createdAt'),
        ],
        indices: [
          { name: 'ix_vnote_segments_call', columnNames: ['tenantId', 'callId', 'seq'] },
          { name: 'ix_vnote_segments_transcript', columnNames: ['transcriptId'] },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'vnote_settings',
        columns: [
          { ...ref('tenantId'), isPrimary: true },
          str('engine', 32),
          str('language', 16),
          text('engineOptions'),
          str('customerLabel', 50),
          str('operatorLabel', 50),
          integer('concurrency', 1),
          integer('priority', 0),
          time('updatedAt'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'vnote_dead_letters',
        columns: [
          { ...ref('id'), isPrimary: true },
          ref('tenantId'),
          ref('callId'),
          ref('transcriptId'),
          str('engine', 32),
          text('reason'),
          integer('attempts', 0),
          time('createdAt'),
          time('retriedAt', true),
        ],
        indices: [{ name: 'ix_vnote_dead_letters_tenant', columnNames: ['tenantId', 'createdAt'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'vnote_worker_slots',
        columns: [
          { ...ref('tenantId'), isPrimary: true },
          { ...integer('slot'), isPrimary: true },
          ref('transcriptId', true),
          time('leaseUntil', true),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('vnote_worker_slots');
    await q.dropTable('vnote_dead_letters');
    await q.dropTable('vnote_settings');
    await q.dropTable('vnote_segments');
    await q.dropTable('vnote_transcripts');
  }
}
