import { Injectable, Logger, Module } from '@nestjs/common';
import { ListenerList } from '../../../platform/listener-list';

/** Told after a call's transcript (all its segments) has been written, replaced or deleted. */
export interface TranscriptSavedEvent {
  tenantId: string;
  callId: string;
  transcriptId: string;
}

/**
 * The seam between transcription and search: the pipeline announces a stored transcript, the
 * search side (index, keywords, metrics) listens. A failing listener is logged, not thrown:
 * indexing can be rebuilt, a finished transcription must not be redone.
 */
@Injectable()
export class TranscriptEvents {
  private readonly saved = new ListenerList<TranscriptSavedEvent>(
    new Logger(TranscriptEvents.name),
    (e) => `transcript listener failed for call ${e.callId}`,
  );

  onSaved(listener: (event: TranscriptSavedEvent) => Promise<void>): void {
    this.saved.add(listener);
  }

  emitSaved(event: TranscriptSavedEvent): Promise<void> {
    return this.saved.emit(event);
  }
}

/**
 * Words the engines should favour (a tenant's user dictionary). The dictionaries live on the search
 * side; engines that support hotwords ask through this seam so neither side imports the other.
 */
@Injectable()
export class VnoteHotwords {
  private source: (tenantId: string) => Promise<string[]> = async () => [];

  provide(source: (tenantId: string) => Promise<string[]>): void {
    this.source = source;
  }

  forTenant(tenantId: string): Promise<string[]> {
    return this.source(tenantId);
  }
}

@Module({ providers: [TranscriptEvents, VnoteHotwords], exports: [TranscriptEvents, VnoteHotwords] })
export class VnoteEventsModule {}
