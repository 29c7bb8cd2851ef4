import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, In, LessThan, Repository } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../../config/app-config';
import { JOB_QUEUE, JobQueue } from '../../../platform/queue/job-queue';
import { Call } from '../../recordings/call.entity';
import { Recording } from '../../recordings/recording.entity';
import { RecordingVault } from '../../recordings/vault/recording-vault';
import { TranscriptEvents, VnoteHotwords } from '../shared/transcript-events';
import { splitChannels } from './channel-audio';
import { PermanentEngineError, RecognisedSegment } from './engines/speech-engine';
import { VnoteDeadLetter, VnoteSegment, VnoteTranscript } from './transcription.entities';
import { MAX_ATTEMPTS, TRANSCRIBE_QUEUE, TranscribeJobData, TranscriptionQueue } from './transcription-queue';
import { VnoteSettingsService } from './vnote-settings.service';
import { WorkerSlots } from './worker-slots';
import { randomUUID } from 'node:crypto';

/** A job whose tenant has no free slot is queued again after this pause (other tenants go first meanwhile). */
const DEFER_MS = 1000;

/**
 * Runs transcription jobs: in `main.js worker` processes, and in the API process only when
 * VNOTE_TRANSCRIBE_IN_API says so (the default without Redis, where the queue is in-process).
 * Each channel is recognised on its own, in a child process for local engines, and the call's
 * segments are replaced in one transaction, so a retried or repeated job writes them once.
 */
