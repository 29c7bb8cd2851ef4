import {
  BadRequestException,
  ConflictException,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, MoreThan } from 'typeorm';
import { Job } from '../../core/jobs/job.entity';
import { JobsService, JobView } from '../../core/jobs/jobs.service';
import { TenantsService } from '../../core/tenancy/tenants.service';
import type { CivilDate } from '../billing/civil-date';
import { ENDED_CONTRACTS_SOURCE, EndedContract, EndedContractsSource } from './ended-contracts-source';
import { EquipmentReturnsService } from './equipment-returns.service';
import { TenantShredder } from './tenant-shredder';
import { TenantShredding } from './termination.entities';

export const CONTRACT_END_JOB = 'vendor-contract-end';
export const CHECK_EVERY_MS = 3600 * 1000;
/** A job queued or running longer than this is taken for lost (its process died), not waited for. */
const STUCK_AFTER_MS = 6 * CHECK_EVERY_MS;

export interface ContractEndParams extends EndedContract {
  requestedBy: string | null;
}

/** Today's calendar date in Japan, where the terms' dates are. */
export function tokyoToday(now = new Date()): CivilDate {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(now);
}

/**
 * Contract end as a job of the vendor's own tenant (the shredded tenant's jobs are themselves
 * deleted): the daily check starts one for each ended contract not yet shredded, and a vendor admin
 * may start one for a tenant whose service has ended. Checked hourly, so a restart or a failed run is
 * picked up within the hour; a finished tenant is never started again.
 */
@Injectable()
export class ContractEndJobs implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ContractEndJobs.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    @Inject(ENDED_CONTRACTS_SOURCE) private readonly source: EndedContractsSource,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: JobsService,
    private readonly tenants: TenantsService,
    private readonly shredder: TenantShredder,
    private readonly equipment: EquipmentReturnsService,
  ) {}

  onModuleInit(): void {
    this.jobs.register<ContractEndParams, unknown>(CONTRACT_END_JOB, async (run) => {
      const { requestedBy, ...contract } = run.params;
      await run.progress(5, 'recording the equipment to return');
      await this.equipment.register(contract);
      await run.progress(10, 'deleting the tenant data');
      const done = await this.shredder.shred(contract, requestedBy);
      return { tenantId: done.tenantId, certificateId: done.certificateId };
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.timer = setInterval(() => void this.tick(), CHECK_EVERY_MS);
    this.timer.unref();
    await this.tick();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One round: a contract-end job for every ended contract whose tenant is not shredded yet. Never throws. */
  tick(now = new Date()): Promise<void> {
    this.running ??= this.round(tokyoToday(now))
      .catch((error: Error) => this.logger.warn(`contract end not started: ${error.message}`))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  /** The ended contract of a tenant, or a clear refusal: contract end never runs early. */
  async endedContractOf(tenantId: string, today = tokyoToday()): Promise<EndedContract> {
    const contract = (await this.source.endedOn(today)).find(
      (c) => c.tenantId === tenantId && c.serviceEndDate < today,
    );
    if (!contract)
      throw new ConflictException(
        `tenantId: the service of tenant ${tenantId} has not ended; its data is deleted only after the service end date (Art. 12.4)`,
      );
    return contract;
  }

  /** Starts contract end for one tenant whose service has ended (the vendor endpoint). */
  async startFor(tenantId: string, requestedBy: string | null): Promise<JobView> {
    const tenant = await this.tenants.get(tenantId);
    if (tenant.isOperator) throw new BadRequestException("tenantId: the operator's own tenant has no contract end");
    const contract = await this.endedContractOf(tenantId);
    const active = await this.activeJob(tenantId);
    if (active)
      throw new ConflictException(`tenantId: contract end of tenant ${tenantId} is already running (job ${active})`);
    return this.start(contract, requestedBy);
  }

  private async round(today: CivilDate): Promise<void> {
    const finished = new Set(
      (await this.dataSource.getRepository(TenantShredding).find({ select: { tenantId: true, finishedAt: true } }))
        .filter((s) => s.finishedAt)
        .map((s) => s.tenantId),
    );
    for (const contract of await this.source.endedOn(today)) {
      if (contract.serviceEndDate >= today || finished.has(contract.tenantId)) continue;
      if (await this.activeJob(contract.tenantId)) continue;
      await this.start(contract, null);
    }
  }

  private async start(contract: EndedContract, requestedBy: string | null): Promise<JobView> {
    const vendor = await this.tenants.operatorTenant();
    if (!vendor) throw new Error('no operator tenant: finish the setup wizard');
    const params: ContractEndParams = { ...contract, requestedBy };
    return this.jobs.start<ContractEndParams>(CONTRACT_END_JOB, params, vendor.id);
  }

  /** A queued or running contract-end job of this tenant, from any process (the jobs table is shared). */
  private async activeJob(tenantId: string): Promise<string | null> {
    const jobs = await this.dataSource.getRepository(Job).find({
      where: {
        kind: CONTRACT_END_JOB,
        status: In(['queued', 'running']),
        createdAt: MoreThan(new Date(Date.now() - STUCK_AFTER_MS)),
      },
    });
    const job = jobs.find((j) => (JSON.parse(j.params) as ContractEndParams).tenantId === tenantId);
    return job?.id ?? null;
  }
}
