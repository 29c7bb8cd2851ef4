import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { User } from '../../../core/users/user.entity';
import { UserExtensions } from '../../../core/users/user-extensions';
import { fieldErrors } from '../../../platform/http/field-errors';
import { CallPlaces } from '../../recordings/places/call-places';
import { PopupLineSubscription, PopupPresence, Presence } from './popup-routing.entities';
import { TenantRoutings } from './tenant-routing';

export interface NamedLine {
  siteId: string;
  siteName: string;
  lineName: string;
}

/** Where a user's popups come from, and whether they come at all. */
export interface RoutingView {
  userId: string;
  presence: Presence;
  extensions: string[];
  lines: NamedLine[];
}

/**
 * Named-line subscriptions and presence (受付中/離席) of users. Who gets a call's popup follows from
 * them (TenantRouting.targetsOf): the user mapped to the ringing extension and the line's subscribers,
 * if available and active.
 */
@Injectable()
export class PopupRouting {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly extensions: UserExtensions,
    private readonly places: CallPlaces,
    private readonly routings: TenantRoutings,
  ) {}

  /** The tenant's FlexLog named lines a user can subscribe to. */
  async namedLines(tenantId: string): Promise<NamedLine[]> {
    const listing = await this.places.list(tenantId);
    const siteNames = new Map(listing.sites.map((s) => [s.id, s.name]));
    return listing.lines
      .filter((l) => l.siteId !== null && siteNames.has(l.siteId))
      .map((l) => ({ siteId: l.siteId as string, siteName: siteNames.get(l.siteId as string) ?? '', lineName: l.name }))
      .sort((a, b) => a.siteName.localeCompare(b.siteName) || a.lineName.localeCompare(b.lineName));
  }

  async routingOf(tenantId: string, userId: string): Promise<RoutingView> {
    await this.assertUser(tenantId, userId);
    const [extensions, subscribed, presence, lines] = await Promise.all([
      this.extensions.of(tenantId, [userId]),
      this.dataSource.getRepository(PopupLineSubscription).find({ where: { tenantId, userId } }),
      this.presenceOf(tenantId, userId),
      this.namedLines(tenantId),
    ]);
    const siteNames = new Map(lines.map((l) => [l.siteId, l.siteName]));
    return {
      userId,
      presence,
      extensions: extensions.get(userId) ?? [],
      // A line deleted from its site since stays listed (with no site name) until the user drops it.
      lines: subscribed
        .map((s) => ({ siteId: s.siteId, siteName: siteNames.get(s.siteId) ?? '', lineName: s.lineName }))
        .sort((a, b) => a.siteName.localeCompare(b.siteName) || a.lineName.localeCompare(b.lineName)),
    };
  }

  async presenceOf(tenantId: string, userId: string): Promise<Presence> {
    const row = await this.dataSource.getRepository(PopupPresence).findOne({ where: { tenantId, userId } });
    return row?.presence ?? 'available';
  }

  async setPresence(tenantId: string, userId: string, presence: Presence): Promise<void> {
    await this.assertUser(tenantId, userId);
    await this.dataSource
      .getRepository(PopupPresence)
      .upsert({ tenantId, userId, presence, updatedAt: new Date() }, ['tenantId', 'userId']);
    this.routings.changed(tenantId);
  }

  /** Replaces the user's line subscriptions; each must name a line of one of the tenant's sites. */
  async setLines(tenantId: string, userId: string, wanted: Array<{ siteId: string; lineName: string }>): Promise<void> {
    await this.assertUser(tenantId, userId);
    const known = new Set((await this.namedLines(tenantId)).map((l) => `${l.siteId}\u0000${l.lineName}`));
    const problems = wanted.flatMap((l, i) =>
      known.has(`${l.siteId}\u0000${l.lineName}`)
        ? []
        : [{ field: `lines[${i}]`, message: `no line "${l.lineName}" at site ${l.siteId}` }],
    );
    if (problems.length) throw fieldErrors(problems);
    const keyOf = (l: { siteId: string; lineName: string }) => `${l.siteId}\u0000${l.lineName}`;
    const unique = new Map(wanted.map((l) => [keyOf(l), { siteId: l.siteId, lineName: l.lineName }]));
    // Only the rows that change, each by its whole key: a range DELETE would take gap locks, and two
    // admins saving the lines of two users at once would deadlock on MariaDB.
    await this.dataSource.transaction(async (m) => {
      const repo = m.getRepository(PopupLineSubscription);
      const existing = await repo.find({ where: { tenantId, userId } });
      const gone = existing.filter((e) => !unique.has(keyOf(e)));
      const had = new Set(existing.map(keyOf));
      const added = [...unique.values()].filter((l) => !had.has(keyOf(l)));
      if (gone.length)
        await repo.delete(gone.map((g) => ({ tenantId, userId, siteId: g.siteId, lineName: g.lineName })));
      if (added.length) {
        await repo
          .createQueryBuilder()
          .insert()
          .values(added.map((l) => ({ tenantId, userId, ...l })))
          .orIgnore()
          .execute();
      }
    });
    this.routings.changed(tenantId);
  }

  /** 404 for a user of another tenant, exactly as for one that does not exist. */
  async assertUser(tenantId: string, userId: string): Promise<void> {
    if (!(await this.dataSource.getRepository(User).exists({ where: { tenantId, id: userId } }))) {
      throw new NotFoundException('user not found');
    }
  }
}
