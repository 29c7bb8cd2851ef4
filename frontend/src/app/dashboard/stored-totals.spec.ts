import { storedTotals } from './dashboard.page';

describe('storedTotals', () => {
  it('walks back from the usage now through each day, today last', () => {
    const days = [
      { day: '2026-11-22', bytes: 100 },
      { day: '2026-11-23', bytes: 0 },
      { day: '2026-11-24', bytes: 50 },
    ];
    // 1,000 stored now; 50 of it came today, none yesterday, 100 the day before.
    expect(storedTotals(days, 1000)).toEqual([
      { day: '2026-11-22', bytes: 950 },
      { day: '2026-11-23', bytes: 950 },
      { day: '2026-11-24', bytes: 1000 },
    ]);
  });

  it('never goes below zero when deletions made the additions exceed the usage', () => {
    expect(
      storedTotals(
        [
          { day: 'a', bytes: 500 },
          { day: 'b', bytes: 500 },
        ],
        600,
      ).map((p) => p.bytes),
    ).toEqual([100, 600]);
    expect(
      storedTotals(
        [
          { day: 'a', bytes: 900 },
          { day: 'b', bytes: 500 },
        ],
        300,
      ).map((p) => p.bytes),
    ).toEqual([0, 300]);
  });
});
