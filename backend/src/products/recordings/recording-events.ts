import { Injectable, Logger } from '@nestjs/common';
import { ListenerList } from '../../platform/listener-list';

/** Told after a call and its recording were stored (rows committed, audio in the vault). */
export interface RecordingStoredEvent {
  tenantId: string;
  callId: string;
  recordingId: string;
  durationMs: number;
}

/**
 * The recording store's announcement that a call arrived, for products that work on new calls
 * (FlexVNote queues its transcription). A failing listener is logged, never thrown: the call is
 * stored and the uploader must get its answer.
 */
@Injectable()
export class RecordingEvents {
  private readonly stored = new ListenerList<RecordingStoredEvent>(
    new Logger(RecordingEvents.name),
    (e) => `recording-stored listener failed for call ${e.callId}`,
  );

  onStored(listener: (event: RecordingStoredEvent) => Promise<void>): void {
    this.stored.add(listener);
  }

  emitStored(event: RecordingStoredEvent): Promise<void> {
    return this.stored.emit(event);
  }
}
