import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Call } from '../../recordings/call.entity';
import { TranscriptEvents, TranscriptSavedEvent, VnoteHotwords } from '../shared/transcript-events';
import { VnoteSegment, VnoteTranscript } from '../transcription/transcription.entities';
import { conversationMetrics, Speaker } from './conversation-metrics';
import { GramStatistics } from './gram-statistics';
import { indexTokens } from './gram-tokens';
import { normalise } from './japanese-normaliser';
import { KeywordAlerts } from './keyword-alerts';
import { matchKeywords } from './keyword-matcher';
import { VnoteCallAnalysis, VnoteDictionary, VnoteKeywordHit, VnoteSearchDoc } from './vnote-search.entities';

const INSERT_BATCH = 500;

/**
 * Keeps the search side in step with transcripts: when a transcript is written the call's searchable texts
 * are rebuilt, its keywords matched and its conversation metrics computed; when it is gone they are removed.
 * Everything is rebuilt from the segments, so running it twice gives the same rows.
 */
@Injectable()
export class TranscriptIndexer implements OnModuleInit {
  private readonly logger = new Logger(TranscriptIndexer.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: TranscriptEvents,
    private readonly hotwords: VnoteHotwords,
    private readonly alerts: KeywordAlerts,
    private readonly statistics: GramStatistics,
  ) {}

  onModuleInit(): void {
    this.events.onSaved((event) => this.index(event));
    this.hotwords.provide((tenantId) => this.hotwordsOf(tenantId));
  }

  async index({ tenantId, callId, transcriptId }: TranscriptSavedEvent): Promise<void> {
    const transcript = await this.dataSource
      .getRepository(VnoteTranscript)
      .findOne({ where: { tenantId, callId, id: transcriptId } });
    const segments = transcript
      ? await this.dataSource
          .getRepository(VnoteSegment)
          .find({ where: { tenantId, callId, transcriptId }, order: { seq: 'ASC' } })
      : [];
    const call = await this.dataSource.getRepository(Call).findOne({ where: { tenantId, id: callId } });
    if (!transcript || !call) {
      await this.dataSource.transaction((m) => this.clear(m, tenantId, callId));
      return;
    }
    const dictionaries = (
      await this.dataSource
        .getRepository(VnoteDictionary)
        .find({ where: { tenantId, enabled: true }, order: { kind: 'ASC', name: 'ASC', id: 'ASC' } })
    ).map((d) => ({ id: d.id, kind: d.kind, entries: JSON.parse(d.entries) as string[] }));
    const keywords = matchKeywords(dictionaries, segments);
    const metrics = conversationMetrics(
      segments.map((s) => ({ speaker: s.speaker as Speaker, startMs: s.startMs, endMs: s.endMs, text: s.text })),
    );
    const previous = await this.dataSource.getRepository(VnoteCallAnalysis).findOne({ where: { tenantId, callId } });

    await this.dataSource.transaction(async (m) => {
      await this.clear(m, tenantId, callId);
      const docs = segments.map((s) => doc(tenantId, callId, s.text, s));
      if (call.notes) docs.push(doc(tenantId, callId, call.notes, null));
      for (let i = 0; i < docs.length; i += INSERT_BATCH) {
        await m.getRepository(VnoteSearchDoc).insert(docs.slice(i, i + INSERT_BATCH));
      }
      await this.statistics.apply(
        m,
        tenantId,
        docs.map((d) => d.grams ?? ''),
        1,
      );
      const hits = keywords.hits.map((h) => ({
        id: randomUUID(),
        tenantId,
        callId,
        ...h,
        highlights: JSON.stringify(h.highlights),
      }));
      for (let i = 0; i < hits.length; i += INSERT_BATCH) {
        await m.getRepository(VnoteKeywordHit).insert(hits.slice(i, i + INSERT_BATCH));
      }
      await m.getRepository(VnoteCallAnalysis).insert({
        id: randomUUID(),
        tenantId,
        callId,
        transcriptId,
        ngCount: keywords.flags.ng,
        competitorCount: keywords.flags.competitor,
        missingRequiredCount: keywords.flags.missingRequired.length,
        missingRequired: JSON.stringify(keywords.flags.missingRequired),
        silenceCount: metrics.silenceCount,
        overlapCount: metrics.overlapCount,
        operatorTalkPercent: metrics.speakers.operator.talkPercent,
        speechRate: metrics.speechRate,
        longestMonologueMs: metrics.longestMonologue?.durationMs ?? 0,
        metrics: JSON.stringify(metrics),
        computedAt: new Date(),
      });
    });
    // A transcript written again (re-run, edit) alerts only if it brings NG words the last version lacked.
    const ngHits = keywords.hits.filter((h) => h.kind === 'ng');
    if (ngHits.length && !(previous?.transcriptId === transcriptId && previous.ngCount > 0)) {
      this.alerts.ngWordSpoken(tenantId, call, transcriptId, ngHits);
    }
    this.logger.debug(`indexed call ${callId}: ${segments.length} segments, ${keywords.hits.length} keyword hits`);
  }

  private async clear(m: EntityManager, tenantId: string, callId: string): Promise<void> {
    const old = await m
      .getRepository(VnoteSearchDoc)
      .find({ select: { id: true, grams: true }, where: { tenantId, callId } });
    await this.statistics.apply(
      m,
      tenantId,
      old.map((d) => d.grams),
      -1,
    );
    await m.getRepository(VnoteSearchDoc).delete({ tenantId, callId });
    await m.getRepository(VnoteKeywordHit).delete({ tenantId, callId });
    await m.getRepository(VnoteCallAnalysis).delete({ tenantId, callId });
  }

  /** Hotword and competitor entries of the tenant's enabled dictionaries, for engines that take hints. */
  async hotwordsOf(tenantId: string): Promise<string[]> {
    const rows = await this.dataSource
      .getRepository(VnoteDictionary)
      .find({ where: { tenantId, enabled: true }, order: { kind: 'ASC', name: 'ASC', id: 'ASC' } });
    const words = rows
      .filter((d) => d.kind === 'hotword' || d.kind === 'competitor')
      .flatMap((d) => JSON.parse(d.entries) as string[]);
    return [...new Set(words)];
  }
}

function doc(
  tenantId: string,
  callId: string,
  text: string,
  segment: Pick<VnoteSegment, 'id' | 'startMs' | 'endMs' | 'channel' | 'speaker'> | null,
): Partial<VnoteSearchDoc> {
  const norm = normalise(text).norm;
  return {
    tenantId,
    callId,
    kind: segment ? 'segment' : 'note',
    segmentId: segment?.id ?? null,
    startMs: segment?.startMs ?? null,
    endMs: segment?.endMs ?? null,
    channel: segment?.channel ?? null,
    speaker: segment?.speaker ?? null,
    text,
    norm,
    grams: indexTokens(norm),
  };
}
