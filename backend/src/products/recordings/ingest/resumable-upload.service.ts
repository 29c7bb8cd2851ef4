import {
  ConflictException,
  GoneException,
  HttpException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  OnModuleDestroy,
  OnModuleInit,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../../config/app-config';
import { fieldError } from '../../../platform/http/field-errors';
import { RequestContext } from '../../../core/tenancy/request-context';
import { InjectTenantRepository, TenantRepository } from '../../../core/tenancy/tenant-repository';
import { IngestMetadataDto } from './ingest-metadata.dto';
import { IngestResult, IngestService } from './ingest.service';
import { PatchBody } from './patch-body';
import { SealedUploadParts } from './sealed-upload-parts';
import {
  byteCountHeader,
  ChecksumMismatchException,
  OFFSET_CONTENT_TYPE,
  parseUploadChecksum,
  parseUploadMetadata,
  UploadChecksum,
} from './tus-protocol';
import { UploadSegment } from './upload-segment.entity';
import { UploadSession } from './upload-session.entity';

export type Creation =
  | { kind: 'created' | 'resumed'; session: UploadSession }
  /** The clientRecordingId is already a call: nothing to upload. */
  | { kind: 'stored'; result: IngestResult };

export interface Appended {
  session: UploadSession;
  /** Set by the PATCH that delivered the last byte. */
  result?: IngestResult;
}

type NewSegment = Pick<UploadSegment, 'startByte' | 'storageKey' | 'plainBytes'>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SWEEP_EVERY_MS = 10 * 60_000;
const SWEEP_BATCH = 100;

/**
 * Resumable ingest (tus 1.0.0 core, creation, termination, expiration, checksum). Each PATCH is
 * encrypted into a segment of its own (SealedUploadParts) and committed by moving the offset in the
 * database only if nobody moved it first, so instances sharing a database stay consistent. The PATCH
 * that brings the last byte feeds the segments, decrypted in order, through IngestService.store: the
 * same hash check, transcoding and vault as the multipart path.
 */
@Injectable()
export class ResumableUploadService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ResumableUploadService.name);
  /** PATCHes running in this process, so HEAD after a hang-up reports what was kept. */
  private readonly busy = new Map<string, { body: PatchBody; settled: Promise<unknown> }>();
  private sweeper?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectTenantRepository(UploadSession) private readonly sessions: TenantRepository<UploadSession>,
    private readonly ingest: IngestService,
    private readonly parts: SealedUploadParts,
    private readonly context: RequestContext,
  ) {}

  onModuleInit(): void {
    this.sweeper = setInterval(() => void this.sweepExpired(), SWEEP_EVERY_MS);
    this.sweeper.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }

  /** POST: validates Upload-Length and the metadata, then opens an upload (or finds the one there is). */
  async create(req: IncomingMessage): Promise<Creation> {
    const headers = req.headers;
    if (headers['upload-defer-length'] !== undefined) {
      throw fieldError('Upload-Defer-Length', 'not supported: send Upload-Length');
    }
    const totalBytes = byteCountHeader('Upload-Length', headers['upload-length']);
    if (totalBytes === 0) throw fieldError('Upload-Length', 'a call needs at least one byte of audio');
    if (totalBytes > this.config.ingest.maxBytes) {
      throw new PayloadTooLargeException(`Upload-Length: audio larger than ${this.config.ingest.maxBytes} bytes`);
    }
    if (Number(headers['content-length'] ?? 0) > 0 || headers['transfer-encoding'] !== undefined) {
      throw fieldError('(body)', 'send the audio with PATCH (creation-with-upload is not supported)');
    }
    const uploadMetadata = headers['upload-metadata'];
    const meta = this.metadataOf(uploadMetadata);
    await this.sweepExpired();
    return this.open(meta, totalBytes, uploadMetadata as string, true);
  }

  /** HEAD (and the start of every PATCH): the upload, after any PATCH of it here has settled. */
  async find(id: string): Promise<UploadSession> {
    const running = this.busy.get(id);
    if (running?.body.finished) await running.settled.catch(() => undefined);
    if (!UUID.test(id)) throw new NotFoundException('upload not found');
    const session = await this.sessions.get({ id });
    if (session.expiresAt.getTime() <= Date.now()) {
      await this.discard(session);
      throw new GoneException('upload expired: create a new one');
    }
    return session;
  }

  /** PATCH: appends the body at Upload-Offset; the last byte turns the upload into a call. */
  async append(id: string, req: IncomingMessage): Promise<Appended> {
    if ((req.headers['content-type'] ?? '').split(';')[0].trim() !== OFFSET_CONTENT_TYPE) {
      throw new UnsupportedMediaTypeException(`Content-Type: send ${OFFSET_CONTENT_TYPE}`);
    }
    const offset = byteCountHeader('Upload-Offset', req.headers['upload-offset']);
    const checksum = parseUploadChecksum(req.headers['upload-checksum']);
    const session = await this.find(id); // first: another tenant's id is 404 whatever runs here
    if (this.busy.get(id)?.body.finished === false) {
      throw new HttpException('another PATCH of this upload is still sending: retry when it is done', 423);
    }
    if (offset !== session.receivedBytes) {
      throw new ConflictException(
        `Upload-Offset ${offset} is not the upload's offset ${session.receivedBytes}: HEAD it and resume from there`,
      );
    }
    const room = session.totalBytes - offset;
    if (Number(req.headers['content-length'] ?? 0) > room) {
      throw new PayloadTooLargeException(`the body goes past Upload-Length: room for ${room} more bytes`);
    }
    if (session.callId) return { session }; // the completing PATCH again (its answer was lost): same headers
    const body = new PatchBody(req, room, checksum);
    const settled = this.receive(session, body, checksum);
    this.busy.set(id, { body, settled });
    try {
      return await settled;
    } finally {
      if (this.busy.get(id)?.settled === settled) this.busy.delete(id);
    }
  }

  /** DELETE: the upload and its partial audio go; a call it already became stays. */
  async terminate(id: string): Promise<void> {
    if (!UUID.test(id)) throw new NotFoundException('upload not found');
    await this.discard(await this.sessions.get({ id }));
  }

  /** Removes expired uploads of every tenant: on a timer, and before each creation. */
  async sweepExpired(): Promise<number> {
    try {
      const expired = await this.dataSource
        .getRepository(UploadSession)
        .createQueryBuilder('s')
        .where('s.expiresAt <= :now', { now: new Date() })
        .orderBy('s.expiresAt', 'ASC')
        .limit(SWEEP_BATCH)
        .getMany();
      for (const session of expired) if (!this.busy.has(session.id)) await this.discard(session);
      return expired.length;
    } catch (error) {
      this.logger.warn(`expired upload sweep failed: ${(error as Error).message}`);
      return 0;
    }
  }

  private async open(
    meta: IngestMetadataDto,
    totalBytes: number,
    uploadMetadata: string,
    retry: boolean,
  ): Promise<Creation> {
    const stored = await this.ingest.storedResult(meta.clientRecordingId);
    if (stored) return { kind: 'stored', result: stored };
    const previous = await this.sessions.findOne({ clientRecordingId: meta.clientRecordingId });
    if (previous && (previous.callId || previous.expiresAt.getTime() <= Date.now())) await this.discard(previous);
    else if (previous) return { kind: 'resumed', session: this.sameUpload(previous, meta, totalBytes) };
    const id = randomUUID();
    const now = new Date();
    const session = this.sessions.create({
      id,
      clientRecordingId: meta.clientRecordingId,
      uploadMetadata,
      totalBytes,
      receivedBytes: 0,
      ...(await this.parts.newUploadKey(this.context.tenantId(), id)),
      callId: null,
      recordingId: null,
      createdAt: now,
      expiresAt: this.expiry(now),
    });
    try {
      await this.dataSource.getRepository(UploadSession).insert(session);
    } catch (error) {
      // Two creations at once for one clientRecordingId: the unique index let one in; answer with it.
      if (retry && /duplicate|unique/i.test((error as Error).message)) {
        return this.open(meta, totalBytes, uploadMetadata, false);
      }
      throw error;
    }
    return { kind: 'created', session };
  }

  /** A re-sent creation resumes the upload in progress, unless it describes another file. */
  private sameUpload(previous: UploadSession, meta: IngestMetadataDto, totalBytes: number): UploadSession {
    const before = this.metadataOf(previous.uploadMetadata);
    if (previous.totalBytes === totalBytes && before.sha256 === meta.sha256) return previous;
    const message = `an upload of ${meta.clientRecordingId} with another Upload-Length or sha256 is in progress: resume or DELETE it`;
    throw new ConflictException({
      statusCode: 409,
      error: 'Conflict',
      message,
      errors: [{ field: 'metadata.clientRecordingId', message }],
    });
  }

  private metadataOf(header: string | string[] | undefined): IngestMetadataDto {
    const json = parseUploadMetadata(header).get('metadata');
    if (json === undefined) {
      throw fieldError('Upload-Metadata', 'needs a "metadata" key: the call\'s metadata JSON, base64-encoded');
    }
    return this.ingest.parseMetadata(json);
  }

  private async receive(session: UploadSession, body: PatchBody, checksum?: UploadChecksum): Promise<Appended> {
    const start = session.receivedBytes;
    const storageKey = await this.parts.write(session, start, body.stream);
    // A checksum speaks for the whole body only: a cut-short body with one cannot be verified, so it goes.
    const verified = !checksum || (!body.interrupted && body.checksumMatches());
    if (body.bytes === 0 || !verified) {
      await this.parts.remove(storageKey);
      if (!verified && !body.interrupted) throw new ChecksumMismatchException(checksum?.algorithm ?? '');
      return { session };
    }
    const segment = { startByte: start, storageKey, plainBytes: body.bytes };
    if (start + body.bytes === session.totalBytes) return this.complete(session, segment);
    return { session: await this.commit(session, segment) };
  }

  /** Moves the offset past the new segment, only if it still is where this PATCH started. */
  private async commit(session: UploadSession, segment: NewSegment): Promise<UploadSession> {
    const end = segment.startByte + segment.plainBytes;
    const expiresAt = this.expiry(new Date());
    try {
      await this.dataSource.transaction(async (m) => {
        const moved = await m
          .createQueryBuilder()
          .update(UploadSession)
          .set({ receivedBytes: end, expiresAt })
          .where('id = :id AND tenantId = :tenantId AND receivedBytes = :start AND callId IS NULL', {
            id: session.id,
            tenantId: session.tenantId,
            start: segment.startByte,
          })
          .execute();
        if (!moved.affected) {
          throw new ConflictException('another PATCH or a DELETE changed the upload first: HEAD it and resume');
        }
        await m
          .getRepository(UploadSegment)
          .insert({ ...segment, uploadId: session.id, tenantId: session.tenantId, createdAt: new Date() });
      });
    } catch (error) {
      await this.parts.remove(segment.storageKey).catch(() => undefined);
      throw error;
    }
    return Object.assign(session, { receivedBytes: end, expiresAt });
  }

  /**
   * All bytes are in: store the call through the one ingest path. A refusal (hash mismatch, audio
   * that is not audio) ends the upload and leaves nothing; a server-side failure keeps the committed
   * segments, so the client can send the last PATCH again.
   */
  private async complete(session: UploadSession, last: NewSegment): Promise<Appended> {
    const meta = this.metadataOf(session.uploadMetadata);
    let result: IngestResult;
    try {
      const earlier = await this.dataSource.getRepository(UploadSegment).find({
        where: { uploadId: session.id, tenantId: session.tenantId },
        order: { startByte: 'ASC' },
      });
      result =
        (await this.ingest.storedResult(meta.clientRecordingId)) ??
        (await this.ingest.store(meta, this.parts.assemble(session, [...earlier, last])));
    } catch (error) {
      if (error instanceof HttpException && error.getStatus() < 500) await this.discard(session);
      else await this.parts.remove(last.storageKey).catch(() => undefined);
      throw error;
    }
    await this.dataSource.transaction(async (m) => {
      await m.getRepository(UploadSegment).delete({ uploadId: session.id, tenantId: session.tenantId });
      await m
        .getRepository(UploadSession)
        .update(
          { id: session.id, tenantId: session.tenantId },
          { receivedBytes: session.totalBytes, callId: result.callId, recordingId: result.recordingId },
        );
    });
    await this.removeObjects(session);
    Object.assign(session, {
      receivedBytes: session.totalBytes,
      callId: result.callId,
      recordingId: result.recordingId,
    });
    return { session, result };
  }

  /** The upload's rows go first: objects a failed removal leaves are unreadable without its key. */
  private async discard(session: UploadSession): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await m.getRepository(UploadSegment).delete({ uploadId: session.id, tenantId: session.tenantId });
      await m.getRepository(UploadSession).delete({ id: session.id, tenantId: session.tenantId });
    });
    await this.removeObjects(session);
  }

  private async removeObjects(session: UploadSession): Promise<void> {
    await this.parts
      .removeAll(session)
      .catch((error: Error) =>
        this.logger.warn(`upload ${session.id}: removing its segments failed: ${error.message}`),
      );
  }

  private expiry(from: Date): Date {
    return new Date(from.getTime() + this.config.ingest.uploadExpiryHours * 3600_000);
  }
}
