import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, SelectQueryBuilder } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../../config/app-config';
import { fieldError } from '../../../platform/http/field-errors';
import { RequestContext } from '../../../core/tenancy/request-context';
import { InjectTenantRepository, TenantRepository } from '../../../core/tenancy/tenant-repository';
import { TenantsService } from '../../../core/tenancy/tenants.service';
import { Call } from '../call.entity';
import { reversedDigits, searchDigits } from '../phone-number';
import { RecordingPolicyService } from '../policy/recording-policy.service';
import { CallSearchDto } from './call-search.dto';
import { CallCursor, decodeCursor, encodeCursor } from './call-cursor';
import { isDateOnly, zonedToUtc } from './zoned-time';

/** Exact counts stop here; beyond it the answer is "at least this many". */
export const COUNT_LIMIT = 10_000;
/**
 * Prefixes at least this long walk the party-number indexes. Measured over 10 M calls a month
 * (docs/benchmarks.md): 5 digits (03xxx) match about 0.03 % of calls, so a newest-first walk of the time
 * index would pass some 150,000 entries for a page; 4 digits and fewer (03xx, 090, 03) match often
 * enough that the walk of ix_calls_started_digits finds a page within about 15,000 entries, without
 * reading a row, while a party walk would read and sort every match of the month.
 */
const SELECTIVE_DIGITS = 5;
const SELECTIVE_SUFFIX_DIGITS = 4;

type Party = 'caller' | 'callee';

export interface CallPage {
  items: Call[];
  nextCursor: string | null;
  total: { value: number; exact: boolean };
  plan: 'time-index' | 'party-index';
}

