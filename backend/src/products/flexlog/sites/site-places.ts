import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import {
  CallPlaces,
  LinePlace,
  lineKey,
  PlaceDirectory,
  PlaceIds,
  PlaceNames,
} from '../../recordings/places/call-places';
import { FlexlogSite, SiteLine } from './site.entity';

// A FlexLog call carries its site's id; its line is one of that site's named lines, which have no id
// of their own: the name is unique within the site (site-rules.ts) and is what a call's lineId holds.

type SiteRow = Pick<FlexlogSite, 'id' | 'name' | 'lines'>;

const linesOf = (site: SiteRow): LinePlace[] =>
  (JSON.parse(site.lines) as SiteLine[]).map((l) => ({ id: l.name, name: l.name, siteId: site.id }));

/** Lends the recording store the names of the tenant's FlexLog sites and their lines. */
@Injectable()
export class SitePlaces implements PlaceDirectory, OnModuleInit {
  constructor(
    @InjectRepository(FlexlogSite) private readonly sites: Repository<FlexlogSite>,
    private readonly places: CallPlaces,
  ) {}

  onModuleInit(): void {
    this.places.register(this);
  }

  async names(tenantId: string, ids: PlaceIds): Promise<PlaceNames> {
    const names: PlaceNames = { sites: new Map(), lines: new Map() };
    if (!ids.siteIds.length) return names;
    const rows = await this.sites.find({
      select: { id: true, name: true, lines: true },
      where: { tenantId, id: In(ids.siteIds) },
    });
    const wantedLines = new Set(ids.lineIds);
    for (const site of rows) {
      names.sites.set(site.id, site.name);
      for (const line of linesOf(site)) {
        if (wantedLines.has(line.id)) names.lines.set(lineKey(site.id, line.id), line.name);
      }
    }
    return names;
  }

  async list(tenantId: string) {
    const rows = await this.sites.find({ select: { id: true, name: true, lines: true }, where: { tenantId } });
    return { sites: rows.map((s) => ({ id: s.id, name: s.name })), lines: rows.flatMap(linesOf) };
  }
}
