import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../core/auth/auth.decorators';
import { DashboardQueryDto } from './dashboard.dto';
import { DashboardService, DashboardView } from './dashboard.service';

/** Call figures for the dashboard: the same people who may search calls, over the calls they may see. */
@ApiTags('recordings')
@Controller('v1/recordings/dashboard')
@Roles('tenantAdmin', 'supervisor', 'operator', 'auditor')
export class DashboardController {
  constructor(private readonly dashboard: DashboardService) {}

  @Get()
  get(@Query() query: DashboardQueryDto): Promise<DashboardView> {
    return this.dashboard.dashboard(query);
  }
}
