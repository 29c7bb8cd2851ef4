import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, In, SelectQueryBuilder } from 'typeorm';
import { RequestContext } from '../../../core/tenancy/request-context';
import { CallTag } from '../../recordings/call-tag.entity';
import { Call } from '../../recordings/call.entity';
import { CallPlaces } from '../../recordings/places/call-places';
import { CallCursor, decodeCursor, encodeCursor } from '../../recordings/search/call-cursor';
import { CallSearchService } from '../../recordings/search/call-search.service';
import { callView, CallView } from '../../recordings/search/call-view';
import { requiredTokens } from './gram-tokens';
import { highlightSpans, normalise } from './japanese-normaliser';
import { GramStatistics } from './gram-statistics';
import { NoteSync } from './note-sync';
import { cover, evaluate, parseQuery, positiveTerms, QueryNode, termsOf } from './search-query';
import { VnoteCallAnalysis, VnoteSearchDoc } from './vnote-search.entities';
import { VnoteSearchDto } from './vnote-search.dto';

/** Hits shown per call; `hitCount` tells how many there are. */
const HITS_PER_CALL = 20;
/**
 * Calls examined per round: the page size first (a frequent term fills the page from it), then twice as
 * many each round, up to MAX_ROUNDS; a page may then come back short, with a cursor to go on.
 */
const MAX_ROUNDS = 5;
/** At most this many calls' texts are read per request (about 100 texts each in a long call). */
const MAX_EXAMINED_CALLS = 300;
/** Tokens per term asked of the full-text index: its rarest ones (the final check covers the others). */
const TOKENS_PER_TERM = 2;
/**
 * When the rarest tokens of the terms are in more texts than this, the full-text index would read long
 * posting lists to propose nearly every call: walking calls newest first and checking them is cheaper.
 */
export const FULLTEXT_MAX_DOCS = 20_000;

export interface SearchHit {
  kind: 'segment' | 'note';
  segmentId: string | null;
  startMs: number | null;
  endMs: number | null;
  channel: number | null;
  speaker: string | null;
  text: string;
  highlights: Array<{ start: number; end: number }>;
}
export interface SearchItem {
  call: CallView;
  hitCount: number;
  hits: SearchHit[];
  flags: { ng: number; competitor: number; missingRequired: string[] } | null;
  metrics: {
    silenceCount: number;
    operatorTalkPercent: number;
    speechRate: number;
    overlapCount: number;
    longestMonologueMs: number;
  } | null;
}

type DocRow = Pick<
  VnoteSearchDoc,
  'id' | 'callId' | 'kind' | 'segmentId' | 'startMs' | 'endMs' | 'channel' | 'speaker' | 'norm'
>;

/**
 * Transcript and notes search. The call filters and who-sees-what come from the recordings search itself
 * (CallSearchService.matching), so both searches agree on every filter and on visibility. The full-text
 * index (FULLTEXT or FTS5 over n-gram tokens) only proposes candidate calls; each candidate is then checked
 * against its normalised texts here, so every database answers exactly the same calls.
 */
