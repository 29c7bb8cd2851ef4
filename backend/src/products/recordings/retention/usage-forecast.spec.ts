import { fitLine, forecastFull, ForecastInput } from './usage-forecast';

const days = (n: number, f: (x: number) => number) => Array.from({ length: n }, (_, x) => f(x));
const base: ForecastInput = { usedBytes: 0, heldBytes: 0, capacityBytes: 10_000, dailyBytes: [], keepDays: null };

/** The same projection written the slow, obvious way, to check the incremental one against. */
function bruteForce(input: ForecastInput): number | null {
  const { intercept, slope } = fitLine(input.dailyBytes);
  const n = input.dailyBytes.length;
  const ingest = (x: number) => Math.max(0, intercept + slope * x);
  for (let k = 0; k <= (input.horizonDays ?? 3650); k++) {
    let added = 0;
    for (let j = 0; j <= k; j++) added += ingest(n + j);
    let window = 0;
    if (input.keepDays !== null) for (let x = n + k - input.keepDays + 1; x <= n + k; x++) window += ingest(x);
    const kept = input.keepDays === null ? Infinity : input.heldBytes + window;
    if (Math.min(input.usedBytes + added, kept) >= (input.capacityBytes ?? Infinity)) return k;
  }
  return null;
}

describe('fitLine', () => {
  it('recovers an exact line', () => {
    const { intercept, slope } = fitLine(days(30, (x) => 500 + 20 * x));
    expect(intercept).toBeCloseTo(500, 9);
    expect(slope).toBeCloseTo(20, 9);
  });

  it('matches the textbook least-squares answer on scattered points', () => {
    // x = 0..4, y = 1, 3, 2, 5, 4: slope = 0.8, intercept = 1.4.
    const { intercept, slope } = fitLine([1, 3, 2, 5, 4]);
    expect(slope).toBeCloseTo(0.8, 12);
    expect(intercept).toBeCloseTo(1.4, 12);
  });

  it('is flat for one point or none', () => {
    expect(fitLine([7])).toEqual({ intercept: 7, slope: 0 });
    expect(fitLine([])).toEqual({ intercept: 0, slope: 0 });
  });
});

describe('forecastFull', () => {
  it('fills a store at a steady 1,000 bytes a day in 10 days counting today', () => {
    const f = forecastFull({ ...base, dailyBytes: days(30, () => 1000) });
    expect(f).toMatchObject({ daysUntilFull: 9, basisDays: 30 });
    expect(f.bytesPerDay).toBeCloseTo(1000, 9);
    expect(f.trendBytesPerDay).toBeCloseTo(0, 9);
  });

  it('counts what is already stored', () => {
    expect(forecastFull({ ...base, usedBytes: 7_500, dailyBytes: days(30, () => 1000) }).daysUntilFull).toBe(2);
  });

  it('answers 0 for a store already full, and null without a capacity or without growth', () => {
    expect(forecastFull({ ...base, usedBytes: 10_000, dailyBytes: days(30, () => 0) }).daysUntilFull).toBe(0);
    expect(forecastFull({ ...base, capacityBytes: null, dailyBytes: days(30, () => 1000) }).daysUntilFull).toBeNull();
    expect(forecastFull({ ...base, dailyBytes: days(30, () => 0) }).daysUntilFull).toBeNull();
    expect(forecastFull({ ...base, dailyBytes: [] }).daysUntilFull).toBeNull();
  });

  it('sees growth sooner than the average would', () => {
    // 0, 20, …, 580 bytes a day: the average is 290, but tomorrow brings ~620 and more after.
    const growing = { ...base, capacityBytes: 100_000, dailyBytes: days(30, (x) => 20 * x) };
    const f = forecastFull(growing);
    expect(f.bytesPerDay).toBeCloseTo(600, 9);
    expect(f.daysUntilFull).toBe(bruteForce(growing));
    // sum over k = 0..K of (600 + 20k) = (K + 1)(600 + 10K): 98,420 at K = 73, 100,500 at K = 74.
    expect(f.daysUntilFull).toBe(74);
    expect(f.daysUntilFull as number).toBeLessThan(100_000 / 290);
  });

  it('never fills when the ingest dies out before the capacity is reached', () => {
    // 3,000 a day falling by 100 a day: at most ~45,000 more bytes ever arrive.
    const f = forecastFull({ ...base, capacityBytes: 1_000_000, dailyBytes: days(30, (x) => 3000 - 100 * x) });
    expect(f.bytesPerDay).toBe(0);
    expect(f.daysUntilFull).toBeNull();
  });

  it('sees a retention plateau under the capacity as never full', () => {
    const steady = days(30, () => 1000);
    // Keeping 5 days of 1,000 a day holds ~5,000 bytes: a 10,000 store never fills.
    expect(forecastFull({ ...base, usedBytes: 4000, dailyBytes: steady, keepDays: 5 }).daysUntilFull).toBeNull();
    // Held calls stay whatever the retention: 6,000 held + 5,000 of recent ingest does fill it.
    const held = { ...base, usedBytes: 6000, heldBytes: 6000, dailyBytes: steady, keepDays: 5 };
    expect(forecastFull(held).daysUntilFull).toBe(3);
    expect(bruteForce(held)).toBe(3);
  });

  it('agrees with the brute-force projection on irregular data', () => {
    const noisy = days(30, (x) => 800 + 15 * x + ((x * 7919) % 13) * 40 - 240);
    for (const keepDays of [null, 7, 45]) {
      for (const usedBytes of [0, 50_000, 90_000]) {
        const input = {
          ...base,
          capacityBytes: 100_000,
          heldBytes: usedBytes / 2,
          usedBytes,
          dailyBytes: noisy,
          keepDays,
        };
        expect(forecastFull(input).daysUntilFull).toBe(bruteForce(input));
      }
    }
  });

  it('gives up beyond the horizon', () => {
    const slow = { ...base, capacityBytes: 10 ** 12, dailyBytes: days(30, () => 1), horizonDays: 3650 };
    expect(forecastFull(slow).daysUntilFull).toBeNull();
  });
});
