import { Module } from '@nestjs/common';
import { VnoteEventsModule } from '../shared/transcript-events';

/** Transcription jobs, speech engines and transcripts (filled in by the pipeline work). */
@Module({ imports: [VnoteEventsModule] })
export class TranscriptionModule {}