@Injectable()
export class VnoteSearchService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly callSearch: CallSearchService,
    private readonly context: RequestContext,
    private readonly places: CallPlaces,
    private readonly notes: NoteSync,
    private readonly statistics: GramStatistics,
  ) {}

  /** The plan threshold (FULLTEXT_MAX_DOCS); tests lower it to prove both plans answer the same. */
  fulltextMaxDocs = FULLTEXT_MAX_DOCS;

  async search(dto: VnoteSearchDto): Promise<{ items: SearchItem[]; nextCursor: string | null }> {
    const query = dto.q === undefined ? undefined : parseQuery(dto.q);
    const cursor = dto.cursor ? decodeCursor(dto.cursor) : undefined;
    const limit = dto.limit ?? 20;
    const desc = (dto.sort ?? 'desc') === 'desc';
    const tenantId = this.context.tenantId();
    if (query) await this.notes.syncIfDue(tenantId);
    /* eslint-disable @typescript-eslint/no-unused-vars */
    const { q, cursor: _c, limit: _l, sort: _s, flag, ...rest } = dto;
    /* eslint-enable @typescript-eslint/no-unused-vars */
    const base = await this.callSearch.matching(rest);
    base.innerJoin(VnoteCallAnalysis, 'a', 'a.callId = c.id AND a.tenantId = c.tenantId');
    this.analysisFilters(base, dto);
    // parseQuery refuses queries without a cover, so one is always there.
    const groups = query ? await this.fulltextPlan(tenantId, cover(query) ?? []) : null;
    if (groups) this.candidates(base, tenantId, groups);
    const order = desc ? 'DESC' : 'ASC';
    base.orderBy('c.startedAt', order).addOrderBy('c.id', order);

    const found: Array<{ call: Pick<Call, 'id' | 'startedAt'>; docs: DocRow[] }> = [];
    let position = cursor;
    let finished = false;
    let examinedCalls = 0;
    for (let round = 0; round < MAX_ROUNDS && found.length < limit && examinedCalls < MAX_EXAMINED_CALLS; round++) {
      const batch = query ? Math.min(limit * 2 ** round, MAX_EXAMINED_CALLS - examinedCalls) : limit - found.length;
      examinedCalls += batch;
      const keys = await after(base.clone(), position, desc)
        .select(['c.id', 'c.startedAt'])
        .limit(batch + 1)
        .getMany();
      const examined = keys.slice(0, batch);
      const docs = query
        ? await this.docsOf(
            tenantId,
            examined.map((k) => k.id),
          )
        : new Map<string, DocRow[]>();
      let stoppedEarly = false;
      for (const [i, key] of examined.entries()) {
        position = { t: key.startedAt.getTime(), id: key.id };
        const own = docs.get(key.id) ?? [];
        if (!query || matches(query, own)) found.push({ call: key, docs: own });
        if (found.length === limit) {
          stoppedEarly = i < examined.length - 1 || keys.length > batch;
          break;
        }
      }
      if (keys.length <= batch && !stoppedEarly) {
        finished = true;
        break;
      }
    }
    return {
      items: await this.items(tenantId, found, query),
      nextCursor: finished || !position ? null : encodeCursor(position),
    };
  }

  /** Keyword flags and conversation-metric ranges, on the call's analysis row `a`. */
  private analysisFilters(qb: SelectQueryBuilder<Call>, dto: VnoteSearchDto): void {
    const flags = {
      ng: 'a.ngCount > 0',
      competitor: 'a.competitorCount > 0',
      missingRequired: 'a.missingRequiredCount > 0',
      any: '(a.ngCount > 0 OR a.competitorCount > 0 OR a.missingRequiredCount > 0)',
    };
    if (dto.flag) qb.andWhere(flags[dto.flag]);
    const ranges: Array<[number | undefined, string, '>=' | '<=']> = [
      [dto.minSilenceCount, 'a.silenceCount', '>='],
      [dto.maxSilenceCount, 'a.silenceCount', '<='],
      [dto.minOperatorTalkPercent, 'a.operatorTalkPercent', '>='],
      [dto.maxOperatorTalkPercent, 'a.operatorTalkPercent', '<='],
      [dto.minSpeechRate, 'a.speechRate', '>='],
      [dto.maxSpeechRate, 'a.speechRate', '<='],
      [dto.minOverlapCount, 'a.overlapCount', '>='],
      [dto.maxOverlapCount, 'a.overlapCount', '<='],
      [
        dto.minLongestMonologueSeconds === undefined ? undefined : dto.minLongestMonologueSeconds * 1000,
        'a.longestMonologueMs',
        '>=',
      ],
    ];
    ranges.forEach(([value, column, op], i) => {
      if (value !== undefined) qb.andWhere(`${column} ${op} :vnRange${i}`, { [`vnRange${i}`]: value });
    });
  }

  /**
   * The rarest tokens of each cover term, or null when even those are so common that a newest-first walk
   * over the calls is the cheaper plan. Either plan gives the same answer: candidates are checked anyway.
   */
  private async fulltextPlan(tenantId: string, terms: string[]): Promise<string[][] | null> {
    const all = terms.map((t) => requiredTokens(t, Number.MAX_SAFE_INTEGER));
    const freq = await this.statistics.frequencies(tenantId, [...new Set(all.flat())]);
    const groups = all.map((g) =>
      [...g].sort((a, b) => (freq.get(a) ?? 0) - (freq.get(b) ?? 0)).slice(0, TOKENS_PER_TERM),
    );
    const candidates = groups.reduce((n, g) => n + (freq.get(g[0]) ?? 0), 0);
    return candidates > this.fulltextMaxDocs ? null : groups;
  }

  /**
   * Only calls with a text holding the given tokens of at least one cover term: what the full-text index
   * can answer. The database's own full-text syntax, same tokens, same candidates.
   */
  private candidates(qb: SelectQueryBuilder<Call>, tenantId: string, groups: string[][]): void {
    if (this.dataSource.options.type === 'mysql') {
      const ft = groups.map((g) => `(${g.map((tok) => `+${tok}`).join(' ')})`).join(' ');
      qb.andWhere(
        'c.id IN (SELECT d.callId FROM vnote_search_docs d WHERE d.tenantId = :vnTenant ' +
          'AND MATCH(d.grams) AGAINST (:vnFt IN BOOLEAN MODE))',
        { vnTenant: tenantId, vnFt: ft },
      );
    } else {
      const ft = groups.map((g) => `(${g.map((tok) => `"${tok}"`).join(' AND ')})`).join(' OR ');
      qb.andWhere(
        'c.id IN (SELECT d.callId FROM vnote_search_docs d WHERE d.tenantId = :vnTenant ' +
          'AND d.id IN (SELECT rowid FROM vnote_search_fts WHERE vnote_search_fts MATCH :vnFt))',
        { vnTenant: tenantId, vnFt: ft },
      );
    }
  }

  /** Every searchable text of these calls, by call, normalised only: the original is read for shown hits. */
  private async docsOf(tenantId: string, callIds: string[]): Promise<Map<string, DocRow[]>> {
    const map = new Map<string, DocRow[]>();
    if (!callIds.length) return map;
    const rows = await this.dataSource.getRepository(VnoteSearchDoc).find({
      select: {
        id: true,
        callId: true,
        kind: true,
        segmentId: true,
        startMs: true,
        endMs: true,
        channel: true,
        speaker: true,
        norm: true,
      },
      where: { tenantId, callId: In(callIds) },
    });
    for (const row of rows) map.set(row.callId, [...(map.get(row.callId) ?? []), row]);
    return map;
  }

  private async items(
    tenantId: string,
    found: Array<{ call: Pick<Call, 'id'>; docs: DocRow[] }>,
    query: QueryNode | undefined,
  ): Promise<SearchItem[]> {
    if (!found.length) return [];
    const ids = found.map((f) => f.call.id);
    const [calls, tags, analyses] = await Promise.all([
      this.dataSource.getRepository(Call).find({ where: { tenantId, id: In(ids) } }),
      this.dataSource.getRepository(CallTag).find({ where: { tenantId, callId: In(ids) } }),
      this.dataSource.getRepository(VnoteCallAnalysis).find({ where: { tenantId, callId: In(ids) } }),
    ]);
    const byId = new Map(calls.map((c) => [c.id, c]));
    const placesOf = await this.places.namesFor(tenantId, calls);
    const positives = query ? positiveTerms(query) : [];
    const hitsOf = new Map(
      found.map(({ call, docs }) => [
        call.id,
        docs
          .filter((d) => positives.some((t) => d.norm.includes(t)))
          .sort((x, y) => (x.startMs ?? -1) - (y.startMs ?? -1)),
      ]),
    );
    const shown = [...hitsOf.values()].flatMap((h) => h.slice(0, HITS_PER_CALL).map((d) => d.id));
    const texts = new Map<number, string>();
    if (shown.length) {
      const rows = await this.dataSource
        .getRepository(VnoteSearchDoc)
        .find({ select: { id: true, text: true }, where: { tenantId, id: In(shown) } });
      for (const row of rows) texts.set(row.id, row.text);
    }
    return found.flatMap(({ call: key }) => {
      const call = byId.get(key.id);
      if (!call) return [];
      const a = analyses.find((x) => x.callId === key.id);
      const hitDocs = hitsOf.get(key.id) ?? [];
      return {
        call: callView(
          call,
          tags.filter((t) => t.callId === key.id).map((t) => t.tag),
          placesOf(call),
        ),
        hitCount: hitDocs.length,
        hits: hitDocs.slice(0, HITS_PER_CALL).map((d) => hit(d, texts.get(d.id) ?? '', positives)),
        flags: a
          ? { ng: a.ngCount, competitor: a.competitorCount, missingRequired: JSON.parse(a.missingRequired) }
          : null,
        metrics: a
          ? {
              silenceCount: a.silenceCount,
              operatorTalkPercent: a.operatorTalkPercent,
              speechRate: a.speechRate,
              overlapCount: a.overlapCount,
              longestMonologueMs: a.longestMonologueMs,
            }
          : null,
      };
    });
  }
}

/** Whether a call with these texts satisfies the query; a term is present when one text contains it. */
function matches(query: QueryNode, docs: DocRow[]): boolean {
  const present = new Map(termsOf(query).map((t) => [t, docs.some((d) => d.norm.includes(t))]));
  return evaluate(query, (t) => present.get(t) ?? false);
}

function hit(d: DocRow, text: string, positives: string[]): SearchHit {
  return {
    kind: d.kind,
    segmentId: d.segmentId,
    startMs: d.startMs,
    endMs: d.endMs,
    channel: d.channel,
    speaker: d.speaker,
    text,
    highlights: highlightSpans(normalise(text), positives),
  };
}

/** Keyset continuation after the last call seen (ids break ties between equal start times). */
function after(qb: SelectQueryBuilder<Call>, position: CallCursor | undefined, desc: boolean) {
  if (!position) return qb;
  const op = desc ? '<' : '>';
  return qb.andWhere(
    new Brackets((w) =>
      w
        .where(`c.startedAt ${op} :vnCt`, { vnCt: new Date(position.t) })
        .orWhere(`(c.startedAt = :vnCt AND c.id ${op} :vnCid)`, { vnCid: position.id }),
    ),
  );
}
