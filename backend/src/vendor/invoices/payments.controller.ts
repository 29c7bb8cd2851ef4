import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../../core/auth/auth.decorators';
import { SystemSettingsService } from '../../core/setup/system-settings.service';
import { assertVendorConsole, tokyoDateOf } from '../vendor-console';
import { BankCsvDto, PaymentDto, ReceivablesQueryDto } from './invoices.dto';
import { PaymentsService } from './payments.service';
import { ReceivablesService } from './receivables.service';

/** Payments received and what is still owed, for vendor staff; tenant users get 403. */
@ApiTags('vendor')
@Controller('v1/vendor')
@Roles('vendorAdmin')
export class PaymentsController {
  constructor(
    private readonly payments: PaymentsService,
    private readonly receivables: ReceivablesService,
    private readonly settings: SystemSettingsService,
  ) {}

  @Post('payments')
  async record(@Body() dto: PaymentDto) {
    await assertVendorConsole(this.settings);
    return this.payments.record(dto);
  }

  /** A bank CSV: every row recorded or refused with its line and field (200 either way). */
  @Post('payments/import')
  @HttpCode(200)
  async importCsv(@Body() dto: BankCsvDto) {
    await assertVendorConsole(this.settings);
    return this.payments.importCsv(dto.csv);
  }

  @Get('receivables')
  @Roles('vendorAdmin', 'vendorSupport')
  async list(@Query() query: ReceivablesQueryDto) {
    await assertVendorConsole(this.settings);
    return this.receivables.asOf(query.asOf ?? tokyoDateOf(new Date()), query.tenantId);
  }
}
