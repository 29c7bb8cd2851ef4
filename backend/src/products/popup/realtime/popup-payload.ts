import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { RequestContext } from '../../../core/tenancy/request-context';
import type { CallEvent } from '../../flexlog/events/call-event.dto';
import { normaliseNumber } from '../../recordings/phone-number';
import { CallSearchService } from '../../recordings/search/call-search.service';
import { EXTERNAL_CARDS, ExternalCardSource } from '../integrations/external-cards';
import { CUSTOMER_MATCHER, CustomerMatcher } from './customer-matcher';
import { callKey, PopupCall, PopupHistoryItem } from './popup-protocol';
import { TenantRoutings } from './tenant-routing';

/** How many earlier calls with the number a popup lists. */
export const HISTORY_SIZE = 30;
/** How many of the newest calls with the number one lookup reads for all the popup's viewers. */
const HISTORY_WINDOW = 200;

/**
 * Builds what a popup shows: the number, its line, the matching customers and the last calls with
 * that number. The history is per viewer: an operator limited to their own calls by the recording
 * policy sees only those, exactly as the call search would show them.
 */
@Injectable()
export class PopupPayloads {
  private readonly logger = new Logger(PopupPayloads.name);

  constructor(
    @Inject(CUSTOMER_MATCHER) private readonly customers: CustomerMatcher,
    private readonly search: CallSearchService,
    private readonly routings: TenantRoutings,
    private readonly context: RequestContext,
    @Optional() @Inject(EXTERNAL_CARDS) private readonly external: ExternalCardSource | null = null,
  ) {}

  /** The caller's side of an inbound call; the other party of any other call rings the extension. */
  async callOf(event: CallEvent): Promise<PopupCall> {
    const number = normaliseNumber(event.caller);
    // Asked at the same time as the directory; each external source is bounded by its own timeout.
    const external = this.external ? this.external.cardsFor(event.tenantId, number) : Promise.resolve([]);
    const customers = number.e164
      ? await this.context
          .runAsTenant(event.tenantId, () => this.customers.matchNumber(number.e164 as string))
          .catch((error: Error) => {
            // The popup still helps without the card: who calls, on which line, and the history.
            this.logger.warn(`customer lookup failed: ${error.message}`);
            return [];
          })
      : [];
    const externalCards = await external;
    return {
      key: callKey(event.siteId, event.callId),
      siteId: event.siteId,
      siteName: event.siteName,
      sipCallId: event.callId,
      lineName: event.lineName,
      direction: event.direction,
      extension: event.extension,
      callerName: event.callerName,
      number,
      calledNumber: normaliseNumber(event.callee),
      ringingAt: event.at,
      acceptedAt: event.receivedAt,
      customers,
      ...(externalCards.length ? { externalCards } : {}),
    };
  }

  /**
   * The history each of `userIds` sees for the call's number. One query for all of them (a ringing
   * call pops up on many PCs at once): the newest HISTORY_WINDOW calls with the number, of which a user
   * who sees every call gets the first 30, and an operator limited to their own calls by the recording
   * policy gets their own among them (up to 30; own calls older than the window are not listed).
   */
  async histories(tenantId: string, call: PopupCall, userIds: string[]): Promise<Map<string, PopupHistoryItem[]>> {
    const out = new Map<string, PopupHistoryItem[]>(userIds.map((id) => [id, []]));
    if (call.number.withheld || !call.number.digits || !userIds.length) return out;
    const [routing, calls] = await Promise.all([
      this.routings.get(tenantId),
      // No principal: the call search's filters without a viewer; the viewers' rule is applied below.
      this.context.runAsTenant(tenantId, async () =>
        (await this.search.matching({ number: call.number.digits, numberMatch: 'exact' }))
          .limit(HISTORY_WINDOW)
          .getMany(),
      ),
    ]);
    const items = calls.map((c) => ({
      userId: c.userId,
      item: {
        callId: c.id,
        startedAt: c.startedAt.toISOString(),
        direction: c.direction,
        disposition: c.disposition,
        talkSeconds: c.talkSeconds,
        answeredBy: routing.person(c.userId),
      },
    }));
    for (const userId of userIds) {
      const visible = routing.seesOwnCallsOnly(userId) ? items.filter((i) => i.userId === userId) : items;
      out.set(
        userId,
        visible.slice(0, HISTORY_SIZE).map((i) => i.item),
      );
    }
    return out;
  }
}
