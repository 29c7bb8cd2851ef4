import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TenantKey } from '../tenancy/tenant-key.entity';
import { User } from '../users/user.entity';
import { MasterKeyRotation } from './master-key-rotation';
import { UsersModule } from '../users/users.module';
import { SetupController, SetupStatusController } from './setup.controller';
import { SetupService } from './setup.service';
import { SystemSetting } from './system-setting.entity';
import { SystemSettingsService } from './system-settings.service';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([SystemSetting, User, TenantKey]), UsersModule],
  controllers: [SetupStatusController, SetupController],
  providers: [SetupService, SystemSettingsService, MasterKeyRotation],
  exports: [SetupService, SystemSettingsService, MasterKeyRotation],
})
export class SetupModule {}
