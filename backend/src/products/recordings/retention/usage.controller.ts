import { Controller, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../core/auth/auth.decorators';
import { JobsService, JobView } from '../../../core/jobs/jobs.service';
import { RETENTION_JOB, RetentionParams } from './retention.job';
import { UsageService, UsageView } from './usage.service';

/** The current tenant's storage: usage with its forecast, and the retention sweep on demand. */
@ApiTags('recordings')
@Controller('v1/recordings')
export class UsageController {
  constructor(
    private readonly usage: UsageService,
    private readonly jobs: JobsService,
  ) {}

  @Get('usage')
  @Roles('tenantAdmin', 'auditor')
  get(): Promise<UsageView> {
    return this.usage.usage();
  }

  /** Runs the sweep the scheduler runs hourly (retention, then capacity) now; poll GET /api/v1/jobs/:id. */
  @Post('retention/run')
  @Roles('tenantAdmin')
  @HttpCode(HttpStatus.ACCEPTED)
  runRetention(): Promise<JobView> {
    return this.jobs.start<RetentionParams>(RETENTION_JOB, { trigger: 'manual' });
  }
}
