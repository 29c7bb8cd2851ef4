import {
  BadRequestException,
  Inject,
  Injectable,
  PayloadTooLargeException,
  ServiceUnavailableException,
  UnprocessableEntityException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import busboy from 'busboy';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { AsyncResource } from 'node:async_hooks';
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Readable, Transform } from 'node:stream';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../../config/app-config';
import { fieldErrors } from '../../../platform/http/field-errors';
import {
  TRANSCODER,
  Transcoder,
  UnsupportedAudioError,
  CorruptAudioError,
} from '../../../platform/transcoder/transcoder';
import { AuditService } from '../../../core/audit/audit.service';
import { RequestContext } from '../../../core/tenancy/request-context';
import { InjectTenantRepository, TenantRepository } from '../../../core/tenancy/tenant-repository';
import { CallTag } from '../call-tag.entity';
import { Call } from '../call.entity';
import { normaliseNumber, reversedDigits } from '../phone-number';
import { Recording } from '../recording.entity';
import { RecordingVault } from '../vault/recording-vault';
import { IngestMetadataDto } from './ingest-metadata.dto';
import { boundedPeaks } from './waveform-peaks';
import { UserExtensions } from '../../../core/users/user-extensions';
import { CapacityService } from '../retention/capacity.service';
import { RecordingEvents } from '../recording-events';
import { RecordingPolicyService } from '../policy/recording-policy.service';
import { STORAGE_KBPS } from '../policy/recording-policy.entity';

const isAudioFault = (e: unknown) =>
  e instanceof UnsupportedAudioError || e instanceof CorruptAudioError || e instanceof PayloadTooLargeException;

/** Storage failed under the vault (disk, network, S3): the upload may be retried as it is. */
class StorageWriteError extends Error {
  override readonly name = 'StorageWriteError';
}

export interface IngestResult {
  callId: string;
  recordingId: string;
  durationMs: number;
  bytes: number;
  /** True when this clientRecordingId was stored before: nothing new was written. */
  duplicate: boolean;
}

const flatten = (errors: ValidationError[], parent = 'metadata'): { field: string; message: string }[] =>
  errors.flatMap((e) => [
    ...Object.values(e.constraints ?? {}).map((message) => ({ field: `${parent}.${e.property}`, message })),
    ...flatten(e.children ?? [], `${parent}.${e.property}`),
  ]);

/**
 * One call in: metadata JSON then audio, as multipart/form-data. The audio is hashed as it arrives,
 * transcoded to the storage format and encrypted into storage in one stream (never whole in memory);
 * rows are written only after the hash matched, and any failure removes what was stored.
 */