@Injectable()
export class CallSearchService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectTenantRepository(Call) private readonly calls: TenantRepository<Call>,
    private readonly tenants: TenantsService,
    private readonly context: RequestContext,
    private readonly policies: RecordingPolicyService,
  ) {}

  async search(dto: CallSearchDto): Promise<CallPage> {
    const limit = dto.limit ?? 50;
    const desc = (dto.sort ?? 'desc') === 'desc';
    const cursor = dto.cursor ? decodeCursor(dto.cursor) : undefined;
    const timeZone = (await this.tenants.get(this.context.tenantId())).timeZone;
    const digits = dto.number ? searchDigits(dto.number) : '';
    if (dto.number && !digits) throw fieldError('number', 'contains no digits');
    const match = dto.numberMatch ?? 'prefix';
    // Suffixes walk the reversed-digits indexes, where 4 digits (the end of a number) are already selective.
    const partyPlan =
      !!digits &&
      (match === 'exact' ||
        (match === 'prefix' && digits.length >= SELECTIVE_DIGITS) ||
        (match === 'suffix' && digits.length >= SELECTIVE_SUFFIX_DIGITS));

    // The page in two steps: first only ids and times, which an index holding the filtered columns
    // answers without touching a row (ix_calls_started_digits, the party indexes), then the whole
    // rows of just those calls: reading rows only to drop most of them is what costs on a large table.
    let keys: Call[];
    if (partyPlan) {
      // One index walk per party, merged here: far cheaper than an OR that defeats both indexes
      // when the number is selective.
      const [a, b] = await Promise.all(
        (['caller', 'callee'] as Party[]).map((party) =>
          this.visible(dto, timeZone, { party, digits, match }, cursor, desc).then((qb) => pageKeys(qb, limit)),
        ),
      );
      const byId = new Map([...a, ...b].map((c) => [c.id, c]));
      keys = [...byId.values()].sort((x, y) => compare(x, y, desc)).slice(0, limit + 1);
    } else {
      const qb = await this.visible(dto, timeZone, digits ? { party: 'any', digits, match } : undefined, cursor, desc);
      keys = await pageKeys(qb, limit);
    }
    const items = await this.rowsOf(keys);
    const more = items.length > limit;
    const page = items.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page,
      nextCursor: more && last ? encodeCursor({ t: last.startedAt.getTime(), id: last.id }) : null,
      total: cursor ? { value: -1, exact: false } : await this.count(dto, timeZone, digits, match),
      plan: partyPlan ? 'party-index' : 'time-index',
    };
  }

  /**
   * Every call a search with these filters finds, as a query on alias `c` (no paging, cursor or sort
   * applied): bulk work such as the deletion tool acts on exactly what the search shows.
   */
  async matching(dto: Omit<CallSearchDto, 'cursor' | 'limit' | 'sort'>): Promise<SelectQueryBuilder<Call>> {
    const timeZone = (await this.tenants.get(this.context.tenantId())).timeZone;
    const digits = dto.number ? searchDigits(dto.number) : '';
    if (dto.number && !digits) throw fieldError('number', 'contains no digits');
    const number = digits ? { party: 'any' as const, digits, match: dto.numberMatch ?? 'prefix' } : undefined;
    return this.visible(dto, timeZone, number, undefined, true);
  }

  /** One call the current user may see (same tenant and visibility rules as search), or null. */
  async findVisible(id: string): Promise<Call | null> {
    return (await this.visible({}, 'UTC', undefined, undefined, true)).andWhere('c.id = :id', { id }).getOne();
  }

  /** Whole rows of the page's calls by primary key, in the order of the keys. */
  private async rowsOf(keys: Call[]): Promise<Call[]> {
    if (!keys.length) return [];
    const rows = await this.calls
      .query('c')
      .andWhere('c.id IN (:...ids)', { ids: keys.map((k) => k.id) })
      .getMany();
    const byId = new Map(rows.map((r) => [r.id, r]));
    return keys.map((k) => byId.get(k.id)).filter((c): c is Call => !!c);
  }

  /**
   * Exact up to COUNT_LIMIT, then a lower bound: counting millions exactly helps nobody. The database
   * counts capped subqueries, so no ids travel to the app just to be counted.
   */
  private async count(dto: CallSearchDto, timeZone: string, digits: string, match: string) {
    if (digits && match !== 'contains') return this.countByParty(dto, timeZone, digits, match);
    const number = digits ? { party: 'any' as const, digits, match } : undefined;
    return capped(await this.cappedCount(await this.visible(dto, timeZone, number, undefined, true)));
  }

  /**
   * A number search counted per party, each on its own index without reading rows and stopping at the
   * cap: if either side alone passes it, so does the search. Only when both stay under it are the two
   * id lists (at most 2 x COUNT_LIMIT) united, so a call matching on both sides counts once. The OR over
   * both parties would instead read every row of the month that the time index offers (seconds for 03).
   */
  private async countByParty(dto: CallSearchDto, timeZone: string, digits: string, match: string) {
    const side = (party: Party) => this.visible(dto, timeZone, { party, digits, match }, undefined, true);
    const [callers, callees] = await Promise.all([side('caller'), side('callee')]);
    const [a, b] = await Promise.all([this.cappedCount(callers), this.cappedCount(callees)]);
    if (a > COUNT_LIMIT || b > COUNT_LIMIT) return capped(COUNT_LIMIT + 1);
    const [sa, pa] = (await side('caller')).select('c.id', 'id').orderBy().getQueryAndParameters();
    const [sb, pb] = (await side('callee')).select('c.id', 'id').orderBy().getQueryAndParameters();
    const [row] = await this.dataSource.query(`SELECT COUNT(*) AS n FROM (${sa} UNION ${sb}) matched`, [...pa, ...pb]);
    return capped(Number(row.n));
  }

  /** How many rows the query finds, counting no further than COUNT_LIMIT + 1. */
  private async cappedCount(qb: SelectQueryBuilder<Call>): Promise<number> {
    const [sql, params] = qb
      .select('1', 'one')
      .orderBy()
      .limit(COUNT_LIMIT + 1)
      .getQueryAndParameters();
    const [row] = await this.dataSource.query(`SELECT COUNT(*) AS n FROM (${sql}) capped`, params);
    return Number(row.n);
  }

  /** Every filter of the search, on a query builder already scoped to the tenant (not yet to the user). */
  private filtered(
    dto: CallSearchDto,
    timeZone: string,
    number: { party: Party | 'any'; digits: string; match: string } | undefined,
    cursor: CallCursor | undefined,
    desc: boolean,
  ): SelectQueryBuilder<Call> {
    const qb = this.calls.query('c');
    if (dto.from) qb.andWhere('c.startedAt >= :from', { from: this.instant(dto.from, timeZone, 'from') });
    if (dto.to) {
      const to = this.instant(dto.to, timeZone, 'to');
      if (isDateOnly(dto.to)) to.setTime(to.getTime() + 86_400_000);
      qb.andWhere('c.startedAt < :to', { to });
    }
    if (number) this.numberFilter(qb, number);
    if (dto.direction) qb.andWhere('c.direction = :direction', { direction: dto.direction });
    if (dto.extension) qb.andWhere('c.extension = :extension', { extension: dto.extension });
    if (dto.userId) qb.andWhere('c.userId = :userId', { userId: dto.userId });
    if (dto.siteId) qb.andWhere('c.siteId = :siteId', { siteId: dto.siteId });
    if (dto.lineId) qb.andWhere('c.lineId = :lineId', { lineId: dto.lineId });
    if (dto.minTalkSeconds !== undefined) qb.andWhere('c.talkSeconds >= :minTalk', { minTalk: dto.minTalkSeconds });
    if (dto.maxTalkSeconds !== undefined) qb.andWhere('c.talkSeconds <= :maxTalk', { maxTalk: dto.maxTalkSeconds });
    if (dto.disposition) qb.andWhere('c.disposition = :disposition', { disposition: dto.disposition });
    if (dto.source) qb.andWhere('c.source = :source', { source: dto.source });
    if (dto.legalHold !== undefined) qb.andWhere('c.legalHold = :hold', { hold: dto.legalHold });
    if (dto.hasNotes !== undefined) {
      qb.andWhere(dto.hasNotes ? "(c.notes IS NOT NULL AND c.notes <> '')" : "(c.notes IS NULL OR c.notes = '')");
    }
    // '!' as the LIKE escape: a backslash means different things in MySQL and SQLite literals.
    if (dto.q) qb.andWhere("c.notes LIKE :q ESCAPE '!'", { q: `%${escapeLike(dto.q)}%` });
    if (dto.tag) {
      qb.andWhere(
        'EXISTS (SELECT 1 FROM call_tags t WHERE t.callId = c.id AND t.tenantId = c.tenantId AND t.tag = :tag)',
        {
          tag: dto.tag,
        },
      );
    }
    if (cursor) {
      const op = desc ? '<' : '>';
      qb.andWhere(
        new Brackets((w) =>
          w
            .where(`c.startedAt ${op} :ct`, { ct: new Date(cursor.t) })
            .orWhere(`(c.startedAt = :ct AND c.id ${op} :cid)`, { cid: cursor.id }),
        ),
      );
    }
    const order = desc ? 'DESC' : 'ASC';
    return qb.orderBy('c.startedAt', order).addOrderBy('c.id', order);
  }

  /**
   * Operators see only the calls mapped to them unless the tenant's policy lets them see every call;
   * tenant admins, supervisors and auditors see the tenant's. Answers the user to restrict to, if any.
   */
  private async onlyUser(): Promise<string | undefined> {
    const principal = this.context.principal();
    if (!principal) return undefined;
    const seesAll = principal.roles.some((r) => r === 'tenantAdmin' || r === 'supervisor' || r === 'auditor');
    if (seesAll) return undefined;
    return (await this.policies.get()).operatorsSeeOwnCallsOnly ? principal.id : undefined;
  }

  /** Everything a search reads goes through here: the filters, then who may see what. */
  private async visible(...args: Parameters<CallSearchService['filtered']>): Promise<SelectQueryBuilder<Call>> {
    const qb = this.filtered(...args);
    const me = await this.onlyUser();
    return me ? qb.andWhere('c.userId = :me', { me }) : qb;
  }

  private numberFilter(qb: SelectQueryBuilder<Call>, n: { party: Party | 'any'; digits: string; match: string }) {
    const reversed = reversedDigits(n.digits);
    const clause = (party: Party) => {
      switch (n.match) {
        case 'exact':
          return [`c.${party}Digits = :digits`, { digits: n.digits }] as const;
        case 'suffix':
          return [`c.${party}DigitsReversed LIKE :rev`, { rev: `${reversed}%` }] as const;
        case 'contains':
          return [`c.${party}Digits LIKE :mid`, { mid: `%${n.digits}%` }] as const;
        default:
          return [`c.${party}Digits LIKE :pre`, { pre: `${n.digits}%` }] as const;
      }
    };
    if (n.party !== 'any') {
      const [sql, params] = clause(n.party);
      qb.andWhere(sql, params);
      if (this.config.database.type === 'mysql')
        qb.useIndex(`ix_calls_${n.party}${n.match === 'suffix' ? '_rev' : ''}`);
      return;
    }
    const [a, pa] = clause('caller');
    const [b, pb] = clause('callee');
    qb.andWhere(new Brackets((w) => w.where(a, pa).orWhere(b, pb)));
  }

  private instant(value: string, timeZone: string, field: string): Date {
    try {
      return zonedToUtc(value, timeZone);
    } catch {
      throw fieldError(field, 'is not a valid date');
    }
  }
}

/** Only the ids and start times of a page (and one more, to know whether another page follows). */
const pageKeys = (qb: SelectQueryBuilder<Call>, limit: number) =>
  qb
    .select(['c.id', 'c.startedAt'])
    .take(limit + 1)
    .getMany();

const capped = (n: number) => (n > COUNT_LIMIT ? { value: COUNT_LIMIT, exact: false } : { value: n, exact: true });

function compare(x: Call, y: Call, desc: boolean): number {
  const d = x.startedAt.getTime() - y.startedAt.getTime() || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);
  return desc ? -d : d;
}

const escapeLike = (s: string) => s.replace(/[!%_]/g, (c) => `!${c}`);
