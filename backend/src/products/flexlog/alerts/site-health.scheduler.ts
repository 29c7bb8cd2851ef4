import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { FlexlogSite } from '../sites/site.entity';
import { SiteHealth } from '../health/site-health.entity';
import { SiteAlert } from './alert-messages';
import { SiteAlerts } from './site-alerts.service';

export const CHECK_EVERY_MS = 10_000;
/** The shortest offline limit a site may have (CreateSiteDto): rows heard from since are not read at all. */
const SHORTEST_OFFLINE_MS = 20_000;

/**
 * Notices silence, which no request reports: every 10 s, in every process, the sites not heard from
 * for longer than their limit are alerted offline. Recovery, drops, stalls and a full spool arrive
 * with heartbeats and are alerted there. Claims in SiteAlerts keep processes from alerting twice.
 */
@Injectable()
export class SiteHealthScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SiteHealthScheduler.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly alerts: SiteAlerts,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.check().catch(() => undefined), CHECK_EVERY_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running.catch(() => undefined);
  }

  /** One round at `now` (tests pass their own); rounds run one after another, never overlapping. */
  check(now = new Date()): Promise<SiteAlert[]> {
    const round = this.running.catch(() => undefined).then(() => this.round(now));
    this.running = round;
    return round;
  }

  private async round(now: Date): Promise<SiteAlert[]> {
    const silent = await this.dataSource
      .getRepository(SiteHealth)
      .createQueryBuilder('h')
      .where('h.alertOffline = :told', { told: false })
      .andWhere('h.lastSeenAt < :since', { since: new Date(now.getTime() - SHORTEST_OFFLINE_MS) })
      .getMany();
    if (!silent.length) return [];
    const sites = await this.dataSource.getRepository(FlexlogSite).findBy({ id: In(silent.map((h) => h.siteId)) });
    const sent: SiteAlert[] = [];
    for (const health of silent) {
      const site = sites.find((s) => s.id === health.siteId);
      if (!site) continue;
      try {
        sent.push(...(await this.alerts.evaluate(site, health, now)));
      } catch (error) {
        this.logger.warn(`site ${site.id}: offline check failed: ${(error as Error).message}`);
      }
    }
    return sent;
  }
}
