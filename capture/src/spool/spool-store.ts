import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { SpoolUsage } from './file-media-log';
import { directoryBytes, exists, moveDurably, readJsonFile, writeFileDurably } from './durable-files';
import type { RejectionNote, SpooledCall, UploadReceipt } from './spooled-call';

// The spool's directories and what moving between them means. A call is one directory whose name
// sorts by creation time; its state is the area it is in, changed only by an atomic rename:
//
//   active/    being recorded (media.log grows; call.json is a snapshot)
//   done/      ended: call.json final; audio.ogg once encoded (media.log removed then)
//   uploaded/  stored by the backend (upload.json); kept as a cache, evicted oldest first
//   rejected/  refused by the backend for good (rejection.json says why); kept for an operator

export type SpoolArea = 'active' | 'done' | 'uploaded' | 'rejected';
export const SPOOL_AREAS: readonly SpoolArea[] = ['active', 'done', 'uploaded', 'rejected'];
export const CALL_DOCUMENT = 'call.json';
export const MEDIA_FILE = 'media.log';
export const AUDIO_FILE = 'audio.ogg';
export const UPLOAD_RECEIPT = 'upload.json';
export const REJECTION_NOTE = 'rejection.json';

export type SpoolLogger = (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;

/**
 * Fractions of the capacity: the alert rises when calls not uploaded yet hold `alertAt` and clears
 * below `alertClearsBelow`; uploaded calls are evicted once the spool passes `evictAbove`, down to `evictDownTo`.
 */
const MARKS = { alertAt: 0.8, alertClearsBelow: 0.7, evictAbove: 0.9, evictDownTo: 0.8 } as const;

export interface SpoolStatus {
  /** Bytes held by calls not yet uploaded (what fills the spool). */
  spoolBytes: number;
  spoolCapacityBytes: number;
  /** Uploaded calls kept as a cache (freed when space is needed). */
  cachedBytes: number;
  pendingUploads: number;
  rejected: number;
  lastUploadAt: string | null;
  nearlyFull: boolean;
}

export class SpoolStore {
  readonly usage: SpoolUsage;
  /** done/ calls with their audio, oldest first: what the uploader sends. */
  private readonly ready = new Set<string>();
  /** uploaded/ calls and their sizes, oldest first: what eviction removes. */
  private readonly cached = new Map<string, number>();
  private rejectedCount = 0;
  private lastUploadAt: Date | null = null;
  private alertRaised = false;
  private evicting: Promise<void> | null = null;
  /** Told when a call becomes ready for upload. */
  onReady: () => void = () => undefined;

  constructor(
    readonly root: string,
    capacityBytes: number,
    private readonly log: SpoolLogger,
  ) {
    this.usage = new SpoolUsage(capacityBytes);
  }

  path(area: SpoolArea, name: string, file?: string): string {
    return file ? join(this.root, area, name, file) : join(this.root, area, name);
  }

  /** Creates the areas and counts what they hold. */
  async prepare(): Promise<void> {
    for (const area of SPOOL_AREAS) await fs.mkdir(join(this.root, area), { recursive: true, mode: 0o700 });
    this.usage.usedBytes = 0;
    for (const area of SPOOL_AREAS) this.usage.usedBytes += await directoryBytes(join(this.root, area));
    for (const name of await this.names('uploaded')) {
      const bytes = await directoryBytes(this.path('uploaded', name));
      this.cached.set(name, bytes);
      this.usage.evictableBytes += bytes;
      const receipt = await readJsonFile<UploadReceipt>(this.path('uploaded', name, UPLOAD_RECEIPT)).catch(() => null);
      const at = receipt ? new Date(receipt.uploadedAt) : null;
      if (at && (!this.lastUploadAt || at > this.lastUploadAt)) this.lastUploadAt = at;
    }
    this.rejectedCount = (await this.names('rejected')).length;
  }

  /** Call directories of an area, oldest first (names starting with a dot are work in progress). */
  async names(area: SpoolArea): Promise<string[]> {
    const entries = await fs.readdir(join(this.root, area), { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
  }

  readDocument(area: SpoolArea, name: string): Promise<SpooledCall> {
    return readJsonFile<SpooledCall>(this.path(area, name, CALL_DOCUMENT));
  }

  async writeDocument(area: SpoolArea, name: string, document: SpooledCall): Promise<void> {
    const text = `${JSON.stringify(document, null, 2)}\n`;
    await writeFileDurably(this.path(area, name, CALL_DOCUMENT), text);
  }

  has(area: SpoolArea, name: string, file: string): Promise<boolean> {
    return exists(this.path(area, name, file));
  }

  async move(name: string, from: SpoolArea, to: SpoolArea): Promise<void> {
    await moveDurably(this.path(from, name), this.path(to, name));
  }

  markReady(name: string): void {
    this.ready.add(name);
    this.onReady();
  }

  /** The oldest ready call not in `busy`. */
  nextReady(busy: ReadonlySet<string>): string | undefined {
    for (const name of this.ready) if (!busy.has(name)) return name;
    return undefined;
  }

  get readyCount(): number {
    return this.ready.size;
  }

  /** The backend has the call: receipt beside it, then one rename to uploaded/ (the atomic mark). */
  async markUploaded(name: string, receipt: UploadReceipt): Promise<void> {
    await writeFileDurably(this.path('done', name, UPLOAD_RECEIPT), `${JSON.stringify(receipt)}\n`);
    await this.settleUploaded(name, new Date(receipt.uploadedAt));
  }

  /** Finishes a mark a crash interrupted (receipt written, rename not done). */
  async settleUploaded(name: string, uploadedAt: Date): Promise<void> {
    await this.move(name, 'done', 'uploaded');
    this.ready.delete(name);
    const bytes = await directoryBytes(this.path('uploaded', name));
    this.cached.set(name, bytes);
    this.usage.evictableBytes += bytes;
    if (!this.lastUploadAt || uploadedAt > this.lastUploadAt) this.lastUploadAt = uploadedAt;
    this.checkAlert();
    await this.evictIfNeeded();
  }

  /** The backend refuses the call for good: kept in rejected/ with the reason, never retried. */
  async markRejected(name: string, note: RejectionNote): Promise<void> {
    await writeFileDurably(this.path('done', name, REJECTION_NOTE), `${JSON.stringify(note, null, 2)}\n`);
    await this.move(name, 'done', 'rejected');
    this.ready.delete(name);
    this.rejectedCount++;
    this.log('error', 'the backend rejected a call; it is kept in the spool and not retried', {
      call: name,
      status: note.status,
      reason: note.reason,
      folder: this.path('rejected', name),
    });
  }

  /** Removes the oldest uploaded calls while the spool is above its eviction mark. */
  evictIfNeeded(): Promise<void> {
    if (this.evicting) return this.evicting;
    if (this.usage.usedBytes <= MARKS.evictAbove * this.usage.capacityBytes || this.cached.size === 0) {
      return Promise.resolve();
    }
    this.evicting = (async () => {
      try {
        for (const [name, bytes] of this.cached) {
          if (this.usage.usedBytes <= MARKS.evictDownTo * this.usage.capacityBytes) break;
          await fs.rm(this.path('uploaded', name), { recursive: true, force: true });
          this.cached.delete(name);
          this.usage.evictableBytes -= bytes;
          this.usage.release(bytes);
        }
      } finally {
        this.evicting = null;
      }
    })();
    return this.evicting;
  }

  /** Logs once when calls waiting for upload fill 80 % of the spool, and once when that clears. */
  checkAlert(): boolean {
    const fraction = this.usage.heldFraction;
    if (!this.alertRaised && fraction >= MARKS.alertAt) {
      this.alertRaised = true;
      this.log('error', 'spool nearly full: calls waiting for upload fill most of it; check the uploads', {
        heldBytes: this.usage.heldBytes,
        capacityBytes: this.usage.capacityBytes,
        percent: Math.round(fraction * 100),
      });
    } else if (this.alertRaised && fraction < MARKS.alertClearsBelow) {
      this.alertRaised = false;
      this.log('info', 'spool space recovered', { heldBytes: this.usage.heldBytes });
    }
    return this.alertRaised;
  }

  status(): SpoolStatus {
    return {
      spoolBytes: Math.max(0, Math.round(this.usage.heldBytes)),
      spoolCapacityBytes: this.usage.capacityBytes,
      cachedBytes: this.usage.evictableBytes,
      pendingUploads: this.ready.size,
      rejected: this.rejectedCount,
      lastUploadAt: this.lastUploadAt?.toISOString() ?? null,
      nearlyFull: this.checkAlert(),
    };
  }
}
