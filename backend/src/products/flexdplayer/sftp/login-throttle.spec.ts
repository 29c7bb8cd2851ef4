import { LoginThrottle } from './login-throttle';

describe('LoginThrottle', () => {
  let now = 1_000_000;
  const throttle = () => new LoginThrottle({ maxFailures: 3, windowMs: 10_000, lockoutMs: 60_000, now: () => now });

  it('locks a source address + user name out after maxFailures within the window', () => {
    const t = throttle();
    expect(t.recordFailure('10.0.0.1', 'carrier')).toBe(false);
    expect(t.recordFailure('10.0.0.1', 'carrier')).toBe(false);
    expect(t.lockedUntil('10.0.0.1', 'carrier')).toBeNull();
    expect(t.recordFailure('10.0.0.1', 'carrier')).toBe(true);
    expect(t.lockedUntil('10.0.0.1', 'carrier')).toBe(now + 60_000);
    expect(t.lockedUntil('10.0.0.2', 'carrier')).toBeNull();
    expect(t.lockedUntil('10.0.0.1', 'other')).toBeNull();
    now += 60_000;
    expect(t.lockedUntil('10.0.0.1', 'carrier')).toBeNull();
  });

  it('forgets failures older than the window, and all of them after a success', () => {
    const t = throttle();
    t.recordFailure('a', 'u');
    t.recordFailure('a', 'u');
    now += 10_001;
    expect(t.recordFailure('a', 'u')).toBe(false); // the first two have expired
    t.recordFailure('a', 'u');
    t.recordSuccess('a', 'u');
    expect(t.recordFailure('a', 'u')).toBe(false);
    expect(t.recordFailure('a', 'u')).toBe(false);
  });

  it('rejects nonsense limits naming the field', () => {
    expect(() => new LoginThrottle({ maxFailures: 0 })).toThrow('lockout.maxFailures');
    expect(() => new LoginThrottle({ lockoutMs: Number.NaN })).toThrow('lockout.lockoutMs');
  });
});
