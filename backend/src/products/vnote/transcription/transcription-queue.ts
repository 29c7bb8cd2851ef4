import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { JOB_QUEUE, JobQueue } from '../../../platform/queue/job-queue';
import { VnoteSettingsService } from './vnote-settings.service';
import { VnoteTranscript } from './transcription.entities';

export const TRANSCRIBE_QUEUE = 'vnote-transcribe';
/** Attempts per job before it goes to the dead-letter list. */
export const MAX_ATTEMPTS = 3;

export interface TranscribeJobData {
  transcriptId: string;
}

/**
 * Puts calls on the transcription queue: one transcript row per call (the job's state, visible to
 * the UI), one queue entry pointing at it. Queue entries carry only the id, so a duplicate entry
 * (a retry racing a recovery) finds the row already done and does nothing.
 */
@Injectable()
export class TranscriptionQueue {
  constructor(
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    @InjectRepository(VnoteTranscript) private readonly transcripts: Repository<VnoteTranscript>,
    private readonly settings: VnoteSettingsService,
  ) {}

  /** Creates or resets the call's transcript to `queued` and queues it. */
  async enqueue(
    tenantId: string,
    callId: string,
    recordingId: string,
    durationMs: number,
    engineOverride?: string,
  ): Promise<VnoteTranscript> {
    const settings = await this.settings.forWorker(tenantId);
    const now = new Date();
    const existing = await this.transcripts.findOne({ where: { tenantId, callId } });
    const row: VnoteTranscript = {
      ...(existing ?? { id: randomUUID(), createdAt: now }),
      tenantId,
      callId,
      recordingId,
      status: 'queued',
      engine: engineOverride ?? settings.engine,
      language: settings.language,
      durationMs,
      progress: 0,
      attempts: 0,
      priority: settings.priority,
      error: null,
      startedAt: null,
      finishedAt: null,
      updatedAt: now,
    } as VnoteTranscript;
    await this.transcripts.save(row);
    await this.push(row);
    return row;
  }

  /** Queues an existing row again (retries deferred by concurrency, recovery after a crash). */
  async push(row: Pick<VnoteTranscript, 'id' | 'priority'>): Promise<void> {
    await this.queue.add<TranscribeJobData>(
      TRANSCRIBE_QUEUE,
      { transcriptId: row.id },
      { attempts: MAX_ATTEMPTS, priority: row.priority },
    );
  }
}
