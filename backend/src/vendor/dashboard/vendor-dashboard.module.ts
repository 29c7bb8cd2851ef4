import { Module } from '@nestjs/common';
import { UsageCounter } from '../../products/recordings/retention/usage-counter';
import { ContractsModule } from '../contracts/contracts.module';
import { ReceivablesService } from '../invoices/receivables.service';
import { VendorDashboardController } from './vendor-dashboard.controller';
import { VendorDashboardService } from './vendor-dashboard.service';

/** ReceivablesService and UsageCounter only read the database, so this module holds its own. */
@Module({
  imports: [ContractsModule],
  controllers: [VendorDashboardController],
  providers: [VendorDashboardService, ReceivablesService, UsageCounter],
})
export class VendorDashboardModule {}
