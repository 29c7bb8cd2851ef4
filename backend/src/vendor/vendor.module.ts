import { Module } from '@nestjs/common';
import { UsersModule } from '../core/users/users.module';
import { VendorTenantsController } from './tenants/vendor-tenants.controller';
import { BillingModule } from './billing/billing.module';
import { TerminationModule } from './termination/termination.module';

@Module({ imports: [UsersModule, BillingModule, TerminationModule], controllers: [VendorTenantsController] })
export class VendorModule {}
