import { Body, Controller, ForbiddenException, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AllowApiKey, CurrentPrincipal } from '../../../core/auth/auth.decorators';
import type { Principal } from '../../../core/tenancy/request-context';
import { SitesService } from '../sites/sites.service';
import { HeartbeatDto } from './heartbeat.dto';
import { HeartbeatService } from './heartbeat.service';

/** The site a request speaks for: its API key's, never one named in the request. */
function siteOf(principal: Principal): string {
  if (principal.kind !== 'apiKey') throw new ForbiddenException('for the API key of a FlexLog site only');
  if (!principal.siteId) {
    throw new ForbiddenException('this API key is not bound to a site: create one under FlexLog > sites > API keys');
  }
  return principal.siteId;
}

/** What the capture box calls with its site's API key. */
@ApiTags('flexlog')
@ApiBearerAuth()
@Controller('v1/flexlog')
export class CaptureController {
  constructor(
    private readonly heartbeats: HeartbeatService,
    private readonly sites: SitesService,
  ) {}

  /** Every 10 s. Answers when the site's rules last changed, so the box knows to refetch them. */
  @Post('heartbeat')
  @AllowApiKey()
  @HttpCode(200)
  heartbeat(@CurrentPrincipal() principal: Principal, @Body() dto: HeartbeatDto) {
    const siteId = siteOf(principal);
    return this.heartbeats.receive(siteId, principal.tenantId, dto);
  }

  /** The key's own site's rules (internal networks, extension patterns, lines). */
  @Get('config')
  @AllowApiKey()
  config(@CurrentPrincipal() principal: Principal) {
    return this.sites.captureConfig(siteOf(principal));
  }
}
