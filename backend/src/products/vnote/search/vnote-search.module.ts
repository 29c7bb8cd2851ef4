import { Module } from '@nestjs/common';
import { VnoteEventsModule } from '../shared/transcript-events';

/** Japanese transcript search, keyword dictionaries and conversation metrics (filled in by the search work). */
@Module({ imports: [VnoteEventsModule] })
export class VnoteSearchModule {}
