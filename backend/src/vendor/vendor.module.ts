import { Module } from '@nestjs/common';
import { UsersModule } from '../core/users/users.module';
import { VendorTenantsController } from './tenants/vendor-tenants.controller';
import { BillingModule } from './billing/billing.module';
import { TerminationModule } from './termination/termination.module';
import { PlansModule } from './plans/plans.module';
import { ContractsModule } from './contracts/contracts.module';
import { InvoicesModule } from './invoices/invoices.module';
import { VendorDashboardModule } from './dashboard/vendor-dashboard.module';

@Module({
  imports: [
    UsersModule,
    BillingModule,
    TerminationModule,
    PlansModule,
    ContractsModule,
    InvoicesModule,
    VendorDashboardModule,
  ],
  controllers: [VendorTenantsController],
})
export class VendorModule {}
