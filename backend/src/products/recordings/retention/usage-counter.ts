import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Recording } from '../recording.entity';
import { RecordingUsage } from './recording-usage.entity';

/**
 * The running total of each tenant's stored bytes (see RecordingUsage). A tenant gets its row the
 * first time its capacity is checked; from then on every ingest and deletion moves it in the same
 * transaction as the rows, and `recount` sets it from the recordings themselves.
 */
@Injectable()
export class UsageCounter {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async used(tenantId: string): Promise<number> {
    const row = await this.dataSource.getRepository(RecordingUsage).findOne({ where: { tenantId } });
    return row ? row.usedBytes : this.recount(tenantId);
  }

  /** Sets the total from the recordings. An ingest committing during the count is caught by the next one. */
  async recount(tenantId: string): Promise<number> {
    const row = await this.dataSource
      .getRepository(Recording)
      .createQueryBuilder('r')
      .select('COALESCE(SUM(r.bytes), 0)', 'bytes')
      .where('r.tenantId = :tenantId', { tenantId })
      .getRawOne<{ bytes: string | number }>();
    const usedBytes = Number(row?.bytes ?? 0);
    await this.dataSource
      .getRepository(RecordingUsage)
      .upsert({ tenantId, usedBytes, countedAt: new Date() }, ['tenantId']);
    return usedBytes;
  }

  /** Moves the total by `delta` bytes inside the caller's transaction (no row yet: nothing to move). */
  async add(m: EntityManager, tenantId: string, delta: number): Promise<void> {
    if (delta === 0) return;
    await m
      .createQueryBuilder()
      .update(RecordingUsage)
      .set({ usedBytes: () => 'usedBytes + :delta' })
      .where('tenantId = :tenantId', { tenantId })
      .setParameters({ delta })
      .execute();
  }
}
