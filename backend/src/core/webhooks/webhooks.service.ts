import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditService } from '../audit/audit.service';
import { RequestContext } from '../tenancy/request-context';
import { InjectTenantRepository, TenantRepository } from '../tenancy/tenant-repository';
import { fieldError } from '../../platform/http/field-errors';
import { WebhookDeliveryRunner } from './webhook-delivery.runner';
import { WebhookPublisher } from './webhook-publisher';
import { WebhookSealing } from './webhook-secrets';
import { CreateWebhookDto, UpdateWebhookDto } from './webhook.dto';
import { DELIVERY_STATUSES, DeliveryStatus, WebhookDelivery, WebhookEndpoint } from './webhook.entities';
import { TEST_EVENT_TYPE, WebhookEnvelope } from './webhook-events';
import { webhookFields, WebhookFields } from './webhook-rules';

export interface WebhookView extends WebhookFields {
  id: string;
  createdAt: Date;
  updatedAt: Date;
}

export const webhookView = (e: WebhookEndpoint): WebhookView => ({
  id: e.id,
  name: e.name,
  url: e.url,
  events: JSON.parse(e.events) as string[],
  enabled: e.enabled,
  createdAt: e.createdAt,
  updatedAt: e.updatedAt,
});

export const deliveryView = (d: WebhookDelivery) => ({
  id: d.id,
  endpointId: d.endpointId,
  eventId: d.eventId,
  eventType: d.eventType,
  status: d.status,
  attempts: d.attempts,
  maxAttempts: d.maxAttempts,
  httpStatus: d.httpStatus,
  durationMs: d.durationMs,
  error: d.error,
  nextAttemptAt: d.nextAttemptAt,
  lastAttemptAt: d.lastAttemptAt,
  resentFrom: d.resentFrom,
  createdAt: d.createdAt,
});

/** The current tenant's webhook endpoints and their delivery log. */
@Injectable()
export class WebhooksService {
  constructor(
    @InjectTenantRepository(WebhookEndpoint) private readonly endpoints: TenantRepository<WebhookEndpoint>,
    @InjectTenantRepository(WebhookDelivery) private readonly deliveries: TenantRepository<WebhookDelivery>,
    private readonly context: RequestContext,
    private readonly sealing: WebhookSealing,
    private readonly runner: WebhookDeliveryRunner,
    private readonly publisher: WebhookPublisher,
    private readonly audit: AuditService,
  ) {}

  async list(): Promise<WebhookView[]> {
    return (await this.endpoints.find({ order: { createdAt: 'ASC' } })).map(webhookView);
  }

  /** Another tenant's endpoint answers 404 like a missing one. */
  row(id: string): Promise<WebhookEndpoint> {
    return this.endpoints.get({ id });
  }

  /** The signing secret is in this answer only; afterwards nobody can read it back. */
  async create(dto: CreateWebhookDto): Promise<WebhookView & { secret: string }> {
    const fields = webhookFields(dto, true) as WebhookFields;
    const tenantId = this.context.tenantId();
    const secret = this.sealing.generateSecret();
    const sealed = await this.sealing.sealSecret(tenantId, secret);
    const now = new Date();
    const endpoint = this.endpoints.create({
      id: randomUUID(),
      name: fields.name,
      url: fields.url,
      events: JSON.stringify(fields.events),
      enabled: fields.enabled,
      secret: sealed.sealed,
      secretKeyId: sealed.keyId,
      createdAt: now,
      updatedAt: now,
    });
    await this.endpoints.save(endpoint);
    this.publisher.forget(tenantId);
    await this.audit.record({ action: 'webhook.created', target: endpoint.id, details: { ...fields } });
    return { ...webhookView(endpoint), secret };
  }

