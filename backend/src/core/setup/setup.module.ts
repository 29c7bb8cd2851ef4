import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { User } from '../users/user.entity';
import { UsersModule } from '../users/users.module';
import { SetupController, SetupStatusController } from './setup.controller';
import { SetupService } from './setup.service';
import { SystemSetting } from './system-setting.entity';
import { SystemSettingsService } from './system-settings.service';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([SystemSetting, User]), UsersModule],
  controllers: [SetupStatusController, SetupController],
  providers: [SetupService, SystemSettingsService],
  exports: [SetupService, SystemSettingsService],
})
export class SetupModule {}
