import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, LessThan, Repository } from 'typeorm';
import { RequestContext } from '../../../core/tenancy/request-context';
import { TenantsService } from '../../../core/tenancy/tenants.service';
import { fieldErrors } from '../../../platform/http/field-errors';
import { CallSearchService } from '../../recordings/search/call-search.service';
import { Recording } from '../../recordings/recording.entity';
import { RecordingEvents } from '../../recordings/recording-events';
import {
  TRANSCRIPT_STATUSES,
  TranscriptStatus,
  VnoteDeadLetter,
  VnoteSegment,
  VnoteTranscript,
} from './transcription.entities';
import { TranscriptionQueue } from './transcription-queue';
import { VnoteSettingsService } from './vnote-settings.service';

export const jobView = (t: VnoteTranscript) => ({
  transcriptId: t.id,
  callId: t.callId,
  recordingId: t.recordingId,
  status: t.status,
  progress: t.progress,
  attempts: t.attempts,
  engine: t.engine,
  language: t.language,
  priority: t.priority,
  error: t.error,
  durationMs: t.durationMs,
  createdAt: t.createdAt,
  updatedAt: t.updatedAt,
  startedAt: t.startedAt,
  finishedAt: t.finishedAt,
});

/**
 * What the API does with transcripts: queue each stored call of a FlexVNote tenant, show a call's
 * transcript, list jobs and dead letters, re-transcribe. Always scoped to the caller's tenant.
 */
@Injectable()
export class TranscriptionService {
  constructor(
    @InjectRepository(VnoteTranscript) private readonly transcripts: Repository<VnoteTranscript>,
    @InjectRepository(VnoteSegment) private readonly segments: Repository<VnoteSegment>,
    @InjectRepository(VnoteDeadLetter) private readonly deadLetters: Repository<VnoteDeadLetter>,
    @InjectRepository(Recording) private readonly recordings: Repository<Recording>,
    private readonly queue: TranscriptionQueue,
    private readonly settings: VnoteSettingsService,
    private readonly calls: CallSearchService,
    private readonly tenants: TenantsService,
    private readonly context: RequestContext,
    recordingEvents: RecordingEvents,
  ) {
    recordingEvents.onStored(async (e) => {
      const tenant = await this.tenants.get(e.tenantId);
      if (!tenant.products.includes('flexvnote')) return;
      await this.queue.enqueue(e.tenantId, e.callId, e.recordingId, e.durationMs);
    });
  }

  /** 404 unless the tenant has FlexVNote (an API of a product it did not buy does not exist for it). */
  async requireProduct(): Promise<string> {
    const tenantId = this.context.tenantId();
    const tenant = await this.tenants.get(tenantId);
    if (!tenant.products.includes('flexvnote')) throw new NotFoundException('FlexVNote is not enabled for this tenant');
    return tenantId;
  }

  async transcript(callId: string) {
    const tenantId = await this.requireProduct();
    await this.visibleCall(callId);
    const t = await this.transcripts.findOne({ where: { tenantId, callId } });
    if (!t) throw new NotFoundException('transcript not found');
    const labels = (await this.settings.view(tenantId)).speakerLabels;
    const segments =
      t.status === 'done'
        ? await this.segments.find({ where: { tenantId, transcriptId: t.id }, order: { seq: 'ASC' } })
        : [];
    const { transcriptId, status, engine, language, durationMs, progress, attempts, error, createdAt, updatedAt } =
      jobView(t);
    return {
      callId,
      transcriptId,
      status,
      engine,
      language,
      durationMs,
      progress,
      attempts,
      error,
      createdAt,
      updatedAt,
      segments: segments.map((s) => ({
        seq: s.seq,
        channel: s.channel,
        speaker: s.speaker,
        speakerLabel: labels[s.speaker],
        startMs: s.startMs,
        endMs: s.endMs,
        text: s.text,
        confidence: s.confidence,
      })),
    };
  }

