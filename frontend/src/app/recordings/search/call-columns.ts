import { CallView } from '../recordings.types';

export const COLUMNS = [
  'direction',
  'startedAt',
  'caller',
  'callee',
  'customer',
  'extension',
  'siteLine',
  'talk',
  'ring',
  'disposition',
  'tags',
  'flags',
  'source',
] as const;
export type ColumnId = (typeof COLUMNS)[number];

export const DEFAULT_COLUMNS: ColumnId[] = [
  'direction',
  'startedAt',
  'caller',
  'callee',
  'customer',
  'extension',
  'talk',
  'disposition',
  'tags',
  'flags',
];

/** Each column's narrowest width (px) and share of the spare width (0 = fixed): icons and times stay put. */
export const COLUMN_WIDTHS: Record<ColumnId, { min: number; grow: number }> = {
  direction: { min: 36, grow: 0 },
  startedAt: { min: 136, grow: 0 },
  caller: { min: 112, grow: 1 },
  callee: { min: 104, grow: 1 },
  customer: { min: 96, grow: 1 },
  extension: { min: 80, grow: 0.8 },
  // Names now (東京本社 / 東京店), not short ids: wide enough for a site and a line.
  siteLine: { min: 150, grow: 1.2 },
  talk: { min: 68, grow: 0 },
  ring: { min: 60, grow: 0 },
  disposition: { min: 80, grow: 0 },
  tags: { min: 80, grow: 1 },
  flags: { min: 48, grow: 0 },
  source: { min: 110, grow: 0 },
};

/** The trailing play button's column. */
export const PLAY_COLUMN = 40;
export const COLUMN_GAP = 6;
const ROW_PADDING = 16;

export function gridTracks(columns: ColumnId[]): string {
  const tracks = columns.map((c) => {
    const { min, grow } = COLUMN_WIDTHS[c];
    return grow ? `minmax(${min}px, ${grow}fr)` : `${min}px`;
  });
  return [...tracks, `${PLAY_COLUMN}px`].join(' ');
}

/** Below this width the grid scrolls sideways instead of squeezing columns into each other. */
export function gridMinWidth(columns: ColumnId[]): number {
  const cells = columns.reduce((sum, c) => sum + COLUMN_WIDTHS[c].min, PLAY_COLUMN);
  return cells + COLUMN_GAP * columns.length + ROW_PADDING;
}

/** A stored column choice, cleaned: unknown ids dropped, order kept as COLUMNS lists them. */
export function sanitizeColumns(raw: unknown): ColumnId[] {
  if (!Array.isArray(raw)) return DEFAULT_COLUMNS;
  const chosen = COLUMNS.filter((c) => raw.includes(c));
  return chosen.length ? chosen : DEFAULT_COLUMNS;
}

/** The other party's name: the customer on an inbound call is the caller, on an outbound one the callee. */
export function customerName(call: CallView): string | null {
  return call.direction === 'outbound' ? call.callee.name : call.caller.name;
}
