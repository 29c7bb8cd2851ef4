import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { User } from '../users/user.entity';
import { tenantRepositoryProvider } from '../tenancy/tenant-repository';
import { ApiKey } from './api-key.entity';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysService } from './api-keys.service';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { RefreshToken } from './refresh-token.entity';
import { TokenService } from './token.service';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([User, RefreshToken, ApiKey])],
  controllers: [AuthController, ApiKeysController],
  providers: [
    AuthService,
    TokenService,
    ApiKeysService,
    tenantRepositoryProvider(ApiKey, 'API key'),
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [AuthService, TokenService, ApiKeysService],
})
export class AuthModule {}
