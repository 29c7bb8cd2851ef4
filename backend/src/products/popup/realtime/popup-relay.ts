import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import type { CallEvent } from '../../flexlog/events/call-event.dto';
import { CallEventsService } from '../../flexlog/events/call-events.service';
import { PopupPayloads } from './popup-payload';
import { callKey, POPUP_EVENTS, PopupAnswered, PopupEnded, PopupRinging, PopupSynced } from './popup-protocol';
import { PopupSocketGateway, SocketUser } from './popup-socket.gateway';
import { RINGING_CALLS, RingingCall, RingingCalls } from './ringing-calls';
import { TenantRoutings } from './tenant-routing';

/**
 * Turns the capture's call events into popups: on ringing, the popup goes to the available users
 * of the extension and of the line; on answered, every PC that popped learns who picked up; on
 * ended, the popups close. A socket that (re)connects gets the calls still in progress for its user.
 */
@Injectable()
export class PopupRelay implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(PopupRelay.name);
  /** Events of one call are handled in order: an answer never overtakes the ring still being looked up. */
  private readonly chains = new Map<string, Promise<void>>();
  private subscription: Subscription | undefined;
  private stopResume: (() => void) | undefined;

  constructor(
    private readonly events: CallEventsService,
    private readonly routings: TenantRoutings,
    private readonly payloads: PopupPayloads,
    private readonly gateway: PopupSocketGateway,
    @Inject(RINGING_CALLS) private readonly ringing: RingingCalls,
  ) {}

  onModuleInit(): void {
    this.subscription = this.events.all$.subscribe((event) => this.enqueue(event));
    this.stopResume = this.gateway.onConnected((user, send) => {
      this.resume(user, send).catch((error: Error) => this.logger.warn(`popup resume failed: ${error.message}`));
    });
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
    this.stopResume?.();
  }

  /** Settles when every event received so far has been delivered (tests and shutdown). */
  async idle(): Promise<void> {
    while (this.chains.size) await Promise.all([...this.chains.values()]);
  }

  private enqueue(event: CallEvent): void {
    // Nobody answers an outgoing call: it has no popup.
    if (event.direction === 'outbound') return;
    const key = `${event.tenantId} ${callKey(event.siteId, event.callId)}`;
    const next = (this.chains.get(key) ?? Promise.resolve())
      .then(() => this.handle(event))
      .catch((error: Error) => this.logger.warn(`popup for call ${event.callId} failed: ${error.message}`));
    this.chains.set(key, next);
    void next.finally(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
  }

  private async handle(event: CallEvent): Promise<void> {
    if (event.type === 'ringing') return this.ring(event);
    if (event.type === 'answered') return this.answer(event);
    return this.end(event);
  }

  private async ring(event: CallEvent): Promise<void> {
    const key = callKey(event.siteId, event.callId);
    if (await this.ringing.find(event.tenantId, key)) return; // a repeated ring of a call already popped
    const targets = (await this.routings.get(event.tenantId)).targetsOf(event);
    if (!targets.length) return;
    const call = await this.payloads.callOf(event);
    const histories = await this.payloads.histories(event.tenantId, call, targets);
    // Stored before it is sent: a socket reconnecting in between gets it twice (same key) rather than never.
    await this.ringing.open({
      tenantId: event.tenantId,
      call,
      targets,
      answeredBy: null,
      answeredAt: null,
      endedAt: null,
    });
    for (const userId of targets) {
      const popup: PopupRinging = {
        ...call,
        history: histories.get(userId) ?? [],
        resumed: false,
        answeredBy: null,
        answeredAt: null,
      };
      this.gateway.toUser({ tenantId: event.tenantId, userId }, POPUP_EVENTS.ringing, popup);
    }
  }

  private async answer(event: CallEvent): Promise<void> {
    const entry = await this.ringing.find(event.tenantId, callKey(event.siteId, event.callId));
    if (!entry || entry.endedAt || entry.answeredAt) return;
    const routing = await this.routings.get(event.tenantId);
    const answeredBy = routing.person(routing.userAt(event.extension));
    await this.ringing.open({ ...entry, answeredBy, answeredAt: event.at });
    const message: PopupAnswered = {
      key: entry.call.key,
      extension: event.extension,
      answeredBy,
      answeredAt: event.at,
    };
    this.gateway.toUsers(event.tenantId, entry.targets, POPUP_EVENTS.answered, message);
  }

  private async end(event: CallEvent): Promise<void> {
    const entry = await this.ringing.close(event.tenantId, callKey(event.siteId, event.callId), event.at);
    if (!entry) return;
    const message: PopupEnded = { key: entry.call.key, endedAt: event.at };
    this.gateway.toUsers(event.tenantId, entry.targets, POPUP_EVENTS.ended, message);
  }

  /** Sends the reconnected socket (only it: the user's other PCs have them) the calls still in progress. */
  private async resume(user: SocketUser, send: (event: string, payload: unknown) => void): Promise<void> {
    const mine = (await this.ringing.inProgress(user.tenantId)).filter((e) => e.targets.includes(user.userId));
    for (const entry of mine) send(POPUP_EVENTS.ringing, await this.resumed(user, entry));
    const synced: PopupSynced = { keys: mine.map((e) => e.call.key) };
    send(POPUP_EVENTS.synced, synced);
  }

  private async resumed(user: SocketUser, entry: RingingCall): Promise<PopupRinging> {
    const histories = await this.payloads.histories(user.tenantId, entry.call, [user.userId]);
    return {
      ...entry.call,
      history: histories.get(user.userId) ?? [],
      resumed: true,
      answeredBy: entry.answeredBy,
      answeredAt: entry.answeredAt,
    };
  }
}
