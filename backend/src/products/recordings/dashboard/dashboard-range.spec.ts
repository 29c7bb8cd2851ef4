import { BadRequestException } from '@nestjs/common';
import { dashboardRange } from './dashboard-range';

const TOKYO = 'Asia/Tokyo';
const fieldOf = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (e) {
    return ((e as BadRequestException).getResponse() as { errors: { field: string }[] }).errors[0].field;
  }
  return undefined;
};

describe('dashboardRange', () => {
  it('covers a whole Tokyo day in 24 hour buckets starting at local midnight', () => {
    const r = dashboardRange({ from: '2026-11-02', to: '2026-11-02' }, TOKYO);
    expect(r.bucket).toBe('hour');
    expect(r.start.toISOString()).toBe('2026-11-01T15:00:00.000Z');
    expect(r.end.toISOString()).toBe('2026-11-02T15:00:00.000Z');
    expect(r.labels).toHaveLength(24);
    expect(r.labels[0]).toBe('2026-11-02T00:00');
    expect(r.labels[23]).toBe('2026-11-02T23:00');
  });

  it('puts 23:30 UTC on the next Tokyo day', () => {
    const r = dashboardRange({ from: '2026-11-01', to: '2026-11-02', bucket: 'day' }, TOKYO);
    const at = new Date('2026-11-01T23:30:00Z').getTime();
    const i = r.bounds.findIndex(
      (b, k) => k < r.bounds.length - 1 && at >= b.getTime() && at < r.bounds[k + 1].getTime(),
    );
    expect(r.labels[i]).toBe('2026-11-02');
  });

  it('makes days of 23 and 25 hours across a DST change', () => {
    const r = dashboardRange({ from: '2026-03-07', to: '2026-03-09', bucket: 'day' }, 'America/New_York');
    const hours = r.bounds.slice(1).map((b, i) => (b.getTime() - r.bounds[i].getTime()) / 3_600_000);
    expect(hours).toEqual([24, 23, 24]);
    expect(r.labels).toEqual(['2026-03-07', '2026-03-08', '2026-03-09']);
  });

  it('defaults to today in hours and to days beyond two days', () => {
    const now = new Date('2026-11-01T20:00:00Z'); // 2026-11-02 05:00 in Tokyo
    expect(dashboardRange({}, TOKYO, now).labels[0]).toBe('2026-11-02T00:00');
    expect(dashboardRange({ from: '2026-10-01', to: '2026-10-30' }, TOKYO).bucket).toBe('day');
  });

  it('names the field that is wrong', () => {
    expect(fieldOf(() => dashboardRange({ from: '2026-02-30' }, TOKYO))).toBe('from');
    expect(fieldOf(() => dashboardRange({ from: '2026-02-01', to: '2026-02-30' }, TOKYO))).toBe('to');
    expect(fieldOf(() => dashboardRange({ from: '2026-03-02', to: '2026-03-01' }, TOKYO))).toBe('to');
    expect(fieldOf(() => dashboardRange({ from: '2025-01-01', to: '2026-02-05' }, TOKYO))).toBe('to');
    expect(fieldOf(() => dashboardRange({ from: '2026-01-01', to: '2026-03-01', bucket: 'hour' }, TOKYO))).toBe(
      'bucket',
    );
    expect(fieldOf(() => dashboardRange({ from: '2025-01-01', to: '2026-02-04' }, TOKYO))).toBeUndefined();
  });
});