  async retranscribe(callId: string, body: unknown) {
    const tenantId = await this.requireProduct();
    await this.visibleCall(callId);
    const engine = (body as { engine?: unknown } | undefined)?.engine;
    if (engine !== undefined) {
      const names = (await this.settings.view(tenantId)).engines.map((e) => e.name as string);
      if (typeof engine !== 'string' || !names.includes(engine))
        throw fieldErrors([{ field: 'engine', message: `must be one of ${names.join(', ')}` }]);
    }
    const current = await this.transcripts.findOne({ where: { tenantId, callId } });
    if (current && (current.status === 'queued' || current.status === 'running'))
      throw new ConflictException('a transcription of this call is already queued or running');
    const recording = await this.recordings.findOne({ where: { tenantId, callId } });
    if (!recording) throw new NotFoundException('call not found');
    return jobView(
      await this.queue.enqueue(tenantId, callId, recording.id, recording.durationMs, engine as string | undefined),
    );
  }

  async jobs(query: Record<string, string | undefined>) {
    const tenantId = await this.requireProduct();
    const errors: { field: string; message: string }[] = [];
    const status = query['status'];
    if (status !== undefined && !TRANSCRIPT_STATUSES.includes(status as TranscriptStatus))
      errors.push({ field: 'status', message: `must be one of ${TRANSCRIPT_STATUSES.join(', ')}` });
    const limit = query['limit'] === undefined ? 50 : Number(query['limit']);
    if (!Number.isInteger(limit) || limit < 1 || limit > 200)
      errors.push({ field: 'limit', message: 'must be an integer 1-200' });
    const before = query['before'] === undefined ? undefined : new Date(query['before']);
    if (before && Number.isNaN(before.getTime())) errors.push({ field: 'before', message: 'must be an ISO time' });
    if (errors.length) throw fieldErrors(errors);
    const where = {
      tenantId,
      ...(status ? { status: status as TranscriptStatus } : {}),
      ...(query['callId'] ? { callId: query['callId'] } : {}),
      ...(before ? { updatedAt: LessThan(before) } : {}),
    };
    const items = await this.transcripts.find({ where, order: { updatedAt: 'DESC' }, take: limit });
    const counts = Object.fromEntries(
      await Promise.all(
        TRANSCRIPT_STATUSES.map(async (s) => [s, await this.transcripts.count({ where: { tenantId, status: s } })]),
      ),
    );
    return { counts, items: items.map(jobView) };
  }

  async job(transcriptId: string) {
    const tenantId = await this.requireProduct();
    const t = await this.transcripts.findOne({ where: { tenantId, id: transcriptId } });
    if (!t) throw new NotFoundException('job not found');
    return jobView(t);
  }

  async listDeadLetters(query: Record<string, string | undefined>) {
    const tenantId = await this.requireProduct();
    const limit = query['limit'] === undefined ? 50 : Number(query['limit']);
    if (!Number.isInteger(limit) || limit < 1 || limit > 200)
      throw fieldErrors([{ field: 'limit', message: 'must be an integer 1-200' }]);
    const includeRetried = query['includeRetried'] === 'true';
    const rows = await this.deadLetters.find({
      where: includeRetried ? { tenantId } : { tenantId, retriedAt: IsNull() },
      order: { createdAt: 'DESC' },
      take: limit,
    });
    const items = rows;
    return {
      items: items.map((d) => ({
        id: d.id,
        transcriptId: d.transcriptId,
        callId: d.callId,
        engine: d.engine,
        reason: d.reason,
        attempts: d.attempts,
        createdAt: d.createdAt,
        retriedAt: d.retriedAt,
      })),
    };
  }

  async retryDeadLetter(id: string) {
    const tenantId = await this.requireProduct();
    const letter = await this.deadLetters.findOne({ where: { tenantId, id } });
    if (!letter) throw new NotFoundException('dead letter not found');
    if (letter.retriedAt) throw new ConflictException('this dead letter was already retried');
    const recording = await this.recordings.findOne({ where: { tenantId, callId: letter.callId } });
    if (!recording) throw new NotFoundException('call not found');
    await this.deadLetters.update(letter.id, { retriedAt: new Date() });
    return jobView(await this.queue.enqueue(tenantId, letter.callId, recording.id, recording.durationMs));
  }

  private async visibleCall(callId: string): Promise<void> {
    if (!/^[0-9a-f-]{36}$/i.test(callId) || !(await this.calls.findVisible(callId)))
      throw new NotFoundException('call not found');
  }
}
