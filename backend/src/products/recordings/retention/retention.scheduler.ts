import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource } from 'typeorm';
import { Job } from '../../../core/jobs/job.entity';
import { JobsService } from '../../../core/jobs/jobs.service';
import { RecordingPolicy } from '../policy/recording-policy.entity';
import { CallDeleter } from '../deletion/call-deleter';
import { RETENTION_JOB, RetentionParams } from './retention.job';

export const SWEEP_EVERY_MS = 3600 * 1000;
/** A tenant swept this recently (by any process) is not swept again on this tick. */
const SWEPT_WITHIN_MS = SWEEP_EVERY_MS - 10 * 60 * 1000;
/** A sweep queued or running longer than this is taken for lost (its process died), not waited for. */
const STUCK_AFTER_MS = 6 * SWEEP_EVERY_MS;

/**
 * Starts the retention sweep of every tenant that has a retention or a capacity, at start-up and
 * every hour after. Each process (API, worker) runs this timer; the jobs table is the shared memory
 * that keeps them from sweeping a tenant twice in an hour, and the queue (bull or in-process) runs
 * the sweeps. Objects whose removal failed earlier are retried on each tick.
 */
@Injectable()
export class RetentionScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RetentionScheduler.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: JobsService,
    private readonly deleter: CallDeleter,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.timer = setInterval(() => void this.tick(), SWEEP_EVERY_MS);
    this.timer.unref();
    await this.tick();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One round: pending object removals, then a sweep job for each tenant due. Never throws. */
  tick(now = new Date()): Promise<void> {
    this.running ??= this.round(now)
      .catch((error: Error) => this.logger.warn(`retention sweep not started: ${error.message}`))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async round(now: Date): Promise<void> {
    await this.deleter.retryPendingObjects();
    const tenants = await this.dataSource
      .getRepository(RecordingPolicy)
      .createQueryBuilder('p')
      .select('p.tenantId', 'tenantId')
      .where('p.retentionDays IS NOT NULL')
      .orWhere('p.retentionBySource IS NOT NULL')
      .orWhere('p.capacityBytes IS NOT NULL')
      .getRawMany<{ tenantId: string }>();
    for (const { tenantId } of tenants) {
      if (await this.sweptRecently(tenantId, now)) continue;
      await this.jobs.start<RetentionParams>(RETENTION_JOB, { trigger: 'schedule' }, tenantId);
    }
  }

  private async sweptRecently(tenantId: string, now: Date): Promise<boolean> {
    const recent = await this.dataSource
      .getRepository(Job)
      .createQueryBuilder('j')
      .where('j.tenantId = :tenantId', { tenantId })
      .andWhere('j.kind = :kind', { kind: RETENTION_JOB })
      .andWhere(
        new Brackets((w) =>
          w
            .where('j.createdAt > :since', { since: new Date(now.getTime() - SWEPT_WITHIN_MS) })
            .orWhere('(j.status IN (:...active) AND j.createdAt > :stuck)', {
              active: ['queued', 'running'],
              stuck: new Date(now.getTime() - STUCK_AFTER_MS),
            }),
        ),
      )
      .getCount();
    return recent > 0;
  }
}
