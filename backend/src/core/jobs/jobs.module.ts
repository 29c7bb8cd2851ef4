import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { tenantRepositoryProvider } from '../tenancy/tenant-repository';
import { Job } from './job.entity';
import { JobsController } from './jobs.controller';
import { JobsService } from './jobs.service';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Job])],
  controllers: [JobsController],
  providers: [JobsService, tenantRepositoryProvider(Job, 'job')],
  exports: [JobsService],
})
export class JobsModule {}
