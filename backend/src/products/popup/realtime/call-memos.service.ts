import {
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Brackets, DataSource, IsNull, LessThan } from 'typeorm';
import { Principal, RequestContext } from '../../../core/tenancy/request-context';
import { User } from '../../../core/users/user.entity';
import { normaliseNumber } from '../../recordings/phone-number';
import { CallSearchService } from '../../recordings/search/call-search.service';
import { CallUpdateService } from '../../recordings/search/call-update';
import { PopupCallMemo } from './popup-routing.entities';
import { callKey } from './popup-protocol';
import { RINGING_CALLS, RingingCalls } from './ringing-calls';

export interface CallMemoView {
  id: string;
  siteId: string;
  sipCallId: string;
  text: string;
  /** pending: the recording has not arrived yet; attached: the memo is in the call's notes. */
  status: 'pending' | 'attached';
  callId: string | null;
  createdAt: string;
}

/** The recorded call starts at the same INVITE the capture reported ringing; clocks and rounding differ by little. */
const START_WINDOW_MS = 5_000;
const SWEEP_EVERY_MS = 3_000;
const CLAIM_MS = 60_000;
/** A memo whose recording never arrives (not recorded, deleted) stops being looked for after this. */
const GIVE_UP_MS = 24 * 3600 * 1000;
const SEES_ALL = new Set(['tenantAdmin', 'supervisor']);

/**
 * Memos typed into a popup. Saved at once, keyed by the call's site and SIP Call-ID; appended to the
 * recorded call's notes (as the memo's author, through the recording store's own update path, so the
 * audit log names them) as soon as the recording is ingested.
 */
@Injectable()
export class CallMemos implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CallMemos.name);
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(RINGING_CALLS) private readonly ringing: RingingCalls,
    private readonly search: CallSearchService,
    private readonly updates: CallUpdateService,
    private readonly context: RequestContext,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), SWEEP_EVERY_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
  }

  /** 404 unless the call rang for this user (or they supervise) at the site within the last two hours. */
  async save(principal: Principal, siteId: string, sipCallId: string, text: string): Promise<CallMemoView> {
    const entry = await this.ringing.find(principal.tenantId, callKey(siteId, sipCallId));
    const allowed = entry && (entry.targets.includes(principal.id) || principal.roles.some((r) => SEES_ALL.has(r)));
    if (!entry || !allowed) throw new NotFoundException('call not found: no recent popup of this call for you');
    const memo: PopupCallMemo = {
      id: randomUUID(),
      tenantId: principal.tenantId,
      userId: principal.id,
      siteId,
      sipCallId,
      caller: entry.call.number.dialled,
      callee: entry.call.calledNumber.dialled,
      ringingAt: new Date(entry.call.ringingAt),
      text,
      callId: null,
      attachedAt: null,
      claimedUntil: null,
      createdAt: new Date(),
    };
    await this.dataSource.getRepository(PopupCallMemo).insert(memo);
    if (entry.endedAt) await this.attach(memo);
    return viewOf(memo);
  }

  /** The user's memos on one call, oldest first. */
  async mine(principal: Principal, siteId: string, sipCallId: string): Promise<CallMemoView[]> {
    const rows = await this.dataSource.getRepository(PopupCallMemo).find({
      where: { tenantId: principal.tenantId, userId: principal.id, siteId, sipCallId },
      order: { createdAt: 'ASC' },
    });
    return rows.map(viewOf);
  }

  /** Attaches the pending memos whose recording has arrived. One sweep at a time per process. */
  sweep(): Promise<void> {
    this.sweeping ??= this.attachPending()
      .catch((error: Error) => this.logger.warn(`popup memos: ${error.message}`))
      .finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  private async attachPending(): Promise<void> {
    const now = new Date();
    const pending = await this.dataSource
      .getRepository(PopupCallMemo)
      .createQueryBuilder('m')
      .where('m.attachedAt IS NULL AND m.createdAt > :since', { since: new Date(now.getTime() - GIVE_UP_MS) })
      .andWhere(new Brackets((w) => w.where('m.claimedUntil IS NULL').orWhere('m.claimedUntil < :now', { now })))
      .orderBy('m.createdAt', 'ASC')
      .limit(100)
      .getMany();
    for (const memo of pending) {
      const entry = await this.ringing.find(memo.tenantId, callKey(memo.siteId, memo.sipCallId));
      if (entry && !entry.endedAt) continue; // still in progress: nothing is recorded yet
      await this.attach(memo);
    }
  }

  private async attach(memo: PopupCallMemo): Promise<void> {
    const repo = this.dataSource.getRepository(PopupCallMemo);
    const now = new Date();
    const claimed = await repo.update(
      [
        { id: memo.id, attachedAt: IsNull(), claimedUntil: IsNull() },
        { id: memo.id, attachedAt: IsNull(), claimedUntil: LessThan(now) },
      ],
      { claimedUntil: new Date(now.getTime() + CLAIM_MS) },
    );
    if (!claimed.affected) return;
    try {
      const author = await this.dataSource
        .getRepository(User)
        .findOne({ where: { id: memo.userId, tenantId: memo.tenantId, disabled: false } });
      const callId = author ? await this.asAuthor(author, () => this.appendToCall(memo)) : null;
      if (callId) {
        await repo.update({ id: memo.id }, { callId, attachedAt: new Date(), claimedUntil: null });
        memo.callId = callId;
        memo.attachedAt = new Date();
        return;
      }
    } catch (error) {
      this.logger.warn(`popup memo ${memo.id} not attached yet: ${(error as Error).message}`);
    }
    await repo.update({ id: memo.id, attachedAt: IsNull() }, { claimedUntil: null });
  }

  /** The recorded call of the memo, if it has arrived and its author may see it: its notes get the memo. */
  private async appendToCall(memo: PopupCallMemo): Promise<string | null> {
    const caller = normaliseNumber(memo.caller);
    const callee = normaliseNumber(memo.callee);
    const digits = caller.digits || callee.digits;
    const qb = await this.search.matching(
      digits ? { siteId: memo.siteId, number: digits, numberMatch: 'exact' } : { siteId: memo.siteId },
    );
    const at = memo.ringingAt.getTime();
    const candidates = await qb
      .andWhere('c.startedAt > :earliest AND c.startedAt < :latest', {
        earliest: new Date(at - START_WINDOW_MS),
        latest: new Date(at + START_WINDOW_MS),
      })
      .limit(20)
      .getMany();
    const call = candidates
      .filter((c) => c.callerDigits === caller.digits && c.calleeDigits === callee.digits)
      .sort((a, b) => Math.abs(a.startedAt.getTime() - at) - Math.abs(b.startedAt.getTime() - at))[0];
    if (!call) return null;
    const notes = call.notes ? `${call.notes}\n\n${memo.text}` : memo.text;
    await this.updates.update(call.id, { notes });
    return call.id;
  }

  private asAuthor<T>(author: User, work: () => Promise<T>): Promise<T> {
    const principal: Principal = {
      kind: 'user',
      id: author.id,
      tenantId: author.tenantId,
      email: author.email,
      roles: author.roles,
    };
    return this.context.runAsTenant(author.tenantId, work, principal);
  }
}

const viewOf = (m: PopupCallMemo): CallMemoView => ({
  id: m.id,
  siteId: m.siteId,
  sipCallId: m.sipCallId,
  text: m.text,
  status: m.attachedAt ? 'attached' : 'pending',
  callId: m.callId,
  createdAt: m.createdAt.toISOString(),
});
