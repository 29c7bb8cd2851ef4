import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { RequestContext } from '../../../../core/tenancy/request-context';
import { TenantKeysService } from '../../../../core/tenancy/tenant-keys.service';
import { SecretBox } from '../../../../platform/crypto/secret-box';
import { JOB_QUEUE, JobQueue } from '../../../../platform/queue/job-queue';
import type { CallEvent } from '../../../flexlog/events/call-event.dto';
import { CallEventsService } from '../../../flexlog/events/call-events.service';
import { normaliseNumber } from '../../../recordings/phone-number';
import { CUSTOMER_MATCHER, CustomerMatcher } from '../../realtime/customer-matcher';
import { callKey } from '../../realtime/popup-protocol';
import { TenantRoutings } from '../../realtime/tenant-routing';
import { addRecord, KintoneError } from './kintone-client';
import { HistoryField } from './kintone-rules';
import { KintoneService } from './kintone.service';

export const KINTONE_HISTORY_QUEUE = 'popup-kintone-history';
/** The first try and four retries, with the queue's exponential backoff. */
const ATTEMPTS = 5;
/** Calls followed between ringing and ended (bounded: the oldest are dropped). */
const FOLLOWED = 5_000;

type HistoryValues = Record<HistoryField, string | null>;
interface HistoryJob {
  tenantId: string;
  /** The values carry a number and a customer name: sealed with the tenant's key while queued in Redis. */
  sealed: string;
  keyId: string;
}

/** kintone's DATETIME format: 2026-11-24T05:00:00Z (seconds, UTC). */
const kintoneTime = (iso: string | null) => (iso ? new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z') : null);
const PURPOSE = 'popup-kintone-history-job';

/**
 * Writes each ended call to the tenant's kintone history app (POST /k/v1/record.json), through
 * the job queue with retries. A refusal by kintone itself (4xx with its error JSON, e.g. CB_VA01
 * for a required field) is not retried: it would fail the same way; it is shown on the settings page.
 */
@Injectable()
export class KintoneHistory implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(KintoneHistory.name);
  private readonly calls = new Map<
    string,
    { ringingAt: string | null; answeredAt: string | null; extension: string | null }
  >();
  private readonly chains = new Map<string, Promise<void>>();
  private subscription: Subscription | undefined;

  constructor(
    private readonly events: CallEventsService,
    private readonly kintone: KintoneService,
    private readonly routings: TenantRoutings,
    private readonly context: RequestContext,
    private readonly tenantKeys: TenantKeysService,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    @Inject(CUSTOMER_MATCHER) private readonly customers: CustomerMatcher,
  ) {}

  onModuleInit(): void {
    this.subscription = this.events.all$.subscribe((event) => this.follow(event));
    this.queue.process<HistoryJob>(KINTONE_HISTORY_QUEUE, 2, (job) => this.write(job));
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  /** Settles when every ended call seen so far has been queued (tests). */
  async idle(): Promise<void> {
    while (this.chains.size) await Promise.all([...this.chains.values()]);
  }

  private follow(event: CallEvent): void {
    const key = `${event.tenantId} ${callKey(event.siteId, event.callId)}`;
    const call = this.calls.get(key) ?? { ringingAt: null, answeredAt: null, extension: null };
    if (event.type === 'ringing') call.ringingAt ??= event.at;
    if (event.type === 'answered') Object.assign(call, { answeredAt: event.at, extension: event.extension });
    this.calls.set(key, call);
    if (this.calls.size > FOLLOWED) this.calls.delete(this.calls.keys().next().value as string);
    if (event.type !== 'ended') return;
    this.calls.delete(key);
    const next = this.enqueue(event, call)
      .catch((error: Error) => this.logger.warn(`kintone history of call ${event.callId} not queued: ${error.message}`))
      .finally(() => this.chains.delete(key));
    this.chains.set(key, next);
  }

  private async enqueue(
    event: CallEvent,
    call: { ringingAt: string | null; answeredAt: string | null; extension: string | null },
  ): Promise<void> {
    const row = await this.kintone.row(event.tenantId);
    if (!row?.enabled || !row.historyEnabled) return;
    const number = normaliseNumber(event.direction === 'outbound' ? event.callee : event.caller);
    const customers = number.e164
      ? await this.context
          .runAsTenant(event.tenantId, () => this.customers.matchNumber(number.e164 as string))
          .catch(() => [])
      : [];
    const customerName =
      customers[0]?.name ?? (await this.kintone.cardsFor(event.tenantId, number).catch(() => []))[0]?.name ?? null;
    const routing = await this.routings.get(event.tenantId);
    const extension = call.extension ?? event.extension;
    const talkSeconds = call.answeredAt
      ? Math.max(0, Math.round((Date.parse(event.at) - Date.parse(call.answeredAt)) / 1000))
      : 0;
    const values: HistoryValues = {
      number: number.withheld ? '非通知' : number.display,
      customerName,
      direction: event.direction,
      extension,
      lineName: event.lineName,
      answeredBy: call.answeredAt ? (routing.person(routing.userAt(extension))?.displayName ?? null) : null,
      ringingAt: kintoneTime(call.ringingAt),
      answeredAt: kintoneTime(call.answeredAt),
      endedAt: kintoneTime(event.at),
      talkSeconds: String(talkSeconds),
      callKey: callKey(event.siteId, event.callId),
    };
    const { keyId, dataKey } = await this.tenantKeys.current(event.tenantId);
    const sealed = new SecretBox(dataKey, PURPOSE).seal(JSON.stringify(values));
    await this.queue.add<HistoryJob>(
      KINTONE_HISTORY_QUEUE,
      { tenantId: event.tenantId, sealed, keyId },
      { attempts: ATTEMPTS },
    );
  }

  private async write(job: HistoryJob): Promise<void> {
    const row = await this.kintone.row(job.tenantId);
    if (!row?.enabled || !row.historyEnabled || !row.historyAppId) return;
    const values = JSON.parse(
      new SecretBox(await this.tenantKeys.byId(job.tenantId, job.keyId), PURPOSE).open(job.sealed),
    ) as HistoryValues;
    const mapping = JSON.parse(row.historyMapping) as Partial<Record<HistoryField, string>>;
    const record: Record<string, { value: unknown }> = {};
    for (const [field, code] of Object.entries(mapping)) {
      const value = values[field as HistoryField];
      if (code && value !== null && value !== undefined) record[code] = { value };
    }
    const { historyApiToken } = await this.kintone.tokens(row);
    try {
      await addRecord(row.baseUrl, row.historyAppId, historyApiToken ?? '', record, row.timeoutMs);
      await this.kintone.noteWriteBack(job.tenantId, null);
    } catch (error) {
      await this.kintone.noteWriteBack(job.tenantId, (error as Error).message);
      const refused =
        error instanceof KintoneError &&
        error.httpStatus !== null &&
        error.httpStatus < 500 &&
        error.httpStatus !== 429;
      if (refused) {
        this.logger.warn(`kintone refused the history record of tenant ${job.tenantId}: ${(error as Error).message}`);
        return;
      }
      throw error; // the queue retries with backoff
    }
  }
}
