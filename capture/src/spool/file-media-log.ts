import { closeSync, fsync, openSync, writev } from 'node:fs';
import type { CallMediaLog, MediaGeneration, MediaRecord, Side } from '../calls/media-log';
import {
  GENERATION_BYTES,
  MEDIA_HEADER_BYTES,
  MEDIA_LOG_HEADER,
  readMediaRecords,
  writeGeneration,
  writeMediaHeader,
} from './media-log-format';

// The spool's CallMediaLog: the packet path copies each payload into a per-call chunk in memory
// (no system call per packet); a full chunk, or the periodic flush, hands it to the thread pool
// as one write. fsync happens periodically and when the call ends (sync()). Reading back happens
// only after the call ended and its log was finished.

/** Capture time of the packet being processed, kept by whoever feeds the call assembler. */
export interface PacketClock {
  nowUs: number;
}

/**
 * What the spool's logs share: the spool's size against its capacity, and the bytes handed to the
 * thread pool but not yet written (bounded, so a stalled disk cannot eat the memory).
 */
export class SpoolUsage {
  /** Bytes on disk (and about to be) in the spool. */
  usedBytes = 0;
  /** Of those, the calls already uploaded: kept as a cache, removed first when space runs short. */
  evictableBytes = 0;
  pendingWriteBytes = 0;
  /** Payloads refused because the spool or the write queue was full. */
  refusedAppends = 0;

  constructor(
    public capacityBytes: number,
    readonly maxPendingWriteBytes = 256 * 1024 * 1024,
  ) {}

  /** Bytes that only an upload can free (what "the spool is full" is about). */
  get heldBytes(): number {
    return this.usedBytes - this.evictableBytes;
  }

  /** Accounts for `bytes` more if they fit. */
  take(bytes: number): boolean {
    if (this.heldBytes + bytes > this.capacityBytes || this.pendingWriteBytes > this.maxPendingWriteBytes) {
      this.refusedAppends++;
      return false;
    }
    this.usedBytes += bytes;
    return true;
  }

  release(bytes: number): void {
    this.usedBytes = Math.max(0, this.usedBytes - bytes);
  }

  /** Held bytes against the capacity (0..1). */
  get heldFraction(): number {
    return this.capacityBytes > 0 ? this.heldBytes / this.capacityBytes : 1;
  }
}

export const DEFAULT_CHUNK_BYTES = 16 * 1024;

/**
 * Chunks come back here once written, so a busy box (thousands of calls, each flushing every
 * second) reuses the same buffers instead of allocating tens of MB a second for the collector.
 */
const spareChunks: Buffer[] = [];
const MAX_SPARE_CHUNKS = 1024;

function chunkOf(bytes: number): Buffer {
  const spare = bytes === DEFAULT_CHUNK_BYTES ? spareChunks.pop() : undefined;
  return spare ?? Buffer.allocUnsafe(bytes);
}

/** Takes back written chunks (views of whole DEFAULT_CHUNK_BYTES buffers) for reuse. */
function recycle(chunks: Buffer[]): void {
  for (const view of chunks) {
    if (spareChunks.length >= MAX_SPARE_CHUNKS) return;
    if (view.byteOffset !== 0 || view.buffer.byteLength !== DEFAULT_CHUNK_BYTES) continue;
    spareChunks.push(Buffer.from(view.buffer, 0, DEFAULT_CHUNK_BYTES));
  }
}

export class FileMediaLog implements CallMediaLog {
  readonly generations: MediaGeneration[] = [];
  private fd: number;
  private chunk: Buffer;
  private used: number;
  private queue: Buffer[] = [];
  private queuedBytes = 0;
  private writing = false;
  private unsynced = false;
  private idleWaiters: (() => void)[] = [];
  private appended = 0;
  private closed = false;
  /** The first write error: later media of the call is refused and the call marked truncated. */
  writeError: Error | null = null;

  constructor(
    private filePath: string,
    private readonly usage: SpoolUsage,
    private readonly clock: PacketClock,
    private readonly chunkBytes = DEFAULT_CHUNK_BYTES,
  ) {
    // Opened once per call (at its INVITE), so a synchronous open costs the packet path little.
    this.fd = openSync(filePath, 'w', 0o600);
    this.chunk = chunkOf(chunkBytes);
    MEDIA_LOG_HEADER.copy(this.chunk);
    this.used = MEDIA_LOG_HEADER.length;
    usage.usedBytes += this.used;
  }