@Injectable()
export class IngestService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectTenantRepository(Call) private readonly calls: TenantRepository<Call>,
    @Inject(TRANSCODER) private readonly transcoder: Transcoder,
    private readonly vault: RecordingVault,
    private readonly context: RequestContext,
    private readonly audit: AuditService,
    private readonly capacity: CapacityService,
    private readonly extensions: UserExtensions,
    private readonly events: RecordingEvents,
    private readonly policies: RecordingPolicyService,
  ) {}

  receive(req: IncomingMessage): Promise<IngestResult> {
    const contentType = req.headers['content-type'] ?? '';
    if (!contentType.startsWith('multipart/form-data')) {
      return Promise.reject(
        new UnsupportedMediaTypeException('send multipart/form-data: a "metadata" JSON field, then an "audio" file'),
      );
    }
    return new Promise<IngestResult>((resolve, reject) => {
      let metadata: IngestMetadataDto | undefined;
      let work: Promise<IngestResult> | undefined;
      let failed = false;
      const fail = (error: Error) => {
        if (failed) return;
        failed = true;
        req.unpipe(parser);
        req.resume(); // read the rest so the client gets our answer, not a reset
        reject(error);
      };
      const parser = busboy({
        headers: req.headers,
        limits: { fields: 1, files: 1, fieldSize: 256 * 1024, fileSize: this.config.ingest.maxBytes },
      });
      parser.on('field', (name, value) => {
        if (name !== 'metadata')
          return fail(fieldErrors([{ field: name, message: 'unknown part (expected metadata, audio)' }]));
        try {
          metadata = this.parseMetadata(value);
        } catch (error) {
          fail(error as Error);
        }
      });
      // busboy emits from later socket reads, outside this request's async context: bound here, the
      // file handler keeps the tenant and principal that store() and the audit entry need.
      parser.on(
        'file',
        AsyncResource.bind((name: string, stream: Readable & { truncated?: boolean }) => {
          if (failed) return stream.resume();
          if (name !== 'audio' || !metadata) {
            stream.resume();
            return fail(
              fieldErrors([
                {
                  field: name,
                  message: metadata ? 'unknown part (expected audio)' : 'the metadata part must come before the audio',
                },
              ]),
            );
          }
          work = this.store(metadata, stream);
          work.catch(fail);
        }),
      );
      parser.on('close', () => {
        if (failed) return;
        if (!work) return fail(fieldErrors([{ field: 'audio', message: 'missing' }]));
        work.then(resolve, fail);
      });
      parser.on('error', (error: Error) => fail(new BadRequestException(`malformed multipart body: ${error.message}`)));
      req.on('aborted', () => fail(new BadRequestException('upload aborted by the client')));
      req.pipe(parser);
    });
  }

  /** The metadata JSON of an upload, validated; 400 naming each bad field (`metadata.direction`). */
  parseMetadata(raw: string): IngestMetadataDto {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (error) {
      throw fieldErrors([{ field: 'metadata', message: `malformed JSON: ${(error as Error).message}` }]);
    }
    const dto = plainToInstance(IngestMetadataDto, json);
    const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length) throw fieldErrors(flatten(errors));
    return dto;
  }

  /**
   * Stores one call from its metadata and audio stream: the path every ingest takes (multipart here,
   * resumable uploads in resumable-upload.service.ts). A clientRecordingId stored before returns the
   * first result and writes nothing. `truncated` is busboy's flag for a file cut at the size limit.
   */
  async store(meta: IngestMetadataDto, audio: Readable & { truncated?: boolean }): Promise<IngestResult> {
    const tenantId = this.context.tenantId();
    const existing = await this.storedResult(meta.clientRecordingId);
    if (existing) {
      audio.resume();
      return existing;
    }
    const hash = createHash('sha256');
    const hashed = audio.pipe(
      new Transform({
        transform(chunk: Buffer, _e, done) {
          hash.update(chunk);
          done(null, chunk);
        },
      }),
    );
    audio.on('error', (error) => hashed.destroy(error));
    const callId = randomUUID();
    const started = new Date(meta.startedAt);
    const parts = ['recordings', started.toISOString().slice(0, 7), `${callId}.opus`];
    // Telephone quality passes no setting, so Opus already in the storage format is kept as sent.
    const { audioQuality } = await this.policies.get(tenantId);
    const job = this.transcoder.toStorageOpus(hashed, { bitrateKbpsPerChannel: STORAGE_KBPS[audioQuality] });
    // Both sides settle before we answer: when one fails the other fails too (its stream is cut),
    // and the answer names the cause: the audio (4xx) before storage (503) before anything else.
    const [written, transcoded] = await Promise.allSettled([this.vault.write(tenantId, parts, job.output), job.result]);
    if (transcoded.status === 'rejected' || written.status === 'rejected') {
      const audioFault = transcoded.status === 'rejected' && isAudioFault(transcoded.reason);
      if (written.status === 'rejected' && !audioFault && !audio.truncated) {
        throw this.explain(new StorageWriteError((written.reason as Error).message), false);
      }
      const reason = transcoded.status === 'rejected' ? transcoded.reason : (written as PromiseRejectedResult).reason;
      throw this.explain(reason as Error, !!audio.truncated);
    }
    const stored = written.value;
    const result = transcoded.value;
    try {
      // busboy cuts a file at the size limit and flags it: what was stored is incomplete.
      if (audio.truncated) throw new PayloadTooLargeException(`audio larger than ${this.config.ingest.maxBytes} bytes`);
      const sent = hash.digest('hex');
      if (sent !== meta.sha256) {
        throw new UnprocessableEntityException(
          `sha256 mismatch: the audio received hashes to ${sent}, metadata says ${meta.sha256}`,
        );
      }
      // Capacity (retention/capacity.service.ts): rotates out the oldest calls, or 507; the catch below removes the object.
      await this.capacity.admit(tenantId, stored.bytes);
      const recordingId = randomUUID();
      // The call belongs to whoever answers at its extension (operators may see only their own calls).
      const userId = await this.extensions.userAt(tenantId, meta.extension);
      await this.dataSource.transaction(async (m) => {
        await m.getRepository(Call).insert({ ...this.callRow(tenantId, callId, meta, result.channels), userId });
        await m.getRepository(Recording).insert({
          id: recordingId,
          tenantId,
          callId,
          storageKey: stored.storageKey,
          format: 'ogg-opus',
          bytes: stored.bytes,
          storedBytes: stored.storedBytes,
          sha256: stored.sha256,
          durationMs: result.durationMs,
          keyId: stored.keyId,
          cipherHeader: stored.cipherHeader,
          peaks: JSON.stringify(
            boundedPeaks({ intervalMs: result.peakIntervalMs, channels: result.channels, values: result.peaks }),
          ),
          createdAt: new Date(),
        });
        const tags = [...new Set(meta.tags ?? [])].map((tag) => ({ callId, tenantId, tag }));
        if (tags.length) await m.getRepository(CallTag).insert(tags);
        await this.capacity.charge(m, tenantId, stored.bytes);
      });
      await this.audit.record({
        action: 'recording.ingested',
        target: callId,
        details: { clientRecordingId: meta.clientRecordingId, bytes: stored.bytes },
      });
      await this.events.emitStored({ tenantId, callId, recordingId, durationMs: result.durationMs });
      return { callId, recordingId, durationMs: result.durationMs, bytes: stored.bytes, duplicate: false };
    } catch (error) {
      await this.vault.remove(stored.storageKey).catch(() => undefined);
      const raced = /duplicate|unique/i.test((error as Error).message)
        ? await this.storedResult(meta.clientRecordingId)
        : null;
      if (raced) return raced; // two identical uploads at once: the first one won
      throw error;
    }
  }

  private explain(error: Error, tooLarge: boolean): Error {
    if (tooLarge || error instanceof PayloadTooLargeException) {
      return new PayloadTooLargeException(`audio larger than ${this.config.ingest.maxBytes} bytes`);
    }
    if (error instanceof UnsupportedAudioError) return new UnsupportedMediaTypeException(error.message);
    if (error instanceof CorruptAudioError) return new UnprocessableEntityException(`audio: ${error.message}`);
    if (error instanceof StorageWriteError) {
      return new ServiceUnavailableException(
        `recording storage failed while writing; nothing was kept, send the call again (${error.message})`,
      );
    }
    return error;
  }

  /** The first result for a clientRecordingId already stored in this tenant, or null. */
  async storedResult(clientRecordingId: string): Promise<IngestResult | null> {
    const call = await this.calls.findOne({ clientRecordingId });
    if (!call) return null;
    const recording = await this.dataSource
      .getRepository(Recording)
      .findOneOrFail({ where: { callId: call.id, tenantId: call.tenantId } });
    return {
      callId: call.id,
      recordingId: recording.id,
      durationMs: recording.durationMs,
      bytes: recording.bytes,
      duplicate: true,
    };
  }

  private callRow(tenantId: string, id: string, m: IngestMetadataDto, channels: number): Call {
    const caller = normaliseNumber(m.caller.number);
    const callee = normaliseNumber(m.callee.number);
    const answered = m.answeredAt ? new Date(m.answeredAt) : null;
    const ended = m.endedAt ? new Date(m.endedAt) : null;
    const started = new Date(m.startedAt);
    const seconds = (a: Date | null, b: Date | null) =>
      a && b ? Math.max(0, Math.round((b.getTime() - a.getTime()) / 1000)) : 0;
    return this.dataSource.getRepository(Call).create({
      id,
      tenantId,
      clientRecordingId: m.clientRecordingId,
      source: m.source,
      // A FlexLog site's key decides the site, as it does for heartbeats and call events.
      siteId: this.context.principal()?.siteId ?? m.siteId ?? null,
      lineId: m.lineId ?? null,
      direction: m.direction,
      callerDialled: caller.dialled,
      callerE164: caller.e164,
      callerDigits: caller.digits,
      callerDigitsReversed: reversedDigits(caller.digits),
      callerName: m.caller.name ?? null,
      calleeDialled: callee.dialled,
      calleeE164: callee.e164,
      calleeDigits: callee.digits,
      calleeDigitsReversed: reversedDigits(callee.digits),
      calleeName: m.callee.name ?? null,
      extension: m.extension ?? null,
      userId: null,
      startedAt: started,
      answeredAt: answered,
      endedAt: ended,
      ringSeconds: seconds(started, answered ?? ended),
      talkSeconds: seconds(answered, ended),
      disposition: m.disposition,
      codec: m.codec ?? null,
      channelLayout: channels === 2 ? 'stereo' : 'mono',
      quality: m.quality ? JSON.stringify(m.quality) : null,
      dtmf: m.dtmf ? JSON.stringify(m.dtmf) : null,
      notes: m.notes ?? null,
      legalHold: false,
      createdAt: new Date(),
    });
  }
}
