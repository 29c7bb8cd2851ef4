import { lineOptions, placeLabel, siteOptions } from './call-place';
import { PlaceListing } from './recordings.types';

const PLACES: PlaceListing = {
  sites: [
    { id: 's-osaka', name: '大阪支社' },
    { id: 's-tokyo', name: '東京本社' },
  ],
  lines: [
    { id: 'c1', name: '営業1号', siteId: null },
    { id: '代表', name: '代表', siteId: 's-osaka' },
    { id: '代表', name: '代表', siteId: 's-tokyo' },
    { id: '東京店', name: '東京店', siteId: 's-tokyo' },
  ],
};

describe('placeLabel', () => {
  it('shows names, each falling back to its id, and null when the call has neither', () => {
    expect(placeLabel({ siteId: 's', siteName: '東京本社', lineId: 'l', lineName: '東京店' })).toBe(
      '東京本社 / 東京店',
    );
    expect(placeLabel({ siteId: 's-gone', siteName: null, lineId: 'l', lineName: '東京店' })).toBe('s-gone / 東京店');
    expect(placeLabel({ siteId: null, siteName: null, lineId: 'c1', lineName: '営業1号' })).toBe('営業1号');
    expect(placeLabel({ siteId: null, siteName: null, lineId: null, lineName: null })).toBeNull();
  });
});

describe('site and line filter options', () => {
  it('offers a line shared by two sites once, naming both sites', () => {
    expect(lineOptions(PLACES, '', '')).toEqual([
      { value: 'c1', label: '営業1号' },
      { value: '代表', label: '代表（大阪支社・東京本社）' },
      { value: '東京店', label: '東京店（東京本社）' },
    ]);
  });

  it('offers only the chosen site lines and the lines of no site', () => {
    expect(lineOptions(PLACES, 's-osaka', '').map((o) => o.label)).toEqual(['営業1号', '代表']);
  });

  it('keeps an unknown current value selectable, as its id', () => {
    expect(siteOptions(PLACES, 'old-site').at(-1)).toEqual({ value: 'old-site', label: 'old-site' });
    expect(siteOptions(PLACES, 's-tokyo')).toHaveLength(2);
    expect(lineOptions(PLACES, '', 'L9').at(-1)).toEqual({ value: 'L9', label: 'L9' });
  });
});
