const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
export const GIB = 1024 ** 3;

/** Human-readable binary size (1 KB = 1024 B), e.g. 1536 -> "1.5 KB"; null shows as a dash. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}
