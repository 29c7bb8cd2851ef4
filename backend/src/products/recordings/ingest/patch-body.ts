import { PayloadTooLargeException } from '@nestjs/common';
import { createHash, Hash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Readable, Transform } from 'node:stream';
import type { UploadChecksum } from './tus-protocol';

/**
 * The body of one tus PATCH as a stream, counted and (with Upload-Checksum) hashed on the way.
 *
 * A client that hangs up mid-body does not fail the stream: it ends where the bytes stopped, so
 * what arrived can be stored and the client resumes from the offset HEAD then reports (tus asks
 * servers to keep as much as possible). More bytes than the upload has room for fail it with 413.
 */
export class PatchBody {
  readonly stream: Readable;
  private received = 0;
  private cutShort = false;
  private ended = false;
  private readonly hash: Hash | undefined;

  constructor(
    private readonly req: IncomingMessage,
    room: number,
    private readonly checksum: UploadChecksum | undefined,
  ) {
    this.hash = checksum && createHash(checksum.algorithm);
    const count = new Transform({
      transform: (chunk: Buffer, _encoding, done) => {
        this.received += chunk.length;
        if (this.received > room) {
          return done(new PayloadTooLargeException(`the body goes past Upload-Length: room for ${room} more bytes`));
        }
        this.hash?.update(chunk);
        done(null, chunk);
      },
    });
    this.stream = count;
    // Node reports the hang-up as an 'aborted' error on the request; 'close' below handles it.
    req.on('error', () => undefined);
    req.on('close', () => {
      if (req.complete) return;
      this.cutShort = true;
      req.unpipe(count);
      count.end();
    });
    count.on('error', () => this.discardRest());
    count.on('finish', () => (this.ended = true));
    count.on('close', () => (this.ended = true));
    req.pipe(count);
  }

  /** Bytes received so far (all of them once the stream has ended). */
  get bytes(): number {
    return this.received;
  }

  /** True once no more bytes will come: the body is complete, cut short, or refused. */
  get finished(): boolean {
    return this.ended;
  }

  /** True when the client went away before sending the whole body. */
  get interrupted(): boolean {
    return this.cutShort;
  }

  /** With Upload-Checksum: whether the complete body hashes to the digest sent; true without one. */
  checksumMatches(): boolean {
    if (!this.checksum || !this.hash) return true;
    return this.hash.digest().equals(this.checksum.digest);
  }

  /** Reads and drops what is left of the body, so the client gets our answer rather than a reset. */
  discardRest(): void {
    this.req.unpipe(this.stream as Transform);
    this.req.resume();
  }
}
