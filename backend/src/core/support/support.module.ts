import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { tenantRepositoryProvider } from '../tenancy/tenant-repository';
import { User } from '../users/user.entity';
import { SupportGrant } from './support-grant.entity';
import { SupportGrantsController, VendorSupportGrantsController } from './support-grants.controller';
import { SupportGrantsService } from './support-grants.service';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([SupportGrant, User])],
  controllers: [SupportGrantsController, VendorSupportGrantsController],
  providers: [SupportGrantsService, tenantRepositoryProvider(SupportGrant, 'support grant')],
  exports: [SupportGrantsService],
})
export class SupportModule {}
