/** The ranks a tenant starts with until it configures its own. */
export const DEFAULT_RANKS = [
  { code: 'VIP', label: 'VIP', colour: '#C62828' },
  { code: 'A', label: 'A', colour: '#EF6C00' },
  { code: 'B', label: 'B', colour: '#1565C0' },
  { code: 'C', label: 'C', colour: '#616161' },
] as const;

export interface RankView {
  code: string;
  label: string;
  colour: string;
}
