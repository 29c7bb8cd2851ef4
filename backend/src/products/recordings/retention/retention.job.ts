import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobRun, JobsService } from '../../../core/jobs/jobs.service';
import { InjectTenantRepository, TenantRepository } from '../../../core/tenancy/tenant-repository';
import { CALL_SOURCES, Call, CallSource } from '../call.entity';
import { RecordingPolicyService } from '../policy/recording-policy.service';
import { CallDeleter } from '../deletion/call-deleter';
import { CapacityService, Enforcement } from './capacity.service';

export const RETENTION_JOB = 'retention';
const DAY_MS = 24 * 3600 * 1000;

export interface RetentionParams {
  trigger: 'schedule' | 'manual';
}

export interface SourceRetention {
  source: CallSource;
  retentionDays: number;
  /** Calls that started before this instant were due. */
  cutoff: string;
  deleted: { count: number; bytes: number };
  /** Due calls kept because they are on legal hold. */
  heldKept: number;
}

export interface RetentionResult {
  retention: SourceRetention[];
  capacity: Enforcement;
}

/**
 * One tenant's sweep, run as a job (kind `retention`) so its outcome is on record: calls older than
 * the retention of their source (the per-source override wins over the tenant's days) are deleted,
 * never those on legal hold; then the capacity is enforced (a shrunk plan rotates or alerts).
 */
@Injectable()
export class RetentionJob implements OnModuleInit {
  constructor(
    private readonly jobs: JobsService,
    private readonly policies: RecordingPolicyService,
    private readonly deleter: CallDeleter,
    private readonly capacity: CapacityService,
    @InjectTenantRepository(Call) private readonly calls: TenantRepository<Call>,
  ) {}

  onModuleInit(): void {
    this.jobs.register<RetentionParams, RetentionResult>(RETENTION_JOB, (run) => this.sweep(run));
  }

  private async sweep(run: JobRun<RetentionParams>): Promise<RetentionResult> {
    const policy = await this.policies.get(run.tenantId);
    const now = Date.now();
    const retention: SourceRetention[] = [];
    for (const [i, source] of CALL_SOURCES.entries()) {
      const days = policy.retentionBySource[source] ?? policy.retentionDays;
      if (!days) continue;
      const cutoff = new Date(now - days * DAY_MS);
      const due = () =>
        this.calls.query('c').andWhere('c.source = :source', { source }).andWhere('c.startedAt < :cutoff', { cutoff });
      await run.progress((i / (CALL_SOURCES.length + 1)) * 100, `retention: ${source}, older than ${days} days`);
      const deleted = await this.deleter.deleteMatching(run.tenantId, due, 'retention', {
        source,
        retentionDays: days,
        cutoff: cutoff.toISOString(),
        jobId: run.id,
      });
      const heldKept = await due().andWhere('c.legalHold = :held', { held: true }).getCount();
      retention.push({
        source,
        retentionDays: days,
        cutoff: cutoff.toISOString(),
        deleted: { count: deleted.count, bytes: deleted.bytes },
        heldKept,
      });
    }
    await run.progress((CALL_SOURCES.length / (CALL_SOURCES.length + 1)) * 100, 'capacity');
    return { retention, capacity: await this.capacity.enforce(run.tenantId) };
  }
}
