import { Module } from '@nestjs/common';
import { VnoteSearchModule } from './search/vnote-search.module';
import { TranscriptionModule } from './transcription/transcription.module';

/**
 * FlexVNote: recordings become per-speaker text. Transcription (queue, workers, engines) produces
 * transcripts and segments; search (normalised n-gram index, keywords, conversation metrics) reads them.
 */
@Module({
  imports: [TranscriptionModule, VnoteSearchModule],
})
export class VnoteModule {}