  async update(id: string, dto: UpdateWebhookDto): Promise<WebhookView> {
    const endpoint = await this.row(id);
    const fields = webhookFields(dto, false);
    const before = webhookView(endpoint);
    Object.assign(endpoint, {
      ...fields,
      ...(fields.events ? { events: JSON.stringify(fields.events) } : {}),
      updatedAt: new Date(),
    });
    await this.endpoints.save(endpoint);
    this.publisher.forget(endpoint.tenantId);
    const after = webhookView(endpoint);
    const changed = (Object.keys(fields) as (keyof WebhookFields)[]).filter(
      (k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]),
    );
    await this.audit.record({
      action: 'webhook.updated',
      target: id,
      details: { changed, ...Object.fromEntries(changed.map((k) => [k, after[k]])) },
    });
    return after;
  }

  /** A new secret replaces the old one at once; shown in this answer only. */
  async rotateSecret(id: string): Promise<{ secret: string }> {
    const endpoint = await this.row(id);
    const secret = this.sealing.generateSecret();
    const sealed = await this.sealing.sealSecret(endpoint.tenantId, secret);
    Object.assign(endpoint, { secret: sealed.sealed, secretKeyId: sealed.keyId, updatedAt: new Date() });
    await this.endpoints.save(endpoint);
    await this.audit.record({ action: 'webhook.secret.rotated', target: id, details: { name: endpoint.name } });
    return { secret };
  }

  /** Removes the endpoint and its delivery log (the foreign key cascades). */
  async remove(id: string): Promise<void> {
    const endpoint = await this.row(id);
    await this.deliveries.deleteWhere({ endpointId: id });
    await this.endpoints.remove(endpoint);
    this.publisher.forget(endpoint.tenantId);
    await this.audit.record({
      action: 'webhook.deleted',
      target: id,
      details: { name: endpoint.name, url: endpoint.url },
    });
  }

  /** Newest first; `status` narrows to one state (e.g. failed). */
  async deliveriesOf(id: string, status: string | undefined, limit: number) {
    await this.row(id);
    if (status !== undefined && !(DELIVERY_STATUSES as readonly string[]).includes(status)) {
      throw fieldError('status', `one of ${DELIVERY_STATUSES.join(', ')}`);
    }
    const rows = await this.deliveries.find({
      where: { endpointId: id, ...(status ? { status: status as DeliveryStatus } : {}) },
      order: { createdAt: 'DESC' },
      take: limit,
    });
    return rows.map(deliveryView);
  }

  /** One delivery with the exact body that was (or will be) sent, for the admin checking a receiver. */
  async delivery(id: string, deliveryId: string) {
    const delivery = await this.deliveries.get({ id: deliveryId, endpointId: id });
    const body = await this.sealing.openBody(delivery.tenantId, delivery.body, delivery.bodyKeyId);
    return { ...deliveryView(delivery), body: JSON.parse(body) as WebhookEnvelope };
  }

  /** Sends the same event again as a new delivery (same event id, so receivers can de-duplicate). */
  async resend(id: string, deliveryId: string) {
    const endpoint = await this.row(id);
    const original = await this.deliveries.get({ id: deliveryId, endpointId: id });
    if (!endpoint.enabled) throw fieldError('enabled', 'the endpoint is disabled: enable it before re-sending');
    const body = await this.sealing.openBody(original.tenantId, original.body, original.bodyKeyId);
    const delivery = await this.runner.start(endpoint, original.eventId, original.eventType, body, original.id);
    await this.audit.record({
      action: 'webhook.delivery.resent',
      target: id,
      details: { deliveryId: original.id, newDeliveryId: delivery.id, eventType: original.eventType },
    });
    return deliveryView(delivery);
  }

  /** A `webhook.test` event to this endpoint only, whatever its filter, through the same signed path. */
  async sendTest(id: string) {
    const endpoint = await this.row(id);
    if (!endpoint.enabled) throw fieldError('enabled', 'the endpoint is disabled: enable it before testing');
    const envelope: WebhookEnvelope = {
      id: randomUUID(),
      type: TEST_EVENT_TYPE,
      createdAt: new Date().toISOString(),
      data: { message: 'テスト送信 / test event', endpointId: endpoint.id },
    };
    const delivery = await this.runner.start(endpoint, envelope.id, TEST_EVENT_TYPE, JSON.stringify(envelope));
    return deliveryView(delivery);
  }
}
