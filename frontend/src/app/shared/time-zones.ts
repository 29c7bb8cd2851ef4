// Zones offered in selects; a stored value outside this list is still shown.
export const COMMON_TIME_ZONES = [
  'Asia/Tokyo',
  'UTC',
  'Asia/Seoul',
  'Asia/Shanghai',
  'Asia/Taipei',
  'Asia/Hong_Kong',
  'Asia/Singapore',
  'Asia/Bangkok',
  'Asia/Kolkata',
  'Australia/Sydney',
  'Europe/London',
  'Europe/Berlin',
  'America/New_York',
  'America/Los_Angeles',
];

export function timeZoneOptions(current?: string | null): string[] {
  return current && !COMMON_TIME_ZONES.includes(current) ? [current, ...COMMON_TIME_ZONES] : COMMON_TIME_ZONES;
}
