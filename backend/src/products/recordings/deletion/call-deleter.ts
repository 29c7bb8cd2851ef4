import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Brackets, DataSource, EntityManager, In, LessThan, SelectQueryBuilder } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../../config/app-config';
import { AuditService } from '../../../core/audit/audit.service';
import { CallTag } from '../call-tag.entity';
import { Call } from '../call.entity';
import { Recording } from '../recording.entity';
import { RecordingVault } from '../vault/recording-vault';
import { PendingObjectDeletion } from './pending-object-deletion.entity';
import { UsageCounter } from '../retention/usage-counter';

/** Why calls are deleted: named in the audit entry of every batch. */
export type DeletionReason = 'capacity.rotate' | 'retention' | 'deletion-tool';

export interface DeletedBatch {
  /** Calls deleted and the plaintext bytes of their recordings (what capacity counts). */
  count: number;
  bytes: number;
  /** Calls asked for that were on legal hold (or became so while we worked) and were kept. */
  heldKept: number;
}

const ATTEMPTS = 3;
/** Calls per transaction: small enough to keep locks short, large enough to move millions in minutes. */
export const DELETE_BATCH = 200;
/** Objects whose removal keeps failing are retried this many times by the sweep, then left for an operator. */
const MAX_OBJECT_ATTEMPTS = 50;

/**
 * The one place that deletes calls, used by capacity rotation, retention and the deletion tool.
 * A call on legal hold is never deleted: the hold is part of the select and of the delete itself, and
 * on MySQL the selected rows are locked, so a hold set while we work either waits for us or wins.
 * Rows go first, in one transaction that also records each object in the pending-deletion table;
 * objects are removed after the commit and their pending rows cleared: users never see a call whose
 * audio is missing, and a storage failure leaves a pending row (retried hourly), not an orphan object.
 */
@Injectable()
export class CallDeleter {
  private readonly logger = new Logger(CallDeleter.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly vault: RecordingVault,
    private readonly audit: AuditService,
    private readonly usage: UsageCounter,
  ) {}

  /** Deletes these calls of the tenant, except the held ones; audits the batch. */
  async deleteCalls(
    tenantId: string,
    callIds: string[],
    reason: DeletionReason,
    details: Record<string, unknown> = {},
  ): Promise<DeletedBatch> {
    if (callIds.length === 0) return { count: 0, bytes: 0, heldKept: 0 };
    let removed: { callIds: string[]; bytes: number; pending: PendingObjectDeletion[] } | undefined;
    for (let attempt = 1; !removed; attempt++) {
      try {
        removed = await this.dataSource.transaction((m) => this.deleteRows(m, tenantId, callIds));
      } catch (error) {
        const retry = /deadlock|lock wait timeout|SQLITE_BUSY/i.test(String(error));
        if (!retry || attempt >= ATTEMPTS) throw error;
      }
    }
    await this.removeObjects(removed.pending);
    const batch = {
      count: removed.callIds.length,
      bytes: removed.bytes,
      heldKept: callIds.length - removed.callIds.length,
    };
    if (batch.count > 0 || batch.heldKept > 0) {
      await this.audit.record({
        action: 'recordings.deleted',
        tenantId,
        details: { reason, ...details, ...batch, callIds: removed.callIds },
      });
    }
    return batch;
  }

  /**
   * Deletes every call a query finds, oldest first, batch by batch (`matching` must answer a fresh
   * query on alias `c`, already scoped to the tenant). Held calls are excluded here and kept by
   * deleteCalls if a hold lands meanwhile. Pages by (startedAt, id), so it ends even if a call resists.
   */
  async deleteMatching(
    tenantId: string,
    matching: () => Promise<SelectQueryBuilder<Call>> | SelectQueryBuilder<Call>,
    reason: DeletionReason,
    details: Record<string, unknown>,
    onBatch: (sofar: DeletedBatch) => Promise<void> = async () => undefined,
  ): Promise<DeletedBatch> {
    const total: DeletedBatch = { count: 0, bytes: 0, heldKept: 0 };
    let after: { startedAt: Date; id: string } | undefined;
    for (;;) {
      const qb = (await matching()).andWhere('c.legalHold = :notHeld', { notHeld: false });
      if (after) {
        const { startedAt, id } = after;
        qb.andWhere(
          new Brackets((w) =>
            w
              .where('c.startedAt > :afterT', { afterT: startedAt })
              .orWhere('(c.startedAt = :afterT AND c.id > :afterId)', {
                afterId: id,
              }),
          ),
        );
      }
      const page = await qb
        .select(['c.id', 'c.startedAt'])
        .orderBy('c.startedAt', 'ASC')
        .addOrderBy('c.id', 'ASC')
        .take(DELETE_BATCH)
        .getMany();
      if (page.length === 0) return total;
      const batch = await this.deleteCalls(
        tenantId,
        page.map((c) => c.id),
        reason,
        details,
      );
      total.count += batch.count;
      total.bytes += batch.bytes;
      total.heldKept += batch.heldKept;
      after = page[page.length - 1];
      await onBatch(total);
    }
  }

