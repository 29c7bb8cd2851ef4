import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { WebhookDeliveryRunner } from './webhook-delivery.runner';
import { WebhookEndpoint } from './webhook.entities';
import type { WebhookEnvelope } from './webhook-events';

/** How long a tenant's endpoint list is reused: call events come in bursts, edits are rare. */
const ENDPOINTS_CACHE_MS = 5_000;

/**
 * The one way products send events out: `publish(tenantId, eventType, payload)` queues one signed
 * delivery per enabled endpoint of the tenant that subscribed to the type, and answers how many.
 * It needs no request context (call events and transcripts arrive outside any request) and never
 * waits for a receiver: delivery, retries and the log are the runner's.
 */
@Injectable()
export class WebhookPublisher {
  private readonly cache = new Map<string, { at: number; endpoints: Promise<WebhookEndpoint[]> }>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly runner: WebhookDeliveryRunner,
  ) {}

  async publish(tenantId: string, eventType: string, payload: unknown): Promise<number> {
    const endpoints = (await this.endpoints(tenantId)).filter((e) => subscribed(e, eventType));
    if (!endpoints.length) return 0;
    const envelope: WebhookEnvelope = {
      id: randomUUID(),
      type: eventType,
      createdAt: new Date().toISOString(),
      data: payload,
    };
    const body = JSON.stringify(envelope);
    await Promise.all(endpoints.map((e) => this.runner.start(e, envelope.id, eventType, body)));
    return endpoints.length;
  }

  /** Whether anything would be sent: lets a publisher skip building a costly payload. */
  async wants(tenantId: string, eventType: string): Promise<boolean> {
    return (await this.endpoints(tenantId)).some((e) => subscribed(e, eventType));
  }

  /** Called when the tenant's endpoints change, so this process uses the new list at once. */
  forget(tenantId: string): void {
    this.cache.delete(tenantId);
  }

  private endpoints(tenantId: string): Promise<WebhookEndpoint[]> {
    const hit = this.cache.get(tenantId);
    if (hit && Date.now() - hit.at < ENDPOINTS_CACHE_MS) return hit.endpoints;
    const endpoints = this.dataSource.getRepository(WebhookEndpoint).find({ where: { tenantId, enabled: true } });
    this.cache.set(tenantId, { at: Date.now(), endpoints });
    endpoints.catch(() => this.cache.delete(tenantId));
    return endpoints;
  }
}

const subscribed = (endpoint: WebhookEndpoint, eventType: string) =>
  (JSON.parse(endpoint.events) as string[]).includes(eventType);
