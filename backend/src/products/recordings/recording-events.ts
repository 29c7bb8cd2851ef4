import { Injectable, Logger } from '@nestjs/common';

/** Told after a call and its recording were stored (rows committed, audio in the vault). */
export interface RecordingStoredEvent {
  tenantId: string;
  callId: string;
  recordingId: string;
  durationMs: number;
}

type Listener = (event: RecordingStoredEvent) => Promise<void>;

/**
 * The recording store's announcement that a call arrived, for products that work on new calls
 * (FlexVNote queues its transcription). A failing listener is logged, never thrown: the call is
 * stored and the uploader must get its answer.
 */
@Injectable()
export class RecordingEvents {
  private readonly log = new Logger(RecordingEvents.name);
  private readonly listeners: Listener[] = [];

  onStored(listener: Listener): void {
    this.listeners.push(listener);
  }

  async emitStored(event: RecordingStoredEvent): Promise<void> {
    for (const listener of this.listeners) {
      try {
        await listener(event);
      } catch (err) {
        this.log.error(`recording-stored listener failed for call ${event.callId}: ${(err as Error).message}`);
      }
    }
  }
}
