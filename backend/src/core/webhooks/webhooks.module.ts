import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { tenantRepositoryProvider } from '../tenancy/tenant-repository';
import { OutboundNetworkPolicy } from './outbound-network';
import { WebhookDeliveryRunner } from './webhook-delivery.runner';
import { WebhookPublisher } from './webhook-publisher';
import { WebhookSealing } from './webhook-secrets';
import { WebhookDelivery, WebhookEndpoint } from './webhook.entities';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

/**
 * Outgoing webhooks for every product: tenants register endpoints, products call
 * WebhookPublisher.publish(tenantId, eventType, payload). Global so a product imports nothing.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([WebhookEndpoint, WebhookDelivery])],
  controllers: [WebhooksController],
  providers: [
    OutboundNetworkPolicy,
    WebhookSealing,
    WebhookDeliveryRunner,
    WebhookPublisher,
    WebhooksService,
    tenantRepositoryProvider(WebhookEndpoint, 'webhook'),
    tenantRepositoryProvider(WebhookDelivery, 'webhook delivery'),
  ],
  exports: [WebhookPublisher, OutboundNetworkPolicy],
})
export class WebhooksModule {}
