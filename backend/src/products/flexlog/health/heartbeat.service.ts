import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { SiteAlerts } from '../alerts/site-alerts.service';
import { FlexlogSite } from '../sites/site.entity';
import { HeartbeatDto } from './heartbeat.dto';
import { HeartbeatMinute } from './heartbeat-minute.entity';
import { nextHealth } from './site-conditions';
import { SiteHealth } from './site-health.entity';

/** A day of minutes is what the status chart shows; older minutes are removed as new ones start. */
export const HISTORY_MS = 24 * 3600 * 1000;

export interface HeartbeatAnswer {
  siteId: string;
  /** When the site's rules last changed: the capture refetches GET /api/v1/flexlog/config when it moves. */
  configUpdatedAt: Date;
}

/**
 * Takes a site's heartbeat: the latest figures replace the previous ones, the minute's history row
 * gathers them for the chart, and the alerts that arrive with a heartbeat (back online, drops,
 * stalled uploads, spool) are decided at once.
 */
@Injectable()
export class HeartbeatService {
  private readonly health: Repository<SiteHealth>;
  private readonly minutes: Repository<HeartbeatMinute>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly alerts: SiteAlerts,
  ) {
    this.health = dataSource.getRepository(SiteHealth);
    this.minutes = dataSource.getRepository(HeartbeatMinute);
  }

  async receive(siteId: string, tenantId: string, dto: HeartbeatDto, now = new Date()): Promise<HeartbeatAnswer> {
    const site = await this.dataSource.getRepository(FlexlogSite).findOne({ where: { id: siteId, tenantId } });
    const previous = await this.health.findOne({ where: { siteId, tenantId } });
    if (!site || !previous) throw new NotFoundException('site not found');
    const { patch, newDrops } = nextHealth(
      previous,
      {
        ...dto,
        lastUploadAt: dto.lastUploadAt ? new Date(dto.lastUploadAt) : null,
        pendingUploads: dto.pendingUploads ?? null,
      },
      now,
    );
    await this.health.update({ siteId, tenantId }, patch);
    await this.recordMinute(site, dto, newDrops, now);
    await this.alerts.evaluate(site, Object.assign(previous, patch), now);
    return { siteId, configUpdatedAt: site.updatedAt };
  }

  private async recordMinute(site: FlexlogSite, dto: HeartbeatDto, drops: number, now: Date): Promise<void> {
    const minute = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
    const packets = Math.round(dto.packetsPerSecond);
    const key = { siteId: site.id, minute };
    const row = await this.minutes.findOne({ where: key });
    if (row) {
      await this.minutes.update(key, {
        heartbeats: row.heartbeats + 1,
        packetsPerSecondSum: row.packetsPerSecondSum + packets,
        packetsPerSecondMax: Math.max(row.packetsPerSecondMax, packets),
        drops: row.drops + drops,
        activeCallsMax: Math.max(row.activeCallsMax, dto.activeCalls),
        spoolBytes: dto.spoolBytes,
      });
      return;
    }
    await this.minutes.insert({
      ...key,
      tenantId: site.tenantId,
      heartbeats: 1,
      packetsPerSecondSum: packets,
      packetsPerSecondMax: packets,
      drops,
      activeCallsMax: dto.activeCalls,
      spoolBytes: dto.spoolBytes,
    });
    // Once a minute per site, the minutes that fell out of the day go.
    await this.minutes
      .createQueryBuilder()
      .delete()
      .where('siteId = :siteId', { siteId: site.id })
      .andWhere('minute < :cutoff', { cutoff: new Date(now.getTime() - HISTORY_MS) })
      .execute();
  }
}
