export interface LoginThrottleOptions {
  /** Failed logins from one source address for one user name before that pair is locked out. */
  maxFailures: number;
  /** Failures older than this are forgotten. */
  windowMs: number;
  /** How long a locked pair is refused, even with the right credentials. */
  lockoutMs: number;
  /** Clock, injectable so tests can move time instead of sleeping. */
  now: () => number;
}

export const DEFAULT_LOGIN_THROTTLE: LoginThrottleOptions = {
  maxFailures: 5,
  windowMs: 15 * 60_000,
  lockoutMs: 15 * 60_000,
  now: () => Date.now(),
};

interface FailureRecord {
  failures: number[];
  lockedUntil: number;
}

// Bounds memory when a scanner sprays many user names from many addresses.
const MAX_TRACKED_PAIRS = 20_000;

/**
 * Counts failed logins per (source address, user name) and locks the pair out after too many, so a
 * guesser gets a handful of tries per lockout period instead of thousands per minute. Keyed on the
 * pair so one attacker cannot lock a carrier's account out from everywhere.
 */
export class LoginThrottle {
  private readonly options: LoginThrottleOptions;
  private readonly records = new Map<string, FailureRecord>();

  constructor(options: Partial<LoginThrottleOptions> = {}) {
    this.options = { ...DEFAULT_LOGIN_THROTTLE, ...options };
    for (const field of ['maxFailures', 'windowMs', 'lockoutMs'] as const) {
      const value = this.options[field];
      if (!Number.isFinite(value) || value <= 0) throw new Error(`lockout.${field} must be a positive number`);
    }
  }

  /** When the pair is locked out, the time (ms since epoch) the lockout ends; otherwise null. */
  lockedUntil(address: string, username: string): number | null {
    const record = this.records.get(key(address, username));
    if (!record || record.lockedUntil <= this.options.now()) return null;
    return record.lockedUntil;
  }

  /** Records a failure; returns true when this failure locked the pair out. */
  recordFailure(address: string, username: string): boolean {
    const now = this.options.now();
    const k = key(address, username);
    const record = this.records.get(k) ?? { failures: [], lockedUntil: 0 };
    record.failures = record.failures.filter((t) => t > now - this.options.windowMs);
    record.failures.push(now);
    let lockedNow = false;
    if (record.failures.length >= this.options.maxFailures) {
      record.lockedUntil = now + this.options.lockoutMs;
      record.failures = [];
      lockedNow = true;
    }
    this.records.delete(k); // re-insert so the map's order is least-recently-failed first
    this.records.set(k, record);
    this.evictOldest();
    return lockedNow;
  }

  /** A successful login clears the pair's failures. */
  recordSuccess(address: string, username: string): void {
    this.records.delete(key(address, username));
  }

  // Forgets pairs that are not locked first, so flooding the table cannot lift a lockout.
  private evictOldest(): void {
    if (this.records.size <= MAX_TRACKED_PAIRS) return;
    const now = this.options.now();
    for (const [k, record] of this.records) {
      if (record.lockedUntil <= now) {
        this.records.delete(k);
        return;
      }
    }
    const oldest = this.records.keys().next().value;
    if (oldest !== undefined) this.records.delete(oldest);
  }
}

function key(address: string, username: string): string {
  return `${address}\u0000${username}`;
}
