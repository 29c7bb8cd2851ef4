import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SiteHealth } from '../health/site-health.entity';
import type { CallEventDto } from './call-event.dto';
import { CallEventsService } from './call-events.service';

export interface EventSite {
  id: string;
  tenantId: string;
  name: string;
}

export type IntakeOutcome = 'accepted' | 'duplicate' | 'site-gone';

/**
 * Accepts each event of a site once. The site's highest accepted seq is moved up by one conditional
 * UPDATE, so a replay after a reconnect (to this process or another) is recognised and only acked,
 * never published twice.
 */
@Injectable()
export class CallEventIntake {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: CallEventsService,
  ) {}

  /** The highest seq accepted from the site (0 before the first), or null when the site is gone. */
  async lastSeq(site: EventSite): Promise<number | null> {
    const row = await this.dataSource
      .getRepository(SiteHealth)
      .findOne({ where: { siteId: site.id, tenantId: site.tenantId }, select: { siteId: true, lastEventSeq: true } });
    return row ? row.lastEventSeq : null;
  }

  async accept(site: EventSite, dto: CallEventDto, receivedAt: bigint): Promise<IntakeOutcome> {
    const moved = await this.dataSource
      .createQueryBuilder()
      .update(SiteHealth)
      .set({ lastEventSeq: dto.seq })
      .where('siteId = :siteId AND tenantId = :tenantId', { siteId: site.id, tenantId: site.tenantId })
      .andWhere('lastEventSeq < :seq', { seq: dto.seq })
      .execute();
    if (!moved.affected) return (await this.lastSeq(site)) === null ? 'site-gone' : 'duplicate';
    this.events.publish(
      {
        tenantId: site.tenantId,
        siteId: site.id,
        siteName: site.name,
        seq: dto.seq,
        type: dto.type,
        callId: dto.callId,
        at: dto.at,
        caller: dto.caller,
        callee: dto.callee,
        callerName: dto.callerName ?? null,
        extension: dto.extension ?? null,
        direction: dto.direction,
        lineName: dto.lineName ?? null,
        receivedAt: new Date().toISOString(),
      },
      receivedAt,
    );
    return 'accepted';
  }
}
