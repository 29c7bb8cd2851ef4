import { Module } from '@nestjs/common';
import { ContractsModule } from '../contracts/contracts.module';
import { BillingScheduler } from './billing-scheduler';
import { InvoiceIssuerSettings } from './invoice-issuer';
import { InvoicesController } from './invoices.controller';
import { InvoicingService } from './invoicing.service';
import { PaymentsController } from './payments.controller';
import { PaymentsService } from './payments.service';
import { ReceivablesService } from './receivables.service';

/** Invoices issued from the billing engine, payments against them, receivables, and the billing job. */
@Module({
  imports: [ContractsModule],
  controllers: [InvoicesController, PaymentsController],
  providers: [InvoicingService, InvoiceIssuerSettings, PaymentsService, ReceivablesService, BillingScheduler],
  exports: [InvoicingService],
})
export class InvoicesModule {}