@Injectable()
export class TranscriptionWorker implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger(TranscriptionWorker.name);
  private sweepTimer?: NodeJS.Timeout;
  private stopping = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(VnoteTranscript) private readonly transcripts: Repository<VnoteTranscript>,
    private readonly settings: VnoteSettingsService,
    private readonly slots: WorkerSlots,
    private readonly jobs: TranscriptionQueue,
    private readonly vault: RecordingVault,
    private readonly events: TranscriptEvents,
    private readonly hotwords: VnoteHotwords,
  ) {}

  /** A running job touches its row and slot every quarter lease, so one missed beat never loses it. */
  private get heartbeatMs(): number {
    return Math.max(500, Math.floor(this.config.vnote.jobLeaseMs / 4));
  }

  get enabled(): boolean {
    return this.config.processRole === 'worker' || this.config.vnote.transcribeInApi;
  }

  onModuleInit(): void {
    if (!this.enabled) return;
    this.queue.process<TranscribeJobData>(TRANSCRIBE_QUEUE, this.config.vnote.workerConcurrency, (data, progress) =>
      this.run(data.transcriptId, progress),
    );
    // The in-process queue forgets everything when the process stops: pick up what was left.
    if (this.queue.kind === 'in-process') void this.recover(0, ['queued', 'running']);
    // A dead worker's job is queued again within 1.5 leases of its last heartbeat.
    const lease = this.config.vnote.jobLeaseMs;
    this.sweepTimer = setInterval(() => void this.recover(lease, ['running']), this.heartbeatMs * 2);
    this.sweepTimer.unref();
  }

  onApplicationShutdown(): void {
    this.stopping = true;
    clearInterval(this.sweepTimer);
  }

  /** One attempt at one transcript. Throws only to ask the queue for a retry with backoff. */
  async run(transcriptId: string, queueProgress: (p: number) => Promise<void> = async () => undefined): Promise<void> {
    const row = await this.transcripts.findOne({ where: { id: transcriptId } });
    // Done, failed (dead-lettered) or superseded: a stale queue entry does nothing.
    if (!row || (row.status !== 'queued' && row.status !== 'running')) return;
    const settings = await this.settings.forWorker(row.tenantId);
    const slot = await this.slots.acquire(row.tenantId, settings.concurrency, row.id);
    if (slot === null) {
      // The tenant uses all its slots: queue this again instead of holding a worker idle.
      setTimeout(() => void this.jobs.push(row).catch((e: Error) => this.log.error(e.message)), DEFER_MS).unref();
      return;
    }
    const attempt = row.attempts + 1;
    // Claim the row: only one entry runs it even when the queue holds two (a retry and a recovery).
    const claimed = await this.transcripts
      .createQueryBuilder()
      .update()
      .set({ status: 'running', attempts: attempt, startedAt: new Date(), updatedAt: new Date() })
      .where('id = :id AND attempts = :attempts', { id: row.id, attempts: row.attempts })
      .andWhere("(status = 'queued' OR (status = 'running' AND updatedAt < :stale))", {
        stale: new Date(Date.now() - this.config.vnote.jobLeaseMs),
      })
      .execute();
    if (!claimed.affected) {
      await this.slots.release(row.tenantId, slot, row.id);
      return;
    }
    const heartbeat = setInterval(() => {
      void this.slots.renew(row.tenantId, slot, row.id);
      void this.transcripts.update(row.id, { updatedAt: new Date() });
    }, this.heartbeatMs);
    const workDir = await mkdtemp(join(tmpdir(), 'vnote-'));
    try {
      const segments = await this.transcribe(row, settings, workDir, async (percent) => {
        await this.transcripts.update(row.id, { progress: percent, updatedAt: new Date() });
        await queueProgress(percent);
      });
      await this.save(row, segments, settings.speakerLabels);
      await this.events.emitSaved({ tenantId: row.tenantId, callId: row.callId, transcriptId: row.id });
    } catch (error) {
      const message = (error as Error).message;
      const final = error instanceof PermanentEngineError || attempt >= MAX_ATTEMPTS;
      this.log.warn(
        `transcription of call ${row.callId} failed (attempt ${attempt}${final ? ', final' : ''}): ${message}`,
      );
      if (!final) {
        await this.transcripts.update(row.id, { status: 'queued', error: message, updatedAt: new Date() });
        throw error;
      }
      await this.deadLetter(row, attempt, message);
    } finally {
      clearInterval(heartbeat);
      await this.slots.release(row.tenantId, slot, row.id);
      await rm(workDir, { recursive: true, force: true });
    }
  }

  private async transcribe(
    row: VnoteTranscript,
    settings: Awaited<ReturnType<VnoteSettingsService['forWorker']>>,
    workDir: string,
    progress: (percent: number) => Promise<void>,
  ) {
    const engine = this.settings.engine(row.engine);
    const options = row.engine === settings.engine ? settings.engineOptions : {};
    const unavailable = await engine.availability();
    if (unavailable) throw new PermanentEngineError(`${engine.name}: ${unavailable}`);
    const call = await this.dataSource
      .getRepository(Call)
      .findOne({ where: { id: row.callId, tenantId: row.tenantId } });
    const recording = await this.dataSource
      .getRepository(Recording)
      .findOne({ where: { id: row.recordingId, tenantId: row.tenantId } });
    if (!call || !recording) throw new PermanentEngineError('the call or its recording was deleted');
    const channels = call.channelLayout === 'stereo' ? 2 : 1;
    const audio = await this.vault.read(row.tenantId, recording);
    const files = await splitChannels(audio, workDir, channels, engine.sampleRate);
    await progress(10);
    const hotwords = await this.hotwords.forTenant(row.tenantId);
    const perChannel: { channel: number; segments: RecognisedSegment[] }[] = [];
    for (const [channel, wavPath] of files.entries()) {
      const segments = await engine.transcribe({
        wavPath,
        channel,
        jobName: row.id,
        language: row.language,
        options,
        hotwords,
      });
      perChannel.push({ channel, segments });
      await progress(10 + Math.round((80 * (channel + 1)) / files.length));
    }
    return perChannel;
  }

  /** Replaces the call's segments and marks the transcript done, in one transaction. */
  private async save(
    row: VnoteTranscript,
    perChannel: { channel: number; segments: RecognisedSegment[] }[],
    labels: { customer: string; operator: string },
  ): Promise<void> {
    void labels; // labels are applied when read, so renaming them needs no rewrite
    const ordered = perChannel
      .flatMap(({ channel, segments }) => segments.map((s) => ({ ...s, channel })))
      .sort((a, b) => a.startMs - b.startMs || a.channel - b.channel);
    const now = new Date();
    await this.dataSource.transaction(async (m) => {
      await m.getRepository(VnoteSegment).delete({ tenantId: row.tenantId, transcriptId: row.id });
      const segments = ordered.map((s, seq) => ({
        id: randomUUID(),
        tenantId: row.tenantId,
        callId: row.callId,
        transcriptId: row.id,
        seq,
        channel: s.channel,
        speaker: s.channel === 0 ? ('customer' as const) : ('operator' as const),
        startMs: Math.max(0, Math.round(s.startMs)),
        endMs: Math.max(0, Math.round(s.endMs)),
        text: s.text,
        confidence: Math.max(0, Math.min(1000, Math.round(s.confidence))),
        createdAt: now,
      }));
      for (let i = 0; i < segments.length; i += 200)
        await m.getRepository(VnoteSegment).insert(segments.slice(i, i + 200));
      await m.getRepository(VnoteTranscript).update(row.id, {
        status: 'done',
        progress: 100,
        error: null,
        finishedAt: now,
        updatedAt: now,
      });
    });
  }

  private async deadLetter(row: VnoteTranscript, attempts: number, reason: string): Promise<void> {
    const now = new Date();
    await this.dataSource.transaction(async (m) => {
      await m
        .getRepository(VnoteTranscript)
        .update(row.id, { status: 'failed', error: reason, finishedAt: now, updatedAt: now });
      await m.getRepository(VnoteDeadLetter).insert({
        id: randomUUID(),
        tenantId: row.tenantId,
        callId: row.callId,
        transcriptId: row.id,
        engine: row.engine,
        reason: reason.slice(0, 4000),
        attempts,
        createdAt: now,
        retriedAt: null,
      });
    });
  }

  /**
   * Queues again what a dead process left: rows still `running` (or `queued`) that nobody touched
   * for `staleMs`. A worker alive on the job renews `updatedAt`, so it is never picked up twice.
   */
  async recover(staleMs: number, statuses: VnoteTranscript['status'][]): Promise<number> {
    if (this.stopping) return 0;
    try {
      const stale = await this.transcripts.find({
        where: { status: In(statuses), updatedAt: LessThan(new Date(Date.now() - staleMs)) },
        take: 500,
      });
      for (const row of stale) {
        await this.transcripts.update(row.id, { status: 'queued', updatedAt: new Date() });
        await this.jobs.push(row);
      }
      return stale.length;
    } catch (error) {
      this.log.error(`recovery sweep failed: ${(error as Error).message}`);
      return 0;
    }
  }
}
