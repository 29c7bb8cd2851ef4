import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Brackets, DataSource, In, LessThan, Repository } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { JOB_QUEUE, JobQueue } from '../../platform/queue/job-queue';
import { postWebhook, WEBHOOK_TIMEOUT_MS } from './webhook-http';
import { WebhookSealing } from './webhook-secrets';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, webhookSignature } from './webhook-signing';
import { WebhookDelivery, WebhookEndpoint } from './webhook.entities';

export const WEBHOOK_QUEUE = 'webhook-delivery';
/** The first try and five retries: with the default 30 s base the last one is about 15 min after the event. */
export const WEBHOOK_MAX_ATTEMPTS = 6;
/** An attempt's lease: after this the poller assumes its process died and runs it again. */
const LEASE_MS = WEBHOOK_TIMEOUT_MS + 30_000;
/** Finished deliveries are kept this long in the log. */
const KEEP_DAYS = 30;

interface DeliveryJob {
  deliveryId: string;
}

/** Wait before retry `n` (1-based): base, 2x base, 4x base… */
export const retryDelayMs = (baseMs: number, failedAttempts: number) => baseMs * 2 ** (failedAttempts - 1);

/**
 * Runs webhook deliveries. Each attempt is one job on the job queue (bull on Redis, so any backend
 * or worker process may run it). A failed attempt is not retried by the queue: the delivery row
 * gets its next attempt time (exponential backoff, shown in the log), and a poller in every process
 * queues rows that are due. The schedule thus lives in the database, survives restarts and is
 * visible to admins; a row is queued once because claiming it is a conditional UPDATE.
 */
