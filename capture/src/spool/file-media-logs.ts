import type { MediaLogFactory } from '../calls/media-log';
import { FileMediaLog, PacketClock, SpoolUsage } from './file-media-log';

// Creates the file-backed media log of each call and finds it again when the call ends. The call
// assembler follows one call per Call-ID at a time (a reused Call-ID starts a new call only after
// the old one closed), so the Call-ID names the open log unambiguously.

export class FileMediaLogs {
  private readonly open = new Map<string, FileMediaLog>();

  constructor(
    private readonly pathFor: (callId: string) => string,
    readonly usage: SpoolUsage,
    readonly clock: PacketClock,
  ) {}

  readonly factory: MediaLogFactory = (callId) => {
    const log = new FileMediaLog(this.pathFor(callId), this.usage, this.clock);
    this.open.set(callId, log);
    return log;
  };

  get(callId: string): FileMediaLog | undefined {
    return this.open.get(callId);
  }

  /** The call's log, no longer counted as open (its call has ended). */
  take(callId: string): FileMediaLog | undefined {
    const log = this.open.get(callId);
    this.open.delete(callId);
    return log;
  }

  /** Hands every buffered chunk to the disk (called every second or so). */
  flushAll(): void {
    for (const log of this.open.values()) log.flush();
  }

  /** fsyncs every open log (called every few seconds): a crash then loses at most that much audio. */
  async syncAll(): Promise<void> {
    await Promise.all([...this.open.values()].map((log) => log.sync()));
  }

  get size(): number {
    return this.open.size;
  }
}
