import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { RequestContext } from '../../../core/tenancy/request-context';
import { WebhookPublisher } from '../../../core/webhooks/webhook-publisher';
import type { CallEvent } from '../../flexlog/events/call-event.dto';
import { CallEventsService } from '../../flexlog/events/call-events.service';
import { normaliseNumber, NormalisedNumber } from '../../recordings/phone-number';
import { CUSTOMER_MATCHER, CustomerCard, CustomerMatcher } from '../realtime/customer-matcher';
import { callKey, PopupUser } from '../realtime/popup-protocol';
import { TenantRoutings } from '../realtime/tenant-routing';

/** Calls whose customers are remembered between ringing and ended (bounded: ended calls are dropped). */
const REMEMBERED_CALLS = 5_000;

/** What receivers get as `data` of call.ringing / call.answered / call.ended (docs/popup-integrations.md). */
export interface CallWebhookData {
  key: string;
  siteId: string;
  siteName: string;
  sipCallId: string;
  lineName: string | null;
  direction: string;
  extension: string | null;
  at: string;
  /** The other party: the caller of an inbound call, the callee of an outbound one. */
  number: NormalisedNumber;
  calledNumber: NormalisedNumber;
  callerName: string | null;
  /** Directory customers having the number (the popup's card); empty when none or withheld. */
  customers: CustomerCard[];
  /** Who picked up (answered and ended), when the extension belongs to a user. */
  answeredBy: PopupUser | null;
}

/**
 * 応対力's call events as webhooks: call.ringing, call.answered and call.ended, each with the
 * matched customers. Customers are looked up once per call (at its first event) and reused for
 * the later ones; nothing is looked up for a tenant without an endpoint wanting the event.
 * Events of one call are published in order.
 */
@Injectable()
export class PopupCallWebhooks implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(PopupCallWebhooks.name);
  private readonly customersOfCall = new Map<string, Promise<CustomerCard[]>>();
  private readonly chains = new Map<string, Promise<void>>();
  private subscription: Subscription | undefined;

  constructor(
    private readonly events: CallEventsService,
    private readonly publisher: WebhookPublisher,
    private readonly routings: TenantRoutings,
    private readonly context: RequestContext,
    @Inject(CUSTOMER_MATCHER) private readonly customers: CustomerMatcher,
  ) {}

  onModuleInit(): void {
    this.subscription = this.events.all$.subscribe((event) => this.enqueue(event));
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  /** Settles when every event received so far has been published (tests). */
  async idle(): Promise<void> {
    while (this.chains.size) await Promise.all([...this.chains.values()]);
  }

  private enqueue(event: CallEvent): void {
    const key = `${event.tenantId} ${callKey(event.siteId, event.callId)}`;
    const next = (this.chains.get(key) ?? Promise.resolve())
      .then(() => this.publish(event, key))
      .catch((error: Error) => this.logger.warn(`webhook for call ${event.callId} failed: ${error.message}`));
    this.chains.set(key, next);
    void next.finally(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
  }

  private async publish(event: CallEvent, key: string): Promise<void> {
    const type = `call.${event.type}`;
    if (!(await this.publisher.wants(event.tenantId, type))) {
      if (event.type === 'ended') this.customersOfCall.delete(key);
      return;
    }
    const number = normaliseNumber(event.direction === 'outbound' ? event.callee : event.caller);
    const customers = await this.customersFor(key, event.tenantId, number);
    if (event.type === 'ended') this.customersOfCall.delete(key);
    const routing = event.type === 'ringing' ? null : await this.routings.get(event.tenantId);
    const person = routing?.person(routing.userAt(event.extension)) ?? null;
    const data: CallWebhookData = {
      key: callKey(event.siteId, event.callId),
      siteId: event.siteId,
      siteName: event.siteName,
      sipCallId: event.callId,
      lineName: event.lineName,
      direction: event.direction,
      extension: event.extension,
      at: event.at,
      number,
      calledNumber: normaliseNumber(event.direction === 'outbound' ? event.caller : event.callee),
      callerName: event.callerName,
      customers,
      answeredBy: person,
    };
    await this.publisher.publish(event.tenantId, type, data);
  }

  private customersFor(key: string, tenantId: string, number: NormalisedNumber): Promise<CustomerCard[]> {
    const known = this.customersOfCall.get(key);
    if (known) return known;
    const found = number.e164
      ? this.context
          .runAsTenant(tenantId, () => this.customers.matchNumber(number.e164 as string))
          .catch((error: Error) => {
            this.logger.warn(`customer lookup for a webhook failed: ${error.message}`);
            return [] as CustomerCard[];
          })
      : Promise.resolve([]);
    this.customersOfCall.set(key, found);
    if (this.customersOfCall.size > REMEMBERED_CALLS) {
      this.customersOfCall.delete(this.customersOfCall.keys().next().value as string);
    }
    return found;
  }
}
