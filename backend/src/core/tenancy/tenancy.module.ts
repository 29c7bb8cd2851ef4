import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RequestContext } from './request-context';
import { Tenant } from './tenant.entity';
import { TenantsService } from './tenants.service';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Tenant])],
  providers: [RequestContext, TenantsService],
  exports: [RequestContext, TenantsService],
})
export class TenancyModule {}
