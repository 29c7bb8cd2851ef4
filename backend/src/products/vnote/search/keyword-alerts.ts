import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../../../core/audit/audit.service';
import { WebhookPublisher } from '../../../core/webhooks/webhook-publisher';
import { User } from '../../../core/users/user.entity';
import { MailService } from '../../../platform/mail/mail.service';
import type { Call } from '../../recordings/call.entity';
import type { KeywordHit } from './keyword-matcher';

/**
 * Tells a tenant's supervisors (its administrators when it has no supervisor) that an NG word was spoken:
 * one mail each, sent in the background so indexing never waits on a mail server, and an audit entry
 * naming who was told, plus the webhook event `vnote.keyword` to the tenant's subscribed endpoints.
 */
@Injectable()
export class KeywordAlerts implements OnApplicationShutdown {
  private readonly logger = new Logger(KeywordAlerts.name);
  private readonly sending = new Set<Promise<void>>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly mail: MailService,
    private readonly audit: AuditService,
    private readonly webhooks: WebhookPublisher,
  ) {}

  ngWordSpoken(tenantId: string, call: Call, transcriptId: string, hits: KeywordHit[]): void {
    const work = this.send(tenantId, call, transcriptId, hits)
      .catch((error: Error) => this.logger.error(`NG word alert for call ${call.id} failed: ${error.message}`))
      .finally(() => this.sending.delete(work));
    this.sending.add(work);
  }

  /** Waits for alerts still being sent (shutdown, tests). */
  async drain(): Promise<void> {
    await Promise.all([...this.sending]);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.drain();
  }

  private async send(tenantId: string, call: Call, transcriptId: string, hits: KeywordHit[]): Promise<void> {
    const users = await this.dataSource.getRepository(User).find({ where: { tenantId, disabled: false } });
    const supervisors = users.filter((u) => u.roles.includes('supervisor') && !!u.email);
    const recipients = supervisors.length ? supervisors : users.filter((u) => u.roles.includes('tenantAdmin'));
    const mailed: string[] = [];
    const failed: Array<{ to: string; error: string }> = [];
    if (this.mail.configured) {
      for (const user of recipients) {
        try {
          await this.mail.send({ to: user.email, ...message(call, hits) });
          mailed.push(user.email);
        } catch (error) {
          failed.push({ to: user.email, error: (error as Error).message });
        }
      }
    }
    const webhooks = await this.publishWebhook(tenantId, call, transcriptId, hits);
    await this.audit.record({
      action: 'vnote.keyword.alerted',
      tenantId,
      actorId: null,
      actorEmail: null,
      target: call.id,
      details: {
        transcriptId,
        entries: [...new Set(hits.map((h) => h.entry))],
        mailed,
        failed,
        webhooks,
        ...(this.mail.configured ? {} : { note: 'mail is not configured (setup wizard, mail step)' }),
      },
    });
  }

  /** Queues the `vnote.keyword` event for the tenant's subscribed endpoints; answers how many, or why none. */
  private async publishWebhook(
    tenantId: string,
    call: Call,
    transcriptId: string,
    hits: KeywordHit[],
  ): Promise<number | string> {
    try {
      return await this.webhooks.publish(tenantId, 'vnote.keyword', {
        callId: call.id,
        transcriptId,
        hits: hits.map((h) => ({
          kind: h.kind,
          entry: h.entry,
          segmentId: h.segmentId,
          startMs: h.startMs,
          speaker: h.speaker,
          text: h.text,
        })),
      });
    } catch (error) {
      return `webhook not queued: ${(error as Error).message}`;
    }
  }
}

const clock = (ms: number) => {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

function message(call: Call, hits: KeywordHit[]): { subject: string; text: string } {
  const entries = [...new Set(hits.map((h) => h.entry))].join('、');
  const lines = hits.slice(0, 20).map((h) => `  ${clock(h.startMs)} [${h.speaker}] ${h.text}`);
  return {
    subject: `[通話録音] NGワード検知: ${entries} / NG word spoken`,
    text: [
      `通話 ${call.id} (${call.startedAt.toISOString()}, ${call.callerDialled} → ${call.calleeDialled}) で NGワードが検出されました。`,
      `NGワード: ${entries}`,
      ...lines,
      '',
      `An NG word was spoken in call ${call.id}: ${entries}.`,
      'Open the call in FlexVNote to listen from the marked segments.',
    ].join('\n'),
  };
}
