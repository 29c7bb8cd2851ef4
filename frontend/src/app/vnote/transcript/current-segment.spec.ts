import { currentSegmentIndex, segmentAtOrAfter } from './current-segment';

// Customer and operator alternate, with one overlap (operator starts at 4500 while the customer talks).
const segments = [
  { startMs: 0, endMs: 2000 },
  { startMs: 2500, endMs: 5000 },
  { startMs: 4500, endMs: 6000 },
  { startMs: 10_000, endMs: 12_000 },
];

describe('currentSegmentIndex', () => {
  it.each([
    [0, 0],
    [1999, 0],
    [2000, -1], // end is exclusive: the gap after it
    [2200, -1],
    [2500, 1],
    [4499, 1],
    [4500, 2], // both speak: the later-starting one is highlighted
    [5500, 2],
    [8000, -1], // a silence
    [11_000, 3],
    [12_000, -1], // after the last
  ])('at %i ms -> %i', (ms, expected) => {
    expect(currentSegmentIndex(segments, ms)).toBe(expected);
  });

  it('finds a long segment still running behind shorter ones', () => {
    const long = [
      { startMs: 0, endMs: 60_000 },
      ...Array.from({ length: 5 }, (_, i) => ({ startMs: 1000 * (i + 1), endMs: 1000 * (i + 1) + 200 })),
    ];
    expect(currentSegmentIndex(long, 3500)).toBe(0);
    expect(currentSegmentIndex(long, 3100)).toBe(3);
  });

  it('answers -1 for no segments and before the first', () => {
    expect(currentSegmentIndex([], 100)).toBe(-1);
    expect(currentSegmentIndex([{ startMs: 500, endMs: 900 }], 100)).toBe(-1);
  });
});

describe('segmentAtOrAfter', () => {
  it('is the segment containing the time, else the next one', () => {
    expect(segmentAtOrAfter(segments, 3000)).toBe(1);
    expect(segmentAtOrAfter(segments, 7000)).toBe(3);
    expect(segmentAtOrAfter(segments, 13_000)).toBe(-1);
  });
});
