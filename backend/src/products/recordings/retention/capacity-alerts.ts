import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource } from 'typeorm';
import { AuditService } from '../../../core/audit/audit.service';
import { User } from '../../../core/users/user.entity';
import { MailService } from '../../../platform/mail/mail.service';
import { RecordingPolicy } from '../policy/recording-policy.entity';

/** A tenant's admins hear about a full store at most this often, however many uploads are refused. */
export const ALERT_EVERY_MS = 24 * 3600 * 1000;

export interface CapacityNumbers {
  usedBytes: number;
  capacityBytes: number;
  /** Bytes of the recording that did not fit (0 when the sweep found the store over capacity). */
  neededBytes: number;
  /** Bytes that no rotation may free (calls on legal hold), when they are what stands in the way. */
  heldBytes?: number;
}

/** Byte counts as people read them in messages: 1,234,567. */
export const fmt = (n: number) => n.toLocaleString('en-US');

/**
 * Tells a tenant's administrators that its recording store is full: one mail to each active tenant
 * admin, at most once a day per tenant, and an audit entry naming who was told. The mail goes out in
 * the background so a refused upload is answered at once even when the mail server is slow.
 */
@Injectable()
export class CapacityAlerts implements OnApplicationShutdown {
  private readonly logger = new Logger(CapacityAlerts.name);
  private readonly sending = new Set<Promise<void>>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly mail: MailService,
    private readonly audit: AuditService,
  ) {}

  /** Alerts unless this tenant was alerted in the last day; answers whether it did. */
  async capacityFull(tenantId: string, numbers: CapacityNumbers, now = new Date()): Promise<boolean> {
    if (!(await this.claimDailyAlert(tenantId, now))) return false;
    const work = this.send(tenantId, numbers).finally(() => this.sending.delete(work));
    this.sending.add(work);
    return true;
  }

  /** Waits for alerts still being sent (shutdown, tests). */
  async drain(): Promise<void> {
    await Promise.all([...this.sending]);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.drain();
  }

  /**
   * One conditional UPDATE decides, so two processes refusing uploads at the same moment send one
   * alert, not two. A tenant with a capacity always has a policy row.
   */
  private async claimDailyAlert(tenantId: string, now: Date): Promise<boolean> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(RecordingPolicy)
      .set({ capacityAlertedAt: now })
      .where('tenantId = :tenantId', { tenantId })
      .andWhere(
        new Brackets((w) =>
          w
            .where('capacityAlertedAt IS NULL')
            .orWhere('capacityAlertedAt <= :dayAgo', { dayAgo: new Date(now.getTime() - ALERT_EVERY_MS) }),
        ),
      )
      .execute();
    return (result.affected ?? 0) > 0;
  }

  private async send(tenantId: string, n: CapacityNumbers): Promise<void> {
    const admins = (await this.dataSource.getRepository(User).find({ where: { tenantId, disabled: false } })).filter(
      (u) => u.roles.includes('tenantAdmin') && !!u.email,
    );
    const mailed: string[] = [];
    const failed: Array<{ to: string; error: string }> = [];
    if (this.mail.configured) {
      for (const admin of admins) {
        try {
          await this.mail.send({ to: admin.email, ...message(n) });
          mailed.push(admin.email);
        } catch (error) {
          failed.push({ to: admin.email, error: (error as Error).message });
        }
      }
    }
    if (!this.mail.configured || failed.length) {
      this.logger.warn(`capacity alert for tenant ${tenantId}: mail not delivered to every admin`);
    }
    await this.audit
      .record({
        action: 'recordings.capacity.alerted',
        tenantId,
        actorId: null,
        actorEmail: null,
        details: {
          ...n,
          mailed,
          failed,
          ...(this.mail.configured ? {} : { note: 'mail is not configured (setup wizard, mail step)' }),
        },
      })
      .catch((error: Error) => this.logger.error(`capacity alert not audited: ${error.message}`));
  }
}

function message(n: CapacityNumbers): { subject: string; text: string } {
  const percent = ((n.usedBytes / n.capacityBytes) * 100).toFixed(1);
  const heldBytes = n.heldBytes ?? 0;
  const held = heldBytes > 0;
  return {
    subject: '[通話録音] 録音容量が上限に達しました / recording capacity full',
    text: [
      '録音の保存容量が上限に達したため、新しい録音を保存できません。',
      `使用量 ${fmt(n.usedBytes)} / 上限 ${fmt(n.capacityBytes)} バイト (${percent}%)。`,
      ...(held ? [`うち ${fmt(heldBytes)} バイトはリーガルホールド中のため削除されません。`] : []),
      '不要な録音を削除ツールで削除するか、契約プランの容量を増やしてください。',
      '',
      'The recording store is full and new recordings are being refused.',
      `Used ${fmt(n.usedBytes)} of ${fmt(n.capacityBytes)} bytes (${percent}%)` +
        (n.neededBytes ? `; the refused recording needed ${fmt(n.neededBytes)} bytes.` : '.'),
      ...(held ? [`${fmt(heldBytes)} bytes are calls on legal hold, which are never deleted.`] : []),
      'Delete recordings with the deletion tool, or ask for a larger plan. This alert is sent at most once a day.',
    ].join('\n'),
  };
}
