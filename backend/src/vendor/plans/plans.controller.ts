import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../../core/auth/auth.decorators';
import { SystemSettingsService } from '../../core/setup/system-settings.service';
import { assertVendorConsole } from '../vendor-console';
import { CreatePlanDto, UpdatePlanDto } from './plan.dto';
import { planView, PlansService } from './plans.service';

/** The plan catalogue: vendor staff read it (quotes), vendor admins change it; tenant users get 403. */
@ApiTags('vendor')
@Controller('v1/vendor/plans')
@Roles('vendorAdmin')
export class PlansController {
  constructor(
    private readonly plans: PlansService,
    private readonly settings: SystemSettingsService,
  ) {}

  @Get()
  @Roles('vendorAdmin', 'vendorSupport')
  async list() {
    await assertVendorConsole(this.settings);
    return this.plans.list();
  }

  @Get(':id')
  @Roles('vendorAdmin', 'vendorSupport')
  async get(@Param('id', ParseUUIDPipe) id: string) {
    await assertVendorConsole(this.settings);
    return planView(await this.plans.get(id));
  }

  @Post()
  async create(@Body() dto: CreatePlanDto) {
    await assertVendorConsole(this.settings);
    return this.plans.create(dto);
  }

  @Patch(':id')
  async update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdatePlanDto) {
    await assertVendorConsole(this.settings);
    return this.plans.update(id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id', ParseUUIDPipe) id: string) {
    await assertVendorConsole(this.settings);
    await this.plans.remove(id);
  }
}
