import { CallPlaces, lineKey, PlaceDirectory, PlaceIds } from './call-places';

/** A directory answering from fixed maps, recording every lookup it was asked for. */
function directory(sites: [string, string][], lines: [string, string][]) {
  const asked: Array<{ tenantId: string; ids: PlaceIds }> = [];
  const d: PlaceDirectory = {
    names: async (tenantId, ids) => {
      asked.push({ tenantId, ids });
      return {
        sites: new Map(sites.filter(([id]) => ids.siteIds.includes(id))),
        lines: new Map(lines),
      };
    },
    list: async () => ({
      sites: sites.map(([id, name]) => ({ id, name })),
      lines: lines.map(([key, name]) => ({ id: key.split('\u0000')[1], name, siteId: key.split('\u0000')[0] || null })),
    }),
  };
  return { d, asked };
}

describe('CallPlaces', () => {
  it('asks each directory once for a whole page, with each id once', async () => {
    const places = new CallPlaces();
    const flexlog = directory([['s1', '東京本社']], [[lineKey('s1', '東京店'), '東京店']]);
    const carrier = directory([], [[lineKey(null, 'c1'), '営業1号']]);
    places.register(flexlog.d);
    places.register(carrier.d);
    const page = Array.from({ length: 50 }, (_, i) => ({ siteId: 's1', lineId: i % 2 ? '東京店' : 'c1' }));
    const namesOf = await places.namesFor('t1', page);
    expect(flexlog.asked).toEqual([{ tenantId: 't1', ids: { siteIds: ['s1'], lineIds: ['c1', '東京店'] } }]);
    expect(carrier.asked).toHaveLength(1);
    expect(namesOf(page[1])).toEqual({ siteName: '東京本社', lineName: '東京店' });
    expect(namesOf(page[0])).toEqual({ siteName: '東京本社', lineName: '営業1号' });
  });

  it('takes a site line only for its own site, and gives null for unknown ids', async () => {
    const places = new CallPlaces();
    places.register(directory([['s1', '東京本社']], [[lineKey('s1', '東京店'), '東京店']]).d);
    const namesOf = await places.namesFor('t1', [{ siteId: 's2', lineId: '東京店' }]);
    expect(namesOf({ siteId: 's2', lineId: '東京店' })).toEqual({ siteName: null, lineName: null });
    expect(namesOf({ siteId: null, lineId: null })).toEqual({ siteName: null, lineName: null });
  });

  it('asks nobody for a page without ids', async () => {
    const places = new CallPlaces();
    const flexlog = directory([['s1', '東京本社']], []);
    places.register(flexlog.d);
    await places.namesFor('t1', [{ siteId: null, lineId: null }]);
    expect(flexlog.asked).toEqual([]);
  });

  it('lists every directory places sorted by name', async () => {
    const places = new CallPlaces();
    places.register(directory([['s2', '大阪支社']], [[lineKey('s2', '大阪店'), '大阪店']]).d);
    places.register(directory([['s1', '東京本社']], [[lineKey(null, 'c1'), '営業1号']]).d);
    const listing = await places.list('t1');
    expect(listing.sites.map((s) => s.name)).toEqual(['大阪支社', '東京本社'].sort((a, b) => a.localeCompare(b, 'ja')));
    expect(listing.lines).toEqual(
      expect.arrayContaining([
        { id: '大阪店', name: '大阪店', siteId: 's2' },
        { id: 'c1', name: '営業1号', siteId: null },
      ]),
    );
  });
});
