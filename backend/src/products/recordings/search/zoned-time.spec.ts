import { zonedToUtc } from './zoned-time';

describe('zonedToUtc', () => {
  it('reads a Tokyo wall-clock time', () => {
    expect(zonedToUtc('2026-11-24', 'Asia/Tokyo').toISOString()).toBe('2026-11-23T15:00:00.000Z');
    expect(zonedToUtc('2026-11-24T09:30', 'Asia/Tokyo').toISOString()).toBe('2026-11-24T00:30:00.000Z');
  });
  it('handles a zone with daylight saving on both sides of the change', () => {
    expect(zonedToUtc('2026-03-08T12:00', 'America/New_York').toISOString()).toBe('2026-03-08T16:00:00.000Z');
    expect(zonedToUtc('2026-03-07T12:00', 'America/New_York').toISOString()).toBe('2026-03-07T17:00:00.000Z');
  });
  it('keeps an instant that carries its own offset', () => {
    expect(zonedToUtc('2026-11-24T00:00:00+09:00', 'UTC').toISOString()).toBe('2026-11-23T15:00:00.000Z');
  });
  it('refuses garbage', () => {
    expect(() => zonedToUtc('yesterday-ish', 'Asia/Tokyo')).toThrow(RangeError);
    for (const impossible of ['2026-13-45', '2026-02-30', '2026-11-24T24:00', '2026-11-24T09:60']) {
      expect(() => zonedToUtc(impossible, 'Asia/Tokyo')).toThrow(RangeError);
    }
  });
});
