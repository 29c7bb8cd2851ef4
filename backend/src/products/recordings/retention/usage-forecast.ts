/**
 * When will a tenant's recording store be full? A least-squares line through the bytes stored on
 * each of the last days (so a growing business is seen growing, and one busy day does not move the
 * answer much), projected forward day by day from today's usage until it reaches the capacity.
 * With a retention, old recordings leave as new ones arrive: usage can then never exceed the held
 * calls plus the last `keepDays` of ingest, and a store whose plateau is under the capacity is never full.
 */
export interface ForecastInput {
  usedBytes: number;
  /** Bytes on legal hold: retention never frees them. */
  heldBytes: number;
  capacityBytes: number | null;
  /** Bytes stored on each of the last complete days, oldest first (the last entry is yesterday). */
  dailyBytes: number[];
  /** The longest retention applying to any source, in days; null when some recordings are kept forever. */
  keepDays: number | null;
  /** Beyond this many days the answer is "not in the foreseeable future" (null). */
  horizonDays?: number;
}

export interface Forecast {
  /** Days from today until the store is full (0: full now); null when it does not fill within the horizon. */
  daysUntilFull: number | null;
  /** The fitted ingest for today, bytes per day (never below 0). */
  bytesPerDay: number;
  /** How the daily ingest changes per day (the line's slope). */
  trendBytesPerDay: number;
  basisDays: number;
}

export const DEFAULT_HORIZON_DAYS = 3650;

/** Least squares y = intercept + slope·x for x = 0, 1, …, n−1. */
export function fitLine(ys: number[]): { intercept: number; slope: number } {
  const n = ys.length;
  if (n === 0) return { intercept: 0, slope: 0 };
  const meanX = (n - 1) / 2;
  const meanY = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  ys.forEach((y, x) => {
    sxy += (x - meanX) * (y - meanY);
    sxx += (x - meanX) ** 2;
  });
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return { intercept: meanY - slope * meanX, slope };
}

export function forecastFull(input: ForecastInput): Forecast {
  const n = input.dailyBytes.length;
  const { intercept, slope } = fitLine(input.dailyBytes);
  // Ingest on day x (x = n is today); a line that falls below zero means nothing arrives, not negative bytes.
  const ingest = (x: number) => Math.max(0, intercept + slope * x);
  const result: Forecast = { daysUntilFull: null, bytesPerDay: ingest(n), trendBytesPerDay: slope, basisDays: n };
  const capacity = input.capacityBytes;
  if (capacity === null) return result;
  if (input.usedBytes >= capacity) return { ...result, daysUntilFull: 0 };
  if (ingest(n) <= 0 && slope <= 0) return result;

  const keep = input.keepDays;
  // Ingest of the `keep` days ending today, slid one day forward per step.
  let window = 0;
  if (keep !== null) for (let x = n - keep + 1; x <= n; x++) window += ingest(x);
  let added = 0;
  const horizon = input.horizonDays ?? DEFAULT_HORIZON_DAYS;
  for (let k = 0; k <= horizon; k++) {
    const x = n + k;
    added += ingest(x);
    if (keep !== null && k > 0) window += ingest(x) - ingest(x - keep);
    const kept = keep === null ? Infinity : input.heldBytes + window;
    if (Math.min(input.usedBytes + added, kept) >= capacity) return { ...result, daysUntilFull: k };
  }
  return result;
}
