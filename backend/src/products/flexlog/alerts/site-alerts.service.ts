import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditService } from '../../../core/audit/audit.service';
import { JOB_QUEUE, JobQueue } from '../../../platform/queue/job-queue';
import { FlexlogSite } from '../sites/site.entity';
import { SiteHealth } from '../health/site-health.entity';
import { ALERT_COLUMN, CONDITIONS, Condition, siteConditions } from '../health/site-conditions';
import { figuresOf } from '../health/site-status';
import { SiteAlert } from './alert-messages';

/** The queue that delivers alerts (mail, webhook): on bull a claimed alert survives a crash before delivery. */
export const ALERT_QUEUE = 'flexlog-alerts';

/**
 * Turns a site's conditions into alerts, once per change: the health row remembers what the admins
 * were told, and each change is claimed by a conditional UPDATE, so two processes (or a heartbeat
 * racing the scheduler) never alert twice. A claimed change is audited, then queued for delivery.
 */
@Injectable()
export class SiteAlerts {
  private readonly logger = new Logger(SiteAlerts.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    private readonly audit: AuditService,
  ) {}

  /** Alerts every condition whose state differs from what was last told; answers what it sent. */
  async evaluate(site: FlexlogSite, health: SiteHealth, now = new Date()): Promise<SiteAlert[]> {
    const holds = siteConditions(site, health, now);
    const sent: SiteAlert[] = [];
    for (const condition of CONDITIONS) {
      const value = holds[condition];
      if (value === undefined || health[ALERT_COLUMN[condition]] === value) continue;
      if (!(await this.claim(site, condition, value, now))) continue;
      health[ALERT_COLUMN[condition]] = value;
      sent.push(await this.announce(site, health, condition, value, now));
    }
    return sent;
  }

  /**
   * Flips the remembered state if nobody did first. Going offline is also re-checked in the same
   * statement: a heartbeat that landed since the caller read the row keeps the site online.
   */
  private async claim(site: FlexlogSite, condition: Condition, raised: boolean, now: Date): Promise<boolean> {
    const column = ALERT_COLUMN[condition];
    const update = this.dataSource
      .createQueryBuilder()
      .update(SiteHealth)
      .set({ [column]: raised })
      .where('siteId = :siteId', { siteId: site.id })
      .andWhere(`${column} = :was`, { was: !raised });
    if (condition === 'offline' && raised) {
      update.andWhere('lastSeenAt < :cutoff', { cutoff: new Date(now.getTime() - site.offlineAfterSeconds * 1000) });
    }
    return ((await update.execute()).affected ?? 0) > 0;
  }

  private async announce(
    site: FlexlogSite,
    health: SiteHealth,
    condition: Condition,
    raised: boolean,
    now: Date,
  ): Promise<SiteAlert> {
    const alert: SiteAlert = {
      id: randomUUID(),
      tenantId: site.tenantId,
      site: { id: site.id, name: site.name, location: site.location },
      condition,
      state: raised ? 'raised' : 'cleared',
      at: now.toISOString(),
      lastSeenAt: health.lastSeenAt?.toISOString() ?? null,
      figures: figuresOf(health),
    };
    try {
      await this.queue.add(ALERT_QUEUE, alert, { attempts: 1 });
    } catch (error) {
      // Undo the claim: the next heartbeat or check tries again, rather than the change going untold.
      await this.dataSource
        .createQueryBuilder()
        .update(SiteHealth)
        .set({ [ALERT_COLUMN[condition]]: !raised })
        .where('siteId = :siteId', { siteId: site.id })
        .execute();
      this.logger.error(`alert ${condition} of site ${site.id} not queued: ${(error as Error).message}`);
      throw error;
    }
    await this.audit.record({
      action: `flexlog.alert.${alert.state}`,
      tenantId: site.tenantId,
      actorId: null,
      actorEmail: null,
      target: site.id,
      details: {
        deliveryId: alert.id,
        condition,
        site: site.name,
        lastSeenAt: alert.lastSeenAt,
        figures: alert.figures,
      },
    });
    return alert;
  }
}
