import { CorruptAudioError } from './audio-errors';

/**
 * Pull-style reads over a chunked byte stream (a Readable's async iterator): exact-size reads for
 * headers, and pass-through of the rest. Holds at most what one read asked for plus one chunk.
 */
export class ByteReader {
  private readonly iterator: AsyncIterator<unknown>;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private done = false;
  /** Bytes consumed so far (for error messages). */
  position = 0;

  constructor(source: AsyncIterable<unknown>) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  /** Up to n bytes without consuming them (fewer only at the end of the stream). */
  async peek(n: number): Promise<Buffer> {
    while (this.pendingBytes < n && (await this.pull()));
    if (this.pending.length > 1) this.pending = [Buffer.concat(this.pending)];
    return (this.pending[0] ?? Buffer.alloc(0)).subarray(0, n);
  }

  /** Up to n bytes (fewer only at the end of the stream). */
  async read(n: number): Promise<Buffer> {
    const head = await this.peek(n);
    this.consume(head.length);
    return head;
  }

  /** Exactly n bytes, or a CorruptAudioError naming what was being read. */
  async readExactly(n: number, what: string): Promise<Buffer> {
    const bytes = await this.read(n);
    if (bytes.length < n) throw new CorruptAudioError(`truncated ${what} at byte ${this.position}`);
    return bytes;
  }

  /** Skips up to n bytes; resolves with how many were skipped. */
  async skip(n: number): Promise<number> {
    let skipped = 0;
    while (skipped < n) {
      if (this.pendingBytes === 0 && !(await this.pull())) break;
      const take = Math.min(n - skipped, this.pendingBytes);
      this.consume(take);
      skipped += take;
    }
    return skipped;
  }

  /** The next bytes as they arrive, at most limit in total (default: to the end). */
  async *chunks(limit = Infinity): AsyncGenerator<Buffer> {
    let left = limit;
    while (left > 0) {
      if (this.pendingBytes === 0 && !(await this.pull())) return;
      const first = this.pending[0];
      const take = Math.min(left, first.length);
      const out = first.subarray(0, take);
      this.consume(take);
      left -= take;
      yield out;
    }
  }

  /** Reads and drops everything left. */
  async drain(): Promise<void> {
    await this.skip(Infinity);
  }

  /** Stops the source early (destroys a Readable). */
  async close(): Promise<void> {
    this.pending = [];
    this.pendingBytes = 0;
    if (!this.done) await this.iterator.return?.();
    this.done = true;
  }

  private async pull(): Promise<boolean> {
    while (!this.done) {
      const next = await this.iterator.next();
      if (next.done) {
        this.done = true;
        break;
      }
      const chunk = toBuffer(next.value);
      if (chunk.length === 0) continue;
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      return true;
    }
    return false;
  }

  private consume(n: number): void {
    let left = n;
    this.position += n;
    this.pendingBytes -= n;
    while (left > 0) {
      const first = this.pending[0];
      if (first.length <= left) {
        this.pending.shift();
        left -= first.length;
      } else {
        this.pending[0] = first.subarray(left);
        left = 0;
      }
    }
  }
}

function toBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (typeof value === 'string') return Buffer.from(value, 'latin1');
  throw new TypeError('audio input must be a byte stream (Buffer chunks)');
}
