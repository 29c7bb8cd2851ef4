import { Injectable, Logger, Module } from '@nestjs/common';

/** Told after a call's transcript (all its segments) has been written, replaced or deleted. */
export interface TranscriptSavedEvent {
  tenantId: string;
  callId: string;
  transcriptId: string;
}

type Listener = (event: TranscriptSavedEvent) => Promise<void>;

/**
 * The seam between transcription and search: the pipeline announces a stored transcript, the
 * search side (index, keywords, metrics) listens. Listeners run in order and a failing listener
 * is logged, not thrown: indexing can be rebuilt, a finished transcription must not be redone.
 */
@Injectable()
export class TranscriptEvents {
  private readonly log = new Logger(TranscriptEvents.name);
  private readonly listeners: Listener[] = [];

  onSaved(listener: Listener): void {
    this.listeners.push(listener);
  }

  async emitSaved(event: TranscriptSavedEvent): Promise<void> {
    for (const listener of this.listeners) {
      try {
        await listener(event);
      } catch (err) {
        this.log.error(`transcript listener failed for call ${event.callId}: ${(err as Error).message}`);
      }
    }
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
