import { Body, Controller, Get, HttpCode, Inject, Post, Put, Req, Res, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { setAuthCookies } from '../auth/auth-cookies';
import { Public, Roles } from '../auth/auth.decorators';
import { AuthService } from '../auth/auth.service';
import {
  SetupAdminDto,
  SetupEncryptionDto,
  SetupMailDto,
  SetupMailTestDto,
  SetupOrganizationDto,
  SetupStorageDto,
} from './setup.dto';
import { SetupService } from './setup.service';

@ApiTags('setup')
@Controller('setup')
export class SetupStatusController {
  constructor(private readonly setup: SetupService) {}

  @Public()
  @Get('status')
  async status() {
    return { setupComplete: await this.setup.isComplete() };
  }
}

@ApiTags('setup')
@Controller('setup')
// While setup is open only these and health answer; once complete they answer 409 (setup-gate.ts).
@UseGuards(ThrottlerGuard)
@Roles('tenantAdmin')
export class SetupController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly setup: SetupService,
    private readonly auth: AuthService,
  ) {}

  @Public()
  @Post('admin')
  async createAdmin(@Body() dto: SetupAdminDto, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const { user, tokens } = await this.setup.createFirstAdmin(dto);
    setAuthCookies(res, tokens, this.config, req.secure);
    return { user: await this.auth.me(user) };
  }

  @Get('state')
  state() {
    return this.setup.state();
  }

  @Put('organization')
  async organization(@Body() dto: SetupOrganizationDto) {
    await this.setup.saveOrganization(dto);
    return this.setup.state();
  }

  @Post('storage/test')
  @HttpCode(200)
  testStorage(@Body() dto: SetupStorageDto) {
    return this.setup.testStorage(dto);
  }

  @Put('storage')
  saveStorage(@Body() dto: SetupStorageDto) {
    return this.setup.saveStorage(dto);
  }

  @Post('encryption/test')
  @HttpCode(200)
  testEncryption(@Body() dto: SetupEncryptionDto) {
    return this.setup.testEncryption(dto);
  }

  @Put('encryption')
  saveEncryption(@Body() dto: SetupEncryptionDto) {
    return this.setup.saveEncryption(dto);
  }

  @Post('mail/test')
  @HttpCode(200)
  testMail(@Body() dto: SetupMailTestDto) {
    return this.setup.testMail(dto);
  }

  @Put('mail')
  async saveMail(@Body() dto: SetupMailDto) {
    await this.setup.saveMail(dto);
    return this.setup.state();
  }

  @Post('complete')
  @HttpCode(200)
  complete() {
    return this.setup.complete();
  }
}
