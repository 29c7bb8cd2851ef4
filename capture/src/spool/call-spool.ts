import { mkdirSync, promises as fs } from 'node:fs';
import type { StorageOpusOptions } from '@appliance/audio-format';
import type { CallProgress } from '../calls/call-assembler';
import { renderStereo, type StereoChunk } from '../calls/call-audio';
import type { CallRecord, EndedCall } from '../calls/call-record';
import type { MediaLogFactory } from '../calls/media-log';
import type { CodecInfo } from '../codecs/codec-registry';
import { encodeStereoToFile } from '../output/call-audio-encoder';
import type { EncodeWorkerPool } from '../output/encode-worker-pool';
import { TaskQueue } from '../output/task-queue';
import { FileMediaLog, type PacketClock } from './file-media-log';
import { closeInterrupted, codecTable, scanMedia, spooledRenderPlan } from './spooled-media';
import {
  blankCallRecord,
  clientRecordingIdOf,
  SPOOL_FORMAT,
  type SpooledCall,
  type UploadReceipt,
} from './spooled-call';
import {
  AUDIO_FILE,
  MEDIA_FILE,
  REJECTION_NOTE,
  type SpoolLogger,
  SpoolStore,
  type SpoolStatus,
  UPLOAD_RECEIPT,
} from './spool-store';

// The crash-safe spool of the live service. The packet path only appends payloads to the call's
// media file (FileMediaLog); everything else happens off it, queued: snapshots of the call while
// it rings and is answered, the final metadata and the move to done/ when it ends, then encoding.
// Opening the spool recovers what a crash left: calls interrupted mid-way are closed from their
// media and flagged partial, finished calls not yet encoded are encoded, marks half made are completed.

export interface CallSpoolOptions {
  root: string;
  capacityBytes: number;
  /** Identifies the site in idempotency keys (the API key's public prefix). */
  siteKey: string;
  clock: PacketClock;
  muteDtmf?: boolean;
  opus?: StorageOpusOptions;
  /**
   * Worker threads that encode finished calls from their spool folders. Without them encoding
   * runs in this thread, a second of audio at a time between packets.
   */
  encodePool?: EncodeWorkerPool | null;
  /** Calls spooled and encoded at once (default: the pool's size, or 2 in this thread). */
  encodeConcurrency?: number;
  /**
   * false: a call that ends stays in done/ with its media, as a crash before encoding leaves it,
   * and the next open encodes it. The capture benchmark measures the packet path this way, with
   * the encoder measured on its own. Default true.
   */
  encodeEndedCalls?: boolean;
  log?: SpoolLogger;
}

interface ActiveCall {
  name: string;
  log: FileMediaLog;
  /** Snapshot writes in order; the final document waits for them. */
  writes: Promise<void>;
  codecs: ReadonlyMap<number, CodecInfo>;
}

const fileSafe = (text: string) => text.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 48);

export class CallSpool {
  readonly store: SpoolStore;
  private readonly active = new Map<string, ActiveCall>();
  private readonly queue: TaskQueue;
  private readonly log: SpoolLogger;
  private sequence = 0;
  private timers: NodeJS.Timeout[] = [];

  private constructor(private readonly options: CallSpoolOptions) {
    this.log = options.log ?? (() => undefined);
    this.store = new SpoolStore(options.root, options.capacityBytes, this.log);
    this.queue = new TaskQueue(options.encodeConcurrency ?? options.encodePool?.size ?? 2, (error) =>
      this.log('error', 'spooling a finished call failed', { error: String((error as Error)?.stack ?? error) }),
    );
  }

  /** Opens (creating) the spool and recovers what the last run left in it. */
  static async open(options: CallSpoolOptions): Promise<CallSpool> {
    const spool = new CallSpool(options);
    await spool.store.prepare();
    await spool.recover();
    return spool;
  }

  /** For the call assembler: each call's media goes to active/<name>/media.log. */
  readonly mediaLogFactory: MediaLogFactory = (callId) => {
    // Sorts by creation time; the sequence keeps two calls of the same millisecond apart.
    const name = `${Date.now().toString(36)}-${(this.sequence++).toString(36)}-${fileSafe(callId)}`;
    const dir = this.store.path('active', name);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const log = new FileMediaLog(this.store.path('active', name, MEDIA_FILE), this.store.usage, this.options.clock);
    this.active.set(callId, { name, log, writes: Promise.resolve(), codecs: new Map() });
    return log;
  };

