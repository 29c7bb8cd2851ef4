import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../core/auth/auth.decorators';
import { SystemSettingsService } from '../../core/setup/system-settings.service';
import { fieldError } from '../../platform/http/field-errors';
import { assertVendorConsole } from '../vendor-console';
import { CancellationDto, CreateContractDto, EquipmentReturnDto, OpeningTestDto, PlanChangeDto } from './contract.dto';
import { ContractsService } from './contracts.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Customer contracts (Art. 9-13) for vendor staff: support staff read, vendor admins change. Tenant
 * users get 403 from the role check before anything is read.
 */
@ApiTags('vendor')
@Controller('v1/vendor/contracts')
@Roles('vendorAdmin')
export class ContractsController {
  constructor(
    private readonly contracts: ContractsService,
    private readonly settings: SystemSettingsService,
  ) {}

  @Get()
  @Roles('vendorAdmin', 'vendorSupport')
  @ApiQuery({ name: 'tenantId', required: false })
  async list(@Query('tenantId') tenantId?: string) {
    await assertVendorConsole(this.settings);
    if (tenantId !== undefined && !UUID.test(tenantId)) throw fieldError('tenantId', 'must be a tenant id (UUID)');
    return this.contracts.list(tenantId);
  }

  @Post()
  async create(@Body() dto: CreateContractDto) {
    await assertVendorConsole(this.settings);
    return this.contracts.create(dto);
  }

  @Get(':id')
  @Roles('vendorAdmin', 'vendorSupport')
  async get(@Param('id', ParseUUIDPipe) id: string) {
    await assertVendorConsole(this.settings);
    return this.contracts.view(id);
  }

  /** The opening test date entered by hand (it fixes the service and billing start). */
  @Put(':id/opening-test')
  async openingTest(@Param('id', ParseUUIDPipe) id: string, @Body() dto: OpeningTestDto) {
    await assertVendorConsole(this.settings);
    return this.contracts.setOpeningTest(id, dto.openingTestOn);
  }

  @Post(':id/plan-changes')
  async changePlan(@Param('id', ParseUUIDPipe) id: string, @Body() dto: PlanChangeDto) {
    await assertVendorConsole(this.settings);
    return this.contracts.changePlan(id, dto);
  }

  /** Service end date and minimum-term adjustment a cancellation would bring; nothing is saved. */
  @Post(':id/cancellation/preview')
  @HttpCode(200)
  async previewCancellation(@Param('id', ParseUUIDPipe) id: string, @Body() dto: CancellationDto) {
    await assertVendorConsole(this.settings);
    return this.contracts.previewCancellation(id, dto);
  }

  @Post(':id/cancellation')
  async confirmCancellation(@Param('id', ParseUUIDPipe) id: string, @Body() dto: CancellationDto) {
    await assertVendorConsole(this.settings);
    return this.contracts.confirmCancellation(id, dto);
  }

  @Post(':id/equipment-return')
  @HttpCode(200)
  async equipmentReturn(@Param('id', ParseUUIDPipe) id: string, @Body() dto: EquipmentReturnDto) {
    await assertVendorConsole(this.settings);
    return this.contracts.recordEquipmentReturn(id, dto.returnedOn);
  }
}
