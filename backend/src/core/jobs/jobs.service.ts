import { Inject, Injectable, Logger, NotFoundException, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { JOB_QUEUE, JobQueue } from '../../platform/queue/job-queue';
import { Principal, RequestContext } from '../tenancy/request-context';
import { InjectTenantRepository, TenantRepository } from '../tenancy/tenant-repository';
import { Job } from './job.entity';

const QUEUE = 'tenant-jobs';
/** Progress is written at most this often: a million-row deletion must not write a million updates. */
const PROGRESS_EVERY_MS = 500;

export interface JobRun<P> {
  id: string;
  tenantId: string;
  params: P;
  /** Reports how far the job is (0-100) and what it does now; throttled. */
  progress(percent: number, stage?: string): Promise<void>;
}

/** Does the work of one kind of job and returns what the job row keeps as its result. */
export type JobWork<P = unknown, R = unknown> = (run: JobRun<P>) => Promise<R>;

export interface JobView {
  id: string;
  kind: string;
  status: Job['status'];
  progress: number;
  stage: string | null;
  params: unknown;
  result: unknown;
  error: string | null;
  createdBy: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/**
 * Jobs people start and watch: a row per job (status, percent, result) and the queue (bull on
 * Redis, in-process in the embedded default) that runs it in the tenant's context, as the user who
 * started it, so everything the job audits names that user.
 */
@Injectable()
export class JobsService implements OnModuleInit {
  private readonly logger = new Logger(JobsService.name);
  private readonly kinds = new Map<string, JobWork>();

  constructor(
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    @InjectRepository(Job) private readonly rows: Repository<Job>,
    @InjectTenantRepository(Job) private readonly jobs: TenantRepository<Job>,
    private readonly context: RequestContext,
  ) {}

  onModuleInit(): void {
    this.queue.process<{ jobId: string; principal?: Principal }>(QUEUE, 2, (data) =>
      this.run(data.jobId, data.principal),
    );
  }

  /** Products register their kinds at start-up (every process, so any worker can run any job). */
  register<P, R>(kind: string, work: JobWork<P, R>): void {
    this.kinds.set(kind, work as JobWork);
  }

  /** Records a job for the current tenant and queues it; answers at once with the queued row. */
  async start<P>(kind: string, params: P, tenantId = this.context.tenantId()): Promise<JobView> {
    if (!this.kinds.has(kind)) throw new Error(`no job kind "${kind}" is registered`);
    const principal = this.context.principal();
    const row = this.rows.create({
      id: randomUUID(),
      tenantId,
      kind,
      status: 'queued',
      progress: 0,
      stage: null,
      params: JSON.stringify(params),
      result: null,
      error: null,
      createdBy: principal?.kind === 'user' ? principal.id : null,
      createdAt: new Date(),
      startedAt: null,
      finishedAt: null,
    });
    await this.rows.insert(row);
    // Jobs are not retried by the queue: a half-done deletion or export is reported, not repeated blindly.
    await this.queue.add(QUEUE, { jobId: row.id, principal }, { attempts: 1 });
    return view(row);
  }

  /** One job of the current tenant (404 for another tenant's). */
  async get(id: string): Promise<JobView> {
    return view(await this.jobs.get({ id }));
  }

  async list(filter: { kind?: string; createdBy?: string } = {}, limit = 50): Promise<JobView[]> {
    const qb = this.jobs.query('j').orderBy('j.createdAt', 'DESC').take(limit);
    if (filter.kind) qb.andWhere('j.kind = :kind', { kind: filter.kind });
    if (filter.createdBy) qb.andWhere('j.createdBy = :by', { by: filter.createdBy });
    return (await qb.getMany()).map(view);
  }

  /** Waits for a job to finish (tests, CLI); polls the row so it works across processes. */
  async settled(id: string, timeoutMs = 60_000): Promise<JobView> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const row = await this.rows.findOne({ where: { id } });
      if (!row) throw new NotFoundException('job not found');
      if (row.status === 'succeeded' || row.status === 'failed') return view(row);
      if (Date.now() > deadline) throw new Error(`job ${id} still ${row.status} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private async run(jobId: string, principal?: Principal): Promise<void> {
    const row = await this.rows.findOne({ where: { id: jobId } });
    if (!row || row.status !== 'queued') return;
    const work = this.kinds.get(row.kind);
    if (!work) throw new Error(`no job kind "${row.kind}" is registered in this process`);
    await this.rows.update(row.id, { status: 'running', startedAt: new Date() });
    let lastWrite = 0;
    const progress = async (percent: number, stage?: string) => {
      const now = Date.now();
      if (now - lastWrite < PROGRESS_EVERY_MS && percent < 100) return;
      lastWrite = now;
      const clamped = Math.max(0, Math.min(99, Math.floor(percent)));
      await this.rows.update(row.id, {
        progress: clamped,
        ...(stage === undefined ? {} : { stage: stage.slice(0, 200) }),
      });
    };
    try {
      const result = await this.context.runAsTenant(
        row.tenantId,
        () => work({ id: row.id, tenantId: row.tenantId, params: JSON.parse(row.params), progress }),
        principal,
      );
      await this.rows.update(row.id, {
        status: 'succeeded',
        progress: 100,
        result: JSON.stringify(result ?? null),
        finishedAt: new Date(),
      });
    } catch (error) {
      this.logger.warn(`job ${row.kind}/${row.id} failed: ${(error as Error).message}`);
      await this.rows.update(row.id, { status: 'failed', error: (error as Error).message, finishedAt: new Date() });
    }
  }
}

function view(row: Job): JobView {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    progress: row.progress,
    stage: row.stage,
    params: JSON.parse(row.params),
    result: row.result === null ? null : JSON.parse(row.result),
    error: row.error,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  };
}