  /** Removes objects left behind by an earlier failure (every tenant; the hourly sweep calls this). */
  async retryPendingObjects(olderThanMs = 60_000, limit = 500): Promise<number> {
    const pending = await this.dataSource.getRepository(PendingObjectDeletion).find({
      where: { createdAt: LessThan(new Date(Date.now() - olderThanMs)), attempts: LessThan(MAX_OBJECT_ATTEMPTS) },
      order: { createdAt: 'ASC' },
      take: limit,
    });
    return this.removeObjects(pending);
  }

  private async deleteRows(m: EntityManager, tenantId: string, callIds: string[]) {
    const select = m
      .createQueryBuilder(Call, 'c')
      .leftJoin(Recording, 'r', 'r.callId = c.id AND r.tenantId = c.tenantId')
      .select('c.id', 'callId')
      .addSelect('r.storageKey', 'storageKey')
      .addSelect('r.bytes', 'bytes')
      .where('c.tenantId = :tenantId', { tenantId })
      .andWhere('c.id IN (:...callIds)', { callIds })
      .andWhere('c.legalHold = :held', { held: false });
    // MySQL locks the selected rows, so a hold being set waits for this transaction to end.
    if (this.config.database.type === 'mysql') select.setLock('pessimistic_write');
    const rows: Array<{ callId: string; storageKey: string | null; bytes: string | number | null }> =
      await select.getRawMany();
    const candidates = [...new Set(rows.map((r) => r.callId))];
    if (candidates.length === 0) return { callIds: [], bytes: 0, pending: [] };
    // The hold is checked again by the DELETE itself, and nothing is rolled back afterwards: on SQLite
    // every statement shares one connection, so a rollback could undo someone else's hold.
    await m.getRepository(Call).delete({ tenantId, id: In(candidates), legalHold: false });
    const kept = new Set(
      (await m.getRepository(Call).find({ select: { id: true }, where: { tenantId, id: In(candidates) } })).map(
        (c) => c.id,
      ),
    );
    const ids = candidates.filter((id) => !kept.has(id));
    const gone = rows.filter((r) => !kept.has(r.callId));
    if (ids.length === 0) return { callIds: [], bytes: 0, pending: [] };
    // The foreign keys cascade; these make the intent explicit and cost nothing when they did.
    await m.getRepository(Recording).delete({ tenantId, callId: In(ids) });
    await m.getRepository(CallTag).delete({ tenantId, callId: In(ids) });
    const pending = gone
      .filter((r) => r.storageKey)
      .map((r) =>
        m.getRepository(PendingObjectDeletion).create({
          id: randomUUID(),
          tenantId,
          storageKey: r.storageKey as string,
          attempts: 0,
          lastError: null,
          createdAt: new Date(),
        }),
      );
    if (pending.length) await m.getRepository(PendingObjectDeletion).insert([...pending]);
    const bytes = gone.reduce((sum, r) => sum + Number(r.bytes ?? 0), 0);
    await this.usage.add(m, tenantId, -bytes);
    return { callIds: ids, bytes, pending };
  }

  /** Deletes objects from storage and their pending rows; failures stay pending with the reason. */
  private async removeObjects(pending: PendingObjectDeletion[]): Promise<number> {
    const repo = this.dataSource.getRepository(PendingObjectDeletion);
    let removed = 0;
    for (const p of pending) {
      try {
        await this.vault.remove(p.storageKey);
        await repo.delete({ id: p.id });
        removed++;
      } catch (error) {
        const message = (error as Error).message.slice(0, 500);
        this.logger.warn(`object ${p.storageKey} not removed yet (retried hourly): ${message}`);
        await repo.update({ id: p.id }, { attempts: p.attempts + 1, lastError: message }).catch(() => undefined);
      }
    }
    return removed;
  }
}