  /** For the call assembler: snapshots while the call is up (what a crash leaves to recover from). */
  onCallProgress(progress: CallProgress): void {
    const call = this.active.get(progress.record.callId);
    if (!call) return;
    call.codecs = new Map(progress.codecs);
    if (progress.kind === 'ended') return; // the final document follows in onCallEnded
    const snapshot = this.document(progress.record, call.codecs, 'active');
    call.writes = call.writes
      .then(() => this.store.writeDocument('active', call.name, snapshot))
      .catch((error) => this.log('warn', 'writing a call snapshot failed', { call: call.name, error: String(error) }));
  }

  /** For the call assembler: the call is over; it is finished, moved and encoded off the packet path. */
  onCallEnded(ended: EndedCall): void {
    const call = this.active.get(ended.record.callId);
    if (!call) return;
    this.active.delete(ended.record.callId);
    this.queue.push(async () => {
      await call.writes;
      await call.log.finish();
      const document = this.document(ended.record, call.codecs, 'ended');
      if (call.log.writeError) document.problems.push(`media write failed: ${call.log.writeError.message}`);
      if (ended.record.audioTruncated) document.problems.push('the spool or its write queue was full: audio cut short');
      await this.store.writeDocument('active', call.name, document);
      await this.store.move(call.name, 'active', 'done');
      call.log.movedTo(this.store.path('done', call.name, MEDIA_FILE));
      if (this.options.encodeEndedCalls === false) return;
      await this.encodeOrKeepMetadata(call.name, document, () =>
        this.options.encodePool
          ? this.encodeInWorker(call.name, document, this.options.encodePool)
          : this.encode(call.name, document, () => ended.audio.chunks(), ended.audio.sampleRate),
      );
    });
  }

  private document(
    record: CallRecord,
    codecs: ReadonlyMap<number, CodecInfo>,
    state: SpooledCall['state'],
  ): SpooledCall {
    return {
      format: SPOOL_FORMAT,
      state,
      record,
      partial: false,
      clientRecordingId: clientRecordingIdOf(this.options.siteKey, record),
      codecs: [...codecs],
      muteDtmf: this.options.muteDtmf ?? false,
      problems: [],
    };
  }

  /** Writes audio.ogg (a zero-length recording when the call had no audio: the upload needs one). */
  private async encode(
    name: string,
    document: SpooledCall,
    chunks: () => Iterable<StereoChunk>,
    sampleRate: number,
  ): Promise<void> {
    const audioPath = this.store.path('done', name, AUDIO_FILE);
    const encoded = await encodeStereoToFile(
      document.record.audio ? chunks() : [],
      sampleRate,
      audioPath,
      this.options.opus,
    );
    await this.encoded(name, encoded.bytes);
  }

  /** Encodes on a worker from the spool folder (the in-memory view of the call is not needed). */
  private async encodeInWorker(name: string, document: SpooledCall, pool: EncodeWorkerPool): Promise<void> {
    const { encoded, noDecodableAudio } = await pool.encode(this.store.path('done', name), this.options.opus);
    if (noDecodableAudio) await this.markNoDecodableAudio(name, document);
    await this.encoded(name, encoded.bytes);
  }

  /** audio.ogg is complete: the media it came from goes, and the call may be uploaded. */
  private async encoded(name: string, audioBytes: number): Promise<void> {
    this.store.usage.usedBytes += audioBytes;
    await this.removeMedia(name);
    this.store.markReady(name);
  }

  private async markNoDecodableAudio(name: string, document: SpooledCall): Promise<void> {
    document.record = { ...document.record, audio: null };
    document.problems.push('no decodable audio was left in the spool');
    await this.store.writeDocument('done', name, document);
  }

  /**
   * Should encoding ever fail (it only decodes bytes and writes a file, so a full disk is the likely
   * cause), the call is not left unsendable: it goes up with its metadata, a zero-length
   * recording and the reason, and the failure is logged as an error.
   */
  private async encodeOrKeepMetadata(name: string, document: SpooledCall, encode: () => Promise<void>): Promise<void> {
    try {
      await encode();
    } catch (error) {
      const reason = String((error as Error)?.message ?? error);
      this.log('error', 'encoding a call failed; it is uploaded with its metadata and without audio', {
        call: name,
        error: reason,
      });
      document.record = { ...document.record, audio: null };
      document.problems.push(`encoding failed: ${reason}`);
      await this.store.writeDocument('done', name, document);
      await this.encode(name, document, () => [], 8000);
    }
  }

  private async removeMedia(name: string): Promise<void> {
    const media = this.store.path('done', name, MEDIA_FILE);
    const stat = await fs.stat(media).catch(() => null);
    if (!stat) return;
    await fs.rm(media, { force: true });
    this.store.usage.release(stat.size);
  }