  get path(): string {
    return this.filePath;
  }

  /** The finished file was moved (with its call's directory): records are read from there. */
  movedTo(path: string): void {
    if (!this.closed) throw new Error('a media log moves only after finish()');
    this.filePath = path;
  }

  get bytes(): number {
    return this.appended;
  }

  /** Bytes appended but not yet known to be on disk. */
  get unflushedBytes(): number {
    return this.used + this.queuedBytes;
  }

  addGeneration(generation: MediaGeneration): number {
    this.generations.push(generation);
    if (!this.closed && this.room(GENERATION_BYTES)) {
      this.usage.usedBytes += GENERATION_BYTES;
      this.used = writeGeneration(this.chunk, this.used, { ...generation, packetUs: this.clock.nowUs });
    }
    return this.generations.length - 1;
  }

  append(side: Side, generation: number, rtpOffset: number, payloadType: number, payload: Uint8Array): boolean {
    const size = MEDIA_HEADER_BYTES + payload.length;
    if (this.closed || this.writeError || size > this.chunkBytes || !this.usage.take(size)) return false;
    this.room(size);
    const at = writeMediaHeader(this.chunk, this.used, side, generation, rtpOffset, payloadType, payload.length);
    this.chunk.set(payload, at);
    this.used = at + payload.length;
    this.appended += size;
    return true;
  }

  /** Hands the chunk to the thread pool if `bytes` more would not fit in it. */
  private room(bytes: number): boolean {
    if (this.used + bytes > this.chunkBytes) this.flush();
    return this.used + bytes <= this.chunkBytes;
  }

  /** Queues what is buffered for writing (the periodic flush calls this too). */
  flush(): void {
    if (this.used === 0 || this.closed) return;
    this.queue.push(this.chunk.subarray(0, this.used));
    this.queuedBytes += this.used;
    this.usage.pendingWriteBytes += this.used;
    this.chunk = chunkOf(this.chunkBytes);
    this.used = 0;
    this.pump();
  }

  private pump(): void {
    if (this.writing) return;
    if (this.queue.length === 0) {
      if (this.closed && this.fd >= 0) this.closeDescriptor();
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
      return;
    }
    // One write in flight per file: concurrent writes to one descriptor could land out of order.
    const buffers = this.queue;
    const bytes = this.queuedBytes;
    this.queue = [];
    this.queuedBytes = 0;
    this.writing = true;
    writev(this.fd, buffers, (error, written) => {
      this.writing = false;
      recycle(buffers);
      this.usage.pendingWriteBytes -= bytes;
      if (!error && written < bytes) error = Object.assign(new Error('short write (disk full?)'), { code: 'ENOSPC' });
      if (error) this.writeError ??= error;
      else this.unsynced = true;
      this.pump();
    });
  }

  private drained(): Promise<void> {
    if (!this.writing && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Everything appended so far is on disk when this resolves (periodically, and at call end). */
  async sync(): Promise<void> {
    this.flush();
    await this.drained();
    if (!this.unsynced || this.closed) return;
    this.unsynced = false;
    await new Promise<void>((resolve) =>
      fsync(this.fd, (error) => {
        if (error) this.writeError ??= error;
        resolve();
      }),
    );
  }

  /** Syncs and closes the file: the call has ended and its media is complete on disk. */
  async finish(): Promise<void> {
    await this.sync();
    this.close();
  }

  /** Records of one side in append order; only complete after finish(). */
  records(side: Side): Iterable<MediaRecord> {
    return readMediaRecords(this.filePath, side);
  }

  /** Closes the file without syncing (the spool decides when the file itself goes). */
  release(): void {
    this.close();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.used = 0;
    // A write still in the thread pool needs the descriptor: pump() closes it when that is done.
    if (!this.writing) this.closeDescriptor();
  }

  private closeDescriptor(): void {
    closeSync(this.fd);
    this.fd = -1;
  }
}
