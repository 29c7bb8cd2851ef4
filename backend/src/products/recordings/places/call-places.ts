import { Injectable } from '@nestjs/common';

// Calls carry the ids of the place they were recorded at: a FlexLog site and one of its named lines,
// a FlexDPlayer carrier line. Those products own the names; the recording store may not import
// them (docs/architecture.md), so each product registers a directory here when it starts.

/** The ids a page of calls mentions. */
export interface PlaceIds {
  siteIds: string[];
  lineIds: string[];
}

/**
 * Names of the ids a directory knows in the tenant. Lines are keyed by `lineKey(siteId, lineId)`:
 * a site's named lines with that site's id, lines that belong to no site with null.
 */
export interface PlaceNames {
  sites: Map<string, string>;
  lines: Map<string, string>;
}

export interface SitePlace {
  id: string;
  name: string;
}

export interface LinePlace {
  id: string;
  name: string;
  /** The site the line belongs to, or null for lines of no site (carrier lines). */
  siteId: string | null;
}

export interface PlaceListing {
  sites: SitePlace[];
  lines: LinePlace[];
}

/** What a product registers: both answers always for the tenant given, never another's. */
export interface PlaceDirectory {
  /** One query at most for any number of ids: the search resolves a whole page at once. */
  names(tenantId: string, ids: PlaceIds): Promise<PlaceNames>;
  list(tenantId: string): Promise<PlaceListing>;
}

export interface CallPlaceNames {
  siteName: string | null;
  lineName: string | null;
}

type Placed = { siteId: string | null; lineId: string | null };

/** Site ids are UUIDs and line ids never hold a NUL, so the pair cannot collide with another. */
export const lineKey = (siteId: string | null, lineId: string) => `${siteId ?? ''}\u0000${lineId}`;

const distinct = (values: (string | null)[]) => [...new Set(values.filter((v): v is string => !!v))];
const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name, 'ja');

@Injectable()
export class CallPlaces {
  private readonly directories: PlaceDirectory[] = [];

  register(directory: PlaceDirectory): void {
    this.directories.push(directory);
  }

  /**
   * Names for every call of a page, resolved with one lookup per product. A line is first looked
   * for among its own site's lines, then among the lines of no site; unknown ids give null.
   */
  async namesFor(tenantId: string, calls: Placed[]): Promise<(call: Placed) => CallPlaceNames> {
    const ids = { siteIds: distinct(calls.map((c) => c.siteId)), lineIds: distinct(calls.map((c) => c.lineId)) };
    const sites = new Map<string, string>();
    const lines = new Map<string, string>();
    if (ids.siteIds.length || ids.lineIds.length) {
      for (const found of await Promise.all(this.directories.map((d) => d.names(tenantId, ids)))) {
        found.sites.forEach((name, id) => sites.set(id, name));
        found.lines.forEach((name, key) => lines.set(key, name));
      }
    }
    return (call) => ({
      siteName: (call.siteId && sites.get(call.siteId)) || null,
      lineName: call.lineId
        ? (lines.get(lineKey(call.siteId, call.lineId)) ?? lines.get(lineKey(null, call.lineId)) ?? null)
        : null,
    });
  }

  /** Every site and line of the tenant, sorted by name (Japanese collation) for the filter selects. */
  async list(tenantId: string): Promise<PlaceListing> {
    const listings = await Promise.all(this.directories.map((d) => d.list(tenantId)));
    return {
      sites: listings.flatMap((l) => l.sites).sort(byName),
      lines: listings.flatMap((l) => l.lines).sort(byName),
    };
  }
}