  private async recover(): Promise<void> {
    for (const name of await this.store.names('active')) await this.recoverInterrupted(name);
    for (const name of await this.store.names('done')) {
      if (await this.store.has('done', name, UPLOAD_RECEIPT)) {
        const receipt = JSON.parse(await fs.readFile(this.store.path('done', name, UPLOAD_RECEIPT), 'utf8'));
        await this.store.settleUploaded(name, new Date((receipt as UploadReceipt).uploadedAt));
      } else if (await this.store.has('done', name, REJECTION_NOTE)) {
        await this.store.move(name, 'done', 'rejected');
      } else if (await this.store.has('done', name, AUDIO_FILE)) {
        await this.removeMedia(name);
        this.store.markReady(name);
      } else {
        this.queue.push(() => this.encodeFromSpool(name));
      }
    }
  }

  /** A call active when the capture stopped: closed from its snapshot and media, flagged partial. */
  private async recoverInterrupted(name: string): Promise<void> {
    const mediaPath = this.store.path('active', name, MEDIA_FILE);
    const known = await this.store.readDocument('active', name).catch(() => null);
    if (known?.state === 'ended') {
      // Stopped after the final document was written but before the move: the call was complete.
      await this.store.move(name, 'active', 'done');
      return;
    }
    // Without a snapshot (stopped within ms of the INVITE) only the media can tell about the call.
    const snapshot = known ?? this.document(unknownCall(name), new Map(), 'active');
    const hasMedia = await this.store.has('active', name, MEDIA_FILE);
    const scan = hasMedia ? scanMedia(mediaPath, codecTable(snapshot)) : emptyScan();
    if (!known && scan.records[0] + scan.records[1] === 0) {
      this.log('warn', 'an interrupted call left neither metadata nor audio; its spool entry is removed', {
        call: name,
      });
      await fs.rm(this.store.path('active', name), { recursive: true, force: true });
      return;
    }
    const document = closeInterrupted(snapshot, scan);
    await this.store.writeDocument('active', name, document);
    this.log('warn', 'closed a call the capture was recording when it stopped; it is kept, flagged partial', {
      call: name,
      callId: document.record.callId,
      endedAt: document.record.endedAt,
    });
    await this.store.move(name, 'active', 'done');
  }

  /** Encodes a done/ call from its files (after a restart the in-memory view of the call is gone). */
  private async encodeFromSpool(name: string): Promise<void> {
    const document = await this.store.readDocument('done', name);
    const pool = this.options.encodePool;
    if (pool) return this.encodeOrKeepMetadata(name, document, () => this.encodeInWorker(name, document, pool));
    const mediaPath = this.store.path('done', name, MEDIA_FILE);
    const hasMedia = await this.store.has('done', name, MEDIA_FILE);
    const scan = hasMedia ? scanMedia(mediaPath, codecTable(document)) : emptyScan();
    const plan = hasMedia ? spooledRenderPlan(document, mediaPath, scan) : null;
    if (!plan && document.record.audio) await this.markNoDecodableAudio(name, document);
    await this.encodeOrKeepMetadata(name, document, () =>
      this.encode(name, document, () => (plan ? renderStereo(plan) : []), plan?.sampleRate ?? 8000),
    );
  }

  /** Pushes buffered media to the disk every second and fsyncs every `syncSeconds`. */
  startTimers(syncSeconds = 5): void {
    let ticks = 0;
    const timer = setInterval(() => {
      for (const call of this.active.values()) call.log.flush();
      if (++ticks % syncSeconds === 0) void this.syncActive();
      this.store.checkAlert();
      void this.store.evictIfNeeded();
    }, 1000);
    timer.unref();
    this.timers.push(timer);
  }

  /** fsyncs the media (and waits for the snapshots) of every call being recorded. */
  async syncActive(): Promise<void> {
    await Promise.all([...this.active.values()].map((call) => call.writes.then(() => call.log.sync())));
  }

  /** Waits for every finished call to be spooled and encoded (shutdown, tests). */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  get activeCalls(): number {
    return this.active.size;
  }

  status(): SpoolStatus {
    const status = this.store.status();
    return { ...status, pendingUploads: status.pendingUploads + this.queue.size };
  }

  /** Stops the timers and syncs what is being recorded (the calls stay active for the next run). */
  async close(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    await this.syncActive();
  }
}

/** What is known of a call whose spool entry has media but no metadata: when it began, and that it had audio. */
function unknownCall(name: string): CallRecord {
  const startedAt = new Date(parseInt(name.split('-')[0], 36) || 0).toISOString();
  return { ...blankCallRecord(name, `unknown-${name}`, startedAt), answeredAt: startedAt, disposition: 'answered' };
}

function emptyScan() {
  return {
    generations: [],
    records: [0, 0] as [number, number],
    payloadTypes: new Set<number>(),
    earliestUs: 0,
    latestEndUs: 0,
    validBytes: 0,
  };
}
