import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { fieldError } from '../../platform/http/field-errors';
import { CreateWebhookDto, UpdateWebhookDto } from './webhook.dto';
import { WEBHOOK_EVENT_TYPES } from './webhook-events';
import { webhookView, WebhooksService } from './webhooks.service';

/** Tenant admins manage webhooks; auditors read the configuration and the log (never a secret). */
const READERS = ['tenantAdmin', 'auditor'] as const;

@ApiTags('webhooks')
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Get()
  @Roles(...READERS)
  list() {
    return this.webhooks.list();
  }

  /** The event types an endpoint may subscribe to. */
  @Get('event-types')
  @Roles(...READERS)
  eventTypes() {
    return WEBHOOK_EVENT_TYPES;
  }

  @Post()
  @Roles('tenantAdmin')
  create(@Body() dto: CreateWebhookDto) {
    return this.webhooks.create(dto);
  }

  @Get(':id')
  @Roles(...READERS)
  async get(@Param('id', ParseUUIDPipe) id: string) {
    return webhookView(await this.webhooks.row(id));
  }

  @Patch(':id')
  @Roles('tenantAdmin')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateWebhookDto) {
    return this.webhooks.update(id, dto);
  }

  @Delete(':id')
  @Roles('tenantAdmin')
  @HttpCode(204)
  remove(@Param('id', ParseUUIDPipe) id: string) {
    return this.webhooks.remove(id);
  }

  @Post(':id/secret')
  @Roles('tenantAdmin')
  rotateSecret(@Param('id', ParseUUIDPipe) id: string) {
    return this.webhooks.rotateSecret(id);
  }

  @Post(':id/test')
  @Roles('tenantAdmin')
  sendTest(@Param('id', ParseUUIDPipe) id: string) {
    return this.webhooks.sendTest(id);
  }

  /** `?status=failed&limit=50` (1-200, newest first). */
  @Get(':id/deliveries')
  @Roles(...READERS)
  deliveries(@Param('id', ParseUUIDPipe) id: string, @Query('status') status?: string, @Query('limit') limit?: string) {
    const n = limit === undefined || limit === '' ? 50 : Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > 200) throw fieldError('limit', 'a whole number from 1 to 200');
    return this.webhooks.deliveriesOf(id, status || undefined, n);
  }

  @Get(':id/deliveries/:deliveryId')
  @Roles(...READERS)
  delivery(@Param('id', ParseUUIDPipe) id: string, @Param('deliveryId', ParseUUIDPipe) deliveryId: string) {
    return this.webhooks.delivery(id, deliveryId);
  }

  @Post(':id/deliveries/:deliveryId/resend')
  @Roles('tenantAdmin')
  resend(@Param('id', ParseUUIDPipe) id: string, @Param('deliveryId', ParseUUIDPipe) deliveryId: string) {
    return this.webhooks.resend(id, deliveryId);
  }
}
