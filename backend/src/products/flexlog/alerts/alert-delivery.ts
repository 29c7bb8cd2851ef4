import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../../../core/audit/audit.service';
import { User } from '../../../core/users/user.entity';
import { MailService } from '../../../platform/mail/mail.service';
import { JOB_QUEUE, JobQueue } from '../../../platform/queue/job-queue';
import { FlexlogSite } from '../sites/site.entity';
import { WebhookSecrets } from '../sites/webhook-secrets';
import { alertMail, SiteAlert, webhookBody } from './alert-messages';
import { ALERT_QUEUE } from './site-alerts.service';
import { postSignedJson } from './webhook-sender';

type WebhookOutcome = { url: string; status: number } | { url: string; error: string };

/**
 * Delivers queued alerts: one mail to each active tenant admin, and the site's webhook, signed.
 * One at a time per process, so a site's "offline" is not overtaken by its "back online". The
 * outcome (who was mailed, what the webhook answered) is audited; nothing is retried blindly, so
 * a mail is never sent twice for one change.
 */
@Injectable()
export class AlertDelivery implements OnModuleInit {
  private readonly logger = new Logger(AlertDelivery.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    private readonly mail: MailService,
    private readonly secrets: WebhookSecrets,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.queue.process<SiteAlert>(ALERT_QUEUE, 1, (alert) => this.deliver(alert));
  }

  async deliver(alert: SiteAlert): Promise<void> {
    const site = await this.dataSource
      .getRepository(FlexlogSite)
      .findOne({ where: { id: alert.site.id, tenantId: alert.tenantId } });
    if (!site) return; // deleted since: its alerts went with it
    const { mailed, failed } = await this.mailAdmins(alert);
    const webhook = site.webhookUrl ? await this.callWebhook(site, alert) : null;
    await this.audit.record({
      action: 'flexlog.alert.delivered',
      tenantId: alert.tenantId,
      actorId: null,
      actorEmail: null,
      target: site.id,
      details: {
        deliveryId: alert.id,
        condition: alert.condition,
        state: alert.state,
        mailed,
        failed,
        webhook,
        ...(this.mail.configured ? {} : { note: 'mail is not configured (setup wizard, mail step)' }),
      },
    });
  }

  private async mailAdmins(alert: SiteAlert) {
    const mailed: string[] = [];
    const failed: Array<{ to: string; error: string }> = [];
    if (!this.mail.configured) return { mailed, failed };
    const users = await this.dataSource
      .getRepository(User)
      .find({ where: { tenantId: alert.tenantId, disabled: false } });
    const message = alertMail(alert);
    for (const admin of users.filter((u) => u.roles.includes('tenantAdmin'))) {
      try {
        await this.mail.send({ to: admin.email, ...message });
        mailed.push(admin.email);
      } catch (error) {
        failed.push({ to: admin.email, error: (error as Error).message });
      }
    }
    if (failed.length) this.logger.warn(`alert ${alert.id}: mail not delivered to ${failed.length} admin(s)`);
    return { mailed, failed };
  }

  private async callWebhook(site: FlexlogSite, alert: SiteAlert): Promise<WebhookOutcome> {
    const url = site.webhookUrl as string;
    try {
      const secret = await this.secrets.open(site);
      if (!secret) return { url, error: 'no signing secret: make one (POST .../webhook-secret)' };
      const status = await postSignedJson(url, webhookBody(alert), secret, {
        'x-flexlog-event': `flexlog.site.${alert.condition}.${alert.state}`,
        'x-flexlog-delivery': alert.id,
      });
      return { url, status };
    } catch (error) {
      this.logger.warn(`alert ${alert.id}: webhook ${url} failed: ${(error as Error).message}`);
      return { url, error: (error as Error).message };
    }
  }
}