@Injectable()
export class WebhookDeliveryRunner implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(WebhookDeliveryRunner.name);
  private readonly deliveries: Repository<WebhookDelivery>;
  private readonly endpoints: Repository<WebhookEndpoint>;
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private lastPrune = 0;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sealing: WebhookSealing,
  ) {
    this.deliveries = dataSource.getRepository(WebhookDelivery);
    this.endpoints = dataSource.getRepository(WebhookEndpoint);
  }

  onModuleInit(): void {
    this.queue.process<DeliveryJob>(WEBHOOK_QUEUE, 4, (job) => this.attempt(job.deliveryId));
    // Poll at half the first retry's wait (within 20 ms - 5 s): retries run close to their time.
    const every = Math.min(5_000, Math.max(20, Math.floor(this.config.webhooks.retryBaseMs / 2)));
    this.timer = setInterval(() => void this.poll(), every);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** Stores a new delivery of `body` to the endpoint, claimed, and queues its first attempt. */
  async start(
    endpoint: WebhookEndpoint,
    eventId: string,
    eventType: string,
    body: string,
    resentFrom: string | null = null,
  ): Promise<WebhookDelivery> {
    const sealed = await this.sealing.sealBody(endpoint.tenantId, body);
    const now = new Date();
    const delivery = this.deliveries.create({
      id: randomUUID(),
      tenantId: endpoint.tenantId,
      endpointId: endpoint.id,
      eventId,
      eventType,
      body: sealed.sealed,
      bodyKeyId: sealed.keyId,
      status: 'pending',
      attempts: 0,
      maxAttempts: WEBHOOK_MAX_ATTEMPTS,
      httpStatus: null,
      durationMs: null,
      error: null,
      nextAttemptAt: now,
      claimedUntil: new Date(now.getTime() + LEASE_MS),
      lastAttemptAt: null,
      resentFrom,
      createdAt: now,
    });
    await this.deliveries.insert(delivery);
    // If queuing fails the lease runs out and the poller queues it: the event is not lost.
    await this.queue
      .add<DeliveryJob>(WEBHOOK_QUEUE, { deliveryId: delivery.id }, { attempts: 1 })
      .catch((error: Error) => this.logger.warn(`webhook delivery ${delivery.id} not queued: ${error.message}`));
    return delivery;
  }

  /** One attempt; never throws for a receiver's failure (that is recorded, and retried by schedule). */
  async attempt(deliveryId: string): Promise<void> {
    const delivery = await this.deliveries.findOne({ where: { id: deliveryId } });
    if (!delivery || (delivery.status !== 'pending' && delivery.status !== 'retrying')) return;
    const endpoint = await this.endpoints.findOne({ where: { id: delivery.endpointId, tenantId: delivery.tenantId } });
    if (!endpoint || !endpoint.enabled) {
      await this.finish(delivery, { status: 'cancelled', error: 'endpoint disabled or removed' });
      return;
    }
    let secret: string;
    let body: string;
    try {
      secret = await this.sealing.openSecret(endpoint.tenantId, endpoint.secret, endpoint.secretKeyId);
      body = await this.sealing.openBody(delivery.tenantId, delivery.body, delivery.bodyKeyId);
    } catch (error) {
      // The tenant's keys are gone (shredded): nothing can be sent, ever.
      await this.finish(delivery, { status: 'failed', error: `cannot open: ${(error as Error).message}` });
      return;
    }
    const timestamp = Math.floor(Date.now() / 1000);
    const outcome = await postWebhook(endpoint.url, body, {
      [SIGNATURE_HEADER]: webhookSignature(secret, timestamp, body),
      [TIMESTAMP_HEADER]: String(timestamp),
      [DELIVERY_HEADER]: delivery.id,
      [EVENT_HEADER]: delivery.eventType,
    });
    const attempts = delivery.attempts + 1;
    const common = {
      attempts,
      httpStatus: outcome.httpStatus,
      durationMs: outcome.durationMs,
      error: outcome.error,
      lastAttemptAt: new Date(),
    };
    if (outcome.ok) return this.finish(delivery, { ...common, status: 'succeeded' });
    if (attempts >= delivery.maxAttempts) return this.finish(delivery, { ...common, status: 'failed' });
    const wait = retryDelayMs(this.config.webhooks.retryBaseMs, attempts);
    await this.deliveries.update(
      { id: delivery.id },
      { ...common, status: 'retrying', nextAttemptAt: new Date(Date.now() + wait), claimedUntil: null },
    );
  }

  /** Queues every delivery that is due and not claimed by a live attempt. */
  async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const now = new Date();
      const due = await this.deliveries
        .createQueryBuilder('d')
        .select(['d.id'])
        .where('d.status IN (:...open)', { open: ['pending', 'retrying'] })
        .andWhere('d.nextAttemptAt <= :now', { now })
        .andWhere(new Brackets((b) => b.where('d.claimedUntil IS NULL').orWhere('d.claimedUntil < :now', { now })))
        .orderBy('d.nextAttemptAt', 'ASC')
        .limit(100)
        .getMany();
      for (const { id } of due) {
        const claimed = await this.deliveries
          .createQueryBuilder()
          .update()
          .set({ claimedUntil: new Date(Date.now() + LEASE_MS) })
          .where('id = :id', { id })
          .andWhere(new Brackets((b) => b.where('claimedUntil IS NULL').orWhere('claimedUntil < :now', { now })))
          .execute();
        if (claimed.affected === 1)
          await this.queue.add<DeliveryJob>(WEBHOOK_QUEUE, { deliveryId: id }, { attempts: 1 });
      }
      await this.prune();
    } catch (error) {
      this.logger.warn(`webhook retry poll failed: ${(error as Error).message}`);
    } finally {
      this.polling = false;
    }
  }

  private async finish(delivery: WebhookDelivery, change: Partial<WebhookDelivery>): Promise<void> {
    await this.deliveries.update({ id: delivery.id }, { ...change, nextAttemptAt: null, claimedUntil: null });
  }

  private async prune(): Promise<void> {
    if (Date.now() - this.lastPrune < 3_600_000) return;
    this.lastPrune = Date.now();
    await this.deliveries.delete({
      status: In(['succeeded', 'failed', 'cancelled']),
      createdAt: LessThan(new Date(Date.now() - KEEP_DAYS * 86_400_000)),
    });
  }
}
