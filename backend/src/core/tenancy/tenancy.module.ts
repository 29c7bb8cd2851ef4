import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ProductAccess } from './product-access';
import { RequestContext } from './request-context';
import { Tenant } from './tenant.entity';
import { TenantKey } from './tenant-key.entity';
import { TenantKeysService } from './tenant-keys.service';
import { TenantsService } from './tenants.service';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Tenant, TenantKey])],
  providers: [RequestContext, TenantsService, TenantKeysService, ProductAccess],
  exports: [RequestContext, TenantsService, TenantKeysService, ProductAccess],
})
export class TenancyModule {}
