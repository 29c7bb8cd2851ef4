import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { RequestContext } from '../tenancy/request-context';
import { JobsService, JobView } from './jobs.service';

/** Status and progress of long jobs. Tenant admins and auditors see every job of the tenant, others their own. */
@ApiTags('jobs')
@Controller('v1/jobs')
@Roles('tenantAdmin', 'supervisor', 'operator', 'auditor')
export class JobsController {
  constructor(
    private readonly jobs: JobsService,
    private readonly context: RequestContext,
  ) {}

  @Get()
  list(@Query('kind') kind?: string): Promise<JobView[]> {
    return this.jobs.list({ kind, createdBy: this.ownOnly() });
  }

  @Get(':id')
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<JobView> {
    const job = await this.jobs.get(id);
    const own = this.ownOnly();
    // Someone else's job answers like a missing one.
    if (own && job.createdBy !== own) return this.jobs.get('00000000-0000-0000-0000-000000000000');
    return job;
  }

  private ownOnly(): string | undefined {
    const p = this.context.principal();
    return p?.roles.some((r) => r === 'tenantAdmin' || r === 'auditor') ? undefined : p?.id;
  }
}
