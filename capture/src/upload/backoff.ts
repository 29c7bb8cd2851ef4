// Waiting between attempts: exponential with "full jitter" (a random delay between half and all of
// the step), so boxes that lost the backend at the same moment do not all come back at once.

export interface BackoffPolicy {
  firstMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { firstMs: 1000, maxMs: 5 * 60_000 };

/** The delay before attempt `failures + 1` after `failures` failures in a row (≥ 1). */
export function backoffDelayMs(failures: number, policy: BackoffPolicy, random = Math.random): number {
  const step = Math.min(policy.maxMs, policy.firstMs * 2 ** Math.min(30, Math.max(0, failures - 1)));
  return Math.round(step * (0.5 + 0.5 * random()));
}
