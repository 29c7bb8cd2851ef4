import { Body, Controller, Get, Header, Param, ParseUUIDPipe, Post, Put, Query, StreamableFile } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../../core/auth/auth.decorators';
import { SystemSettingsService } from '../../core/setup/system-settings.service';
import { fieldError } from '../../platform/http/field-errors';
import { assertVendorConsole, tokyoDateOf } from '../vendor-console';
import { invoiceCsv } from './invoice-csv';
import { InvoiceIssuerDto, InvoiceIssuerSettings } from './invoice-issuer';
import { renderInvoicePdf } from './invoice-pdf';
import { InvoiceFilterDto, IssueMonthDto } from './invoices.dto';
import { invoiceView, InvoicingService } from './invoicing.service';
import { PaymentsService } from './payments.service';

/** Invoices for vendor staff: support staff read and download, vendor admins issue. Tenant users: 403. */
@ApiTags('vendor')
@Controller('v1/vendor')
@Roles('vendorAdmin')
export class InvoicesController {
  constructor(
    private readonly invoicing: InvoicingService,
    private readonly issuer: InvoiceIssuerSettings,
    private readonly payments: PaymentsService,
    private readonly settings: SystemSettingsService,
  ) {}

  @Get('invoice-issuer')
  @Roles('vendorAdmin', 'vendorSupport')
  async getIssuer() {
    await assertVendorConsole(this.settings);
    return (await this.issuer.get()) ?? {};
  }

  @Put('invoice-issuer')
  async setIssuer(@Body() dto: InvoiceIssuerDto) {
    await assertVendorConsole(this.settings);
    return this.issuer.set(dto);
  }

  /** Issues a month's invoices now (the monthly job does the same for the month just ended). */
  @Post('invoices/runs')
  async issueMonth(@Body() dto: IssueMonthDto) {
    await assertVendorConsole(this.settings);
    const today = tokyoDateOf(new Date());
    const issueDate = dto.issueDate ?? today;
    if (issueDate > today) throw fieldError('issueDate', `cannot be after today (${today})`);
    return this.invoicing.issueMonth(dto.month, issueDate);
  }

  @Get('invoices')
  @Roles('vendorAdmin', 'vendorSupport')
  async list(@Query() filter: InvoiceFilterDto) {
    await assertVendorConsole(this.settings);
    return this.invoicing.list(filter);
  }

  @Get('invoices/:id')
  @Roles('vendorAdmin', 'vendorSupport')
  async get(@Param('id', ParseUUIDPipe) id: string) {
    await assertVendorConsole(this.settings);
    return invoiceView(await this.invoicing.get(id));
  }

  @Get('invoices/:id/payments')
  @Roles('vendorAdmin', 'vendorSupport')
  async paymentsOf(@Param('id', ParseUUIDPipe) id: string) {
    await assertVendorConsole(this.settings);
    await this.invoicing.get(id);
    return this.payments.listFor(id);
  }

  @Get('invoices/:id/pdf')
  @Roles('vendorAdmin', 'vendorSupport')
  @Header('content-type', 'application/pdf')
  async pdf(@Param('id', ParseUUIDPipe) id: string) {
    await assertVendorConsole(this.settings);
    const invoice = invoiceView(await this.invoicing.get(id));
    return new StreamableFile(await renderInvoicePdf(invoice), {
      disposition: `attachment; filename="${invoice.number}.pdf"`,
    });
  }

  @Get('invoices/:id/csv')
  @Roles('vendorAdmin', 'vendorSupport')
  @Header('content-type', 'text/csv; charset=utf-8')
  async csv(@Param('id', ParseUUIDPipe) id: string) {
    await assertVendorConsole(this.settings);
    const invoice = invoiceView(await this.invoicing.get(id));
    return new StreamableFile(Buffer.from(invoiceCsv(invoice), 'utf8'), {
      disposition: `attachment; filename="${invoice.number}.csv"`,
    });
  }
}
