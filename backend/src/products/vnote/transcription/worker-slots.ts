import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../../config/app-config';
import { VnoteWorkerSlot } from './transcription.entities';

/**
 * The default lease (VNOTE_JOB_LEASE_SECONDS): a slot is held this long without renewal; a worker
 * that died frees it when the lease runs out.
 */
export const SLOT_LEASE_MS = 120_000;

/**
 * Per-tenant concurrency across every worker process: a job runs only while it holds one of its
 * tenant's slot rows 0..concurrency-1. Taking a slot is one INSERT (free) or one conditional UPDATE
 * (lease expired), so two workers never hold the same slot; the database decides, not a process.
 */
@Injectable()
export class WorkerSlots {
  constructor(
    @InjectRepository(VnoteWorkerSlot) private readonly slots: Repository<VnoteWorkerSlot>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private get leaseMs(): number {
    return this.config.vnote.jobLeaseMs;
  }

  async acquire(tenantId: string, concurrency: number, transcriptId: string): Promise<number | null> {
    const leaseUntil = new Date(Date.now() + this.leaseMs);
    for (let slot = 0; slot < concurrency; slot++) {
      try {
        await this.slots.insert({ tenantId, slot, transcriptId, leaseUntil });
        return slot;
      } catch {
        // The row exists: take it only if it is free or its holder's lease ran out. Not when the same
        // transcript holds it live: that is a duplicate queue entry (bull re-delivering a dead worker's
        // job) racing the attempt that runs, and its "not claimed" release would free the live slot.
      }
      const free = await this.slots
        .createQueryBuilder()
        .update()
        .set({ transcriptId, leaseUntil })
        .where('tenantId = :tenantId AND slot = :slot', { tenantId, slot })
        .andWhere('(transcriptId IS NULL OR leaseUntil < :now)', { now: new Date() })
        .execute();
      if (free.affected) return slot;
    }
    return null;
  }

  async renew(tenantId: string, slot: number, transcriptId: string): Promise<void> {
    await this.slots.update({ tenantId, slot, transcriptId }, { leaseUntil: new Date(Date.now() + this.leaseMs) });
  }

  async release(tenantId: string, slot: number, transcriptId: string): Promise<void> {
    await this.slots.update({ tenantId, slot, transcriptId }, { transcriptId: null, leaseUntil: null });
  }

  /** Slots whose holders died (tests and the recovery sweep). */
  expired(): Promise<VnoteWorkerSlot[]> {
    return this.slots.find({ where: { leaseUntil: LessThan(new Date()) } });
  }
}
