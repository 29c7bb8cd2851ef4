import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * A tenant may keep wideband audio (HD voice, PBX exports, carrier files): telephone quality
 * (7 kbit/s Opus, narrowband) stays the default, wideband costs about twice the storage.
 */
export class RecordingAudioQuality1765520000000 implements MigrationInterface {
  name = 'RecordingAudioQuality1765520000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn(
      'recording_policies',
      new TableColumn({ name: 'audioQuality', type: 'varchar', length: '16', default: "'telephone'" }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('recording_policies', 'audioQuality');
  }
}
