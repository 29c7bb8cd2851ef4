import { Module } from '@nestjs/common';
import { UsersModule } from '../core/users/users.module';
import { VendorTenantsController } from './tenants/vendor-tenants.controller';
import { BillingModule } from './billing/billing.module';

@Module({ imports: [UsersModule, BillingModule], controllers: [VendorTenantsController] })
export class VendorModule {}
