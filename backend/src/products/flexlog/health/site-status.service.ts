import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, MoreThanOrEqual } from 'typeorm';
import type { FlexlogSite } from '../sites/site.entity';
import { HeartbeatMinute } from './heartbeat-minute.entity';
import { SiteHealth } from './site-health.entity';
import { MinuteView, minuteView, SiteStatus, statusOf } from './site-status';

/** Status of sites the caller already holds (read through the tenant-scoped repository). */
@Injectable()
export class SiteStatusService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async statuses(sites: FlexlogSite[], now = new Date()): Promise<Map<string, SiteStatus>> {
    if (!sites.length) return new Map();
    const rows = await this.dataSource
      .getRepository(SiteHealth)
      .findBy({ tenantId: sites[0].tenantId, siteId: In(sites.map((s) => s.id)) });
    return new Map(
      sites.flatMap((site) => {
        const health = rows.find((r) => r.siteId === site.id);
        return health ? [[site.id, statusOf(site, health, now)] as const] : [];
      }),
    );
  }

  /** One site's status with its history, oldest minute first. */
  async withHistory(
    site: FlexlogSite,
    hours: number,
    now = new Date(),
  ): Promise<SiteStatus & { history: MinuteView[] }> {
    const status = (await this.statuses([site], now)).get(site.id) as SiteStatus;
    const minutes = await this.dataSource.getRepository(HeartbeatMinute).find({
      where: {
        tenantId: site.tenantId,
        siteId: site.id,
        minute: MoreThanOrEqual(new Date(now.getTime() - hours * 3600_000)),
      },
      order: { minute: 'ASC' },
    });
    return { ...status, history: minutes.map(minuteView) };
  }
}
