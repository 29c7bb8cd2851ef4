import { addDays, dayInZone, formatDuration, formatInZone, weekday } from './tenant-time';

describe('tenant time', () => {
  // 2026-11-24T16:30Z is already the 25th in Tokyo (UTC+9), still the 24th in New York.
  const instant = '2026-11-24T16:30:05Z';

  it('shows instants in the tenant zone, not the browser one', () => {
    expect(formatInZone(instant, 'Asia/Tokyo', 'ja', 'dateTime')).toBe('2026/11/25 01:30');
    expect(formatInZone(instant, 'Asia/Tokyo', 'ja', 'dateTimeSeconds')).toBe('2026/11/25 01:30:05');
    expect(formatInZone(instant, 'America/New_York', 'en', 'dateTime')).toBe('24/11/2026, 11:30');
    expect(formatInZone(null, 'Asia/Tokyo', 'ja', 'date')).toBe('');
    expect(formatInZone('not a date', 'Asia/Tokyo', 'ja', 'date')).toBe('');
  });

  it('knows which calendar day an instant is in a zone', () => {
    expect(dayInZone(new Date(instant), 'Asia/Tokyo')).toBe('2026-11-25');
    expect(dayInZone(new Date(instant), 'UTC')).toBe('2026-11-24');
  });

  it('does day arithmetic across months and years', () => {
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(weekday('2026-11-25')).toBe(3);
  });

  it('formats lengths like a player', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(65.9)).toBe('1:05');
    expect(formatDuration(3600 + 62)).toBe('1:01:02');
    expect(formatDuration(-3)).toBe('0:00');
  });
});
