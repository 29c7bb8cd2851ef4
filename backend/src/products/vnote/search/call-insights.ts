import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectTenantRepository, TenantRepository } from '../../../core/tenancy/tenant-repository';
import { CallSearchService } from '../../recordings/search/call-search.service';
import type { ConversationMetrics } from './conversation-metrics';
import { VnoteCallAnalysis, VnoteKeywordHit } from './vnote-search.entities';

/** One call's keyword hits and conversation metrics, for the call detail; visibility as in call search. */
@Injectable()
export class CallInsights {
  constructor(
    private readonly callSearch: CallSearchService,
    @InjectTenantRepository(VnoteCallAnalysis) private readonly analyses: TenantRepository<VnoteCallAnalysis>,
    @InjectTenantRepository(VnoteKeywordHit) private readonly hits: TenantRepository<VnoteKeywordHit>,
  ) {}

  async metrics(callId: string): Promise<ConversationMetrics & { callId: string; computedAt: Date }> {
    const analysis = await this.analysisOf(callId);
    return { callId, ...(JSON.parse(analysis.metrics) as ConversationMetrics), computedAt: analysis.computedAt };
  }

  async keywordHits(callId: string) {
    const analysis = await this.analysisOf(callId);
    const hits = await this.hits.find({
      where: { callId },
      order: { startMs: 'ASC', kind: 'ASC', entry: 'ASC', segmentId: 'ASC' },
    });
    return {
      callId,
      flags: {
        ng: analysis.ngCount,
        competitor: analysis.competitorCount,
        missingRequired: JSON.parse(analysis.missingRequired) as string[],
      },
      hits: hits.map((h) => ({
        dictionaryId: h.dictionaryId,
        kind: h.kind,
        entry: h.entry,
        segmentId: h.segmentId,
        startMs: h.startMs,
        channel: h.channel,
        speaker: h.speaker,
        text: h.text,
        highlights: JSON.parse(h.highlights),
      })),
    };
  }

  private async analysisOf(callId: string): Promise<VnoteCallAnalysis> {
    // Same answer for another tenant's call, another operator's hidden call and a missing one.
    if (!(await this.callSearch.findVisible(callId))) throw new NotFoundException('call not found');
    const analysis = await this.analyses.findOne({ callId });
    if (!analysis) throw new NotFoundException('no transcript');
    return analysis;
  }
}
