import { Module } from '@nestjs/common';
import { UsersModule } from '../core/users/users.module';
import { VendorTenantsController } from './tenants/vendor-tenants.controller';

@Module({ imports: [UsersModule], controllers: [VendorTenantsController] })
export class VendorModule {}
