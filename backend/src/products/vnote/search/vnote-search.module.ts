import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { tenantRepositoryProvider } from '../../../core/tenancy/tenant-repository';
import { RecordingsModule } from '../../recordings/recordings.module';
import { VnoteEventsModule } from '../shared/transcript-events';
import { CallInsights } from './call-insights';
import { GramStatistics } from './gram-statistics';
import { KeywordAlerts } from './keyword-alerts';
import { KeywordDictionaries } from './keyword-dictionaries';
import { NoteSync } from './note-sync';
import { SummarySettings } from './summary-settings';
import { TranscriptIndexer } from './transcript-indexer';
import { VnoteSearchController } from './vnote-search.controller';
import { VnoteCallAnalysis, VnoteDictionary, VnoteKeywordHit, VnoteSearchDoc } from './vnote-search.entities';
import { VnoteSearchService } from './vnote-search.service';

/** Japanese transcript search, keyword dictionaries and alerts, conversation metrics. */
@Module({
  imports: [
    VnoteEventsModule,
    RecordingsModule,
    TypeOrmModule.forFeature([VnoteSearchDoc, VnoteDictionary, VnoteCallAnalysis, VnoteKeywordHit]),
  ],
  controllers: [VnoteSearchController],
  providers: [
    VnoteSearchService,
    TranscriptIndexer,
    KeywordAlerts,
    KeywordDictionaries,
    CallInsights,
    NoteSync,
    GramStatistics,
    SummarySettings,
    tenantRepositoryProvider(VnoteDictionary, 'dictionary'),
    tenantRepositoryProvider(VnoteCallAnalysis, 'call analysis'),
    tenantRepositoryProvider(VnoteKeywordHit, 'keyword hit'),
  ],
  exports: [TranscriptIndexer],
})
export class VnoteSearchModule {}
