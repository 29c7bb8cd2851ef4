import { PlaceListing } from './recordings.types';

/** Where a call was recorded, as the API gives it: ids, and names where the tenant's products know them. */
export interface CallPlace {
  siteId: string | null;
  siteName: string | null;
  lineId: string | null;
  lineName: string | null;
}

/**
 * "東京本社 / 東京店": names, each falling back to its id when the name is unknown (a deleted site
 * still says where the call came from). Null when the call has neither: the caller shows its own
 * translated "no site or line".
 */
export function placeLabel(p: CallPlace): string | null {
  const parts = [p.siteName ?? p.siteId, p.lineName ?? p.lineId].filter((v): v is string => !!v);
  return parts.length ? parts.join(' / ') : null;
}

export interface PlaceOption {
  value: string;
  label: string;
}

/**
 * The line filter's choices. A site's lines are known by name only, so two sites may share one
 * (代表): it is offered once, naming the sites. With a site chosen, only that site's lines and the
 * lines of no site are offered. The current value stays offered even if unknown (an old saved search).
 */
export function lineOptions(places: PlaceListing, siteId: string, current: string): PlaceOption[] {
  const siteNames = new Map(places.sites.map((s) => [s.id, s.name]));
  const byValue = new Map<string, { name: string; sites: string[] }>();
  for (const line of places.lines) {
    if (siteId && line.siteId && line.siteId !== siteId) continue;
    const entry = byValue.get(line.id) ?? { name: line.name, sites: [] };
    if (line.siteId) entry.sites.push(siteNames.get(line.siteId) ?? line.siteId);
    byValue.set(line.id, entry);
  }
  const options = [...byValue].map(([value, { name, sites }]) => ({
    value,
    label: sites.length && !siteId ? `${name}（${sites.join('・')}）` : name,
  }));
  return withCurrent(options, current);
}

/** The site filter's choices, keeping an unknown current value selectable. */
export function siteOptions(places: PlaceListing, current: string): PlaceOption[] {
  return withCurrent(
    places.sites.map((s) => ({ value: s.id, label: s.name })),
    current,
  );
}

function withCurrent(options: PlaceOption[], current: string): PlaceOption[] {
  return !current || options.some((o) => o.value === current)
    ? options
    : [...options, { value: current, label: current }];
}
