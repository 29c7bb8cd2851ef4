import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Patch,
  Post,
  Req,
  Res,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import type { Principal } from '../tenancy/request-context';
import { clearAuthCookies, REFRESH_COOKIE, setAuthCookies } from './auth-cookies';
import { CurrentPrincipal, Public } from './auth.decorators';
import { ChangePasswordDto, LoginDto, UpdateProfileDto } from './auth.dto';
import { AuthService, MeView } from './auth.service';
import { TokenService } from './token.service';

const refreshCookie = (req: Request) => (req.cookies as Record<string, string> | undefined)?.[REFRESH_COOKIE];

@ApiTags('auth')
@Controller('v1/auth')
@UseGuards(ThrottlerGuard)
export class AuthController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly auth: AuthService,
    private readonly tokens: TokenService,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  async login(@Body() dto: LoginDto, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const { user, tokens } = await this.auth.login(dto.email, dto.password);
    setAuthCookies(res, tokens, this.config, req.secure);
    return { user: await this.auth.me(user) };
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  async refresh(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const token = refreshCookie(req);
    if (!token) throw new UnauthorizedException('no refresh token');
    const { user, tokens } = await this.auth.refresh(token);
    setAuthCookies(res, tokens, this.config, req.secure);
    return { user: await this.auth.me(user) };
  }

  @Post('logout')
  @HttpCode(204)
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    await this.auth.logout(refreshCookie(req));
    clearAuthCookies(res, this.config, req.secure);
  }

  @Get('me')
  async me(@CurrentPrincipal() principal: Principal): Promise<MeView> {
    return this.auth.me(await this.auth.activeUser(principal.id));
  }

  @Patch('me')
  async updateMe(@CurrentPrincipal() principal: Principal, @Body() dto: UpdateProfileDto): Promise<MeView> {
    return this.auth.me(await this.auth.updateProfile(principal.id, dto));
  }

  /** Changing the password ends every other session; this one gets fresh tokens. */
  @Post('password')
  @HttpCode(204)
  async changePassword(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: ChangePasswordDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    await this.auth.changePassword(principal.id, dto.currentPassword, dto.newPassword);
    const user = await this.auth.activeUser(principal.id);
    setAuthCookies(res, await this.tokens.issue(user), this.config, req.secure);
  }
}
