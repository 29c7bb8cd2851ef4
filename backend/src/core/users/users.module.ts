import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { tenantRepositoryProvider } from '../tenancy/tenant-repository';
import { User } from './user.entity';
import { UserExtension } from './user-extension.entity';
import { UserExtensions } from './user-extensions';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([User, UserExtension])],
  controllers: [UsersController],
  providers: [UsersService, UserExtensions, tenantRepositoryProvider(User, 'user')],
  exports: [UsersService, UserExtensions],
})
export class UsersModule {}
