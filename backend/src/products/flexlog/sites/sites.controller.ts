import {
  Body,
  Controller,
  Delete,
  ForbiddenException,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AllowApiKey, CurrentPrincipal, Roles } from '../../../core/auth/auth.decorators';
import { ApiKeysService } from '../../../core/auth/api-keys.service';
import type { Principal } from '../../../core/tenancy/request-context';
import { fieldError } from '../../../platform/http/field-errors';
import { SiteStatusService } from '../health/site-status.service';
import { CreateSiteApiKeyDto, CreateSiteDto, UpdateSiteDto } from './site.dto';
import { SitesService, siteView } from './sites.service';

const READERS = ['tenantAdmin', 'supervisor', 'auditor'] as const;

/** FlexLog sites of the current tenant: tenant admins manage them; supervisors and auditors read. */
@ApiTags('flexlog')
@Controller('v1/flexlog/sites')
export class SitesController {
  constructor(
    private readonly sites: SitesService,
    private readonly status: SiteStatusService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  @Get()
  @Roles(...READERS)
  async list() {
    const rows = await this.sites.rows();
    const statuses = await this.status.statuses(rows);
    return rows.map((s) => ({ ...siteView(s), status: statuses.get(s.id) ?? null }));
  }

  @Post()
  @Roles('tenantAdmin')
  create(@Body() dto: CreateSiteDto) {
    return this.sites.create(dto);
  }

  @Get(':id')
  @Roles(...READERS)
  async get(@Param('id', ParseUUIDPipe) id: string) {
    const site = await this.sites.row(id);
    const statuses = await this.status.statuses([site]);
    return { ...siteView(site), status: statuses.get(id) ?? null };
  }

  @Patch(':id')
  @Roles('tenantAdmin')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateSiteDto) {
    return this.sites.update(id, dto);
  }

  @Delete(':id')
  @Roles('tenantAdmin')
  @HttpCode(204)
  remove(@Param('id', ParseUUIDPipe) id: string) {
    return this.sites.remove(id);
  }

  /** Online/offline, the latest heartbeat's figures and up to a day of one-minute history (`?hours=1..24`). */
  @Get(':id/status')
  @Roles(...READERS)
  async siteStatus(@Param('id', ParseUUIDPipe) id: string, @Query('hours') hours?: string) {
    const span = hours === undefined ? 24 : Number(hours);
    if (!Number.isInteger(span) || span < 1 || span > 24) throw fieldError('hours', 'must be a whole number 1-24');
    return this.status.withHistory(await this.sites.row(id), span);
  }

  /** The rules the capture classifies calls by: for the site's own API key, and for people who may read the site. */
  @Get(':id/config')
  @AllowApiKey()
  @ApiBearerAuth()
  @Roles(...READERS)
  config(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() principal: Principal) {
    if (principal.kind === 'apiKey') {
      if (!principal.siteId) throw new ForbiddenException('this API key is not bound to a site');
      // Another site's id answers like a missing one: a key learns nothing about other sites.
      if (principal.siteId !== id) throw new NotFoundException('site not found');
    }
    return this.sites.captureConfig(id);
  }

  @Get(':id/api-keys')
  @Roles('tenantAdmin', 'auditor')
  async listKeys(@Param('id', ParseUUIDPipe) id: string) {
    await this.sites.row(id);
    return this.apiKeys.list(id);
  }

  /** A key for the site's capture box, bound to the site; the key itself is in this answer only. */
  @Post(':id/api-keys')
  @Roles('tenantAdmin')
  async createKey(@Param('id', ParseUUIDPipe) id: string, @Body() dto: CreateSiteApiKeyDto) {
    await this.sites.row(id);
    return this.apiKeys.create(dto.name, id);
  }

  @Delete(':id/api-keys/:keyId')
  @Roles('tenantAdmin')
  @HttpCode(204)
  async revokeKey(@Param('id', ParseUUIDPipe) id: string, @Param('keyId', ParseUUIDPipe) keyId: string) {
    await this.sites.row(id);
    await this.apiKeys.revoke(keyId, id);
  }

  /** A new webhook signing secret, shown in this answer only; the old one stops working at once. */
  @Post(':id/webhook-secret')
  @Roles('tenantAdmin')
  rotateWebhookSecret(@Param('id', ParseUUIDPipe) id: string) {
    return this.sites.rotateWebhookSecret(id);
  }
}
