import { Call } from '../call.entity';
import { normaliseNumber } from '../phone-number';
import { CallPlaceNames } from '../places/call-places';

export interface PartyView {
  number: string;
  e164: string | null;
  display: string;
  /** 非通知: the UI shows its own label for it. */
  withheld: boolean;
  name: string | null;
}

export interface CallView {
  id: string;
  source: Call['source'];
  siteId: string | null;
  /** The site's name as its product knows it in this tenant; null when the id is unknown. */
  siteName: string | null;
  lineId: string | null;
  lineName: string | null;
  direction: Call['direction'];
  caller: PartyView;
  callee: PartyView;
  extension: string | null;
  userId: string | null;
  startedAt: Date;
  answeredAt: Date | null;
  endedAt: Date | null;
  ringSeconds: number;
  talkSeconds: number;
  disposition: Call['disposition'];
  codec: string | null;
  channelLayout: Call['channelLayout'];
  tags: string[];
  hasNotes: boolean;
  legalHold: boolean;
}

export const party = (dialled: string, e164: string | null, name: string | null): PartyView => {
  const n = normaliseNumber(dialled);
  return { number: dialled, e164, display: n.display, withheld: n.withheld, name };
};

const NO_NAMES: CallPlaceNames = { siteName: null, lineName: null };

export function callView(c: Call, tags: string[] = [], places: CallPlaceNames = NO_NAMES): CallView {
  return {
    id: c.id,
    source: c.source,
    siteId: c.siteId,
    siteName: places.siteName,
    lineId: c.lineId,
    lineName: places.lineName,
    direction: c.direction,
    caller: party(c.callerDialled, c.callerE164, c.callerName),
    callee: party(c.calleeDialled, c.calleeE164, c.calleeName),
    extension: c.extension,
    userId: c.userId,
    startedAt: c.startedAt,
    answeredAt: c.answeredAt,
    endedAt: c.endedAt,
    ringSeconds: c.ringSeconds,
    talkSeconds: c.talkSeconds,
    disposition: c.disposition,
    codec: c.codec,
    channelLayout: c.channelLayout,
    tags,
    hasNotes: !!c.notes,
    legalHold: c.legalHold,
  };
}

const CSV_COLUMNS = [
  'id',
  'startedAt',
  'direction',
  'caller',
  'callerName',
  'callee',
  'calleeName',
  'extension',
  'talkSeconds',
  'disposition',
  'source',
  'site',
  'line',
  'tags',
  'legalHold',
] as const;

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  // Quote everything that could break a row, and defuse formulas for spreadsheet users.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n']/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export const csvHeader = () => CSV_COLUMNS.join(',') + '\r\n';

export function csvRow(v: CallView, formatTime: (d: Date) => string): string {
  const cells = [
    v.id,
    formatTime(v.startedAt),
    v.direction,
    v.caller.display,
    v.caller.name,
    v.callee.display,
    v.callee.name,
    v.extension,
    v.talkSeconds,
    v.disposition,
    v.source,
    // The name, else the id: a row whose site was deleted still says where it came from.
    v.siteName ?? v.siteId,
    v.lineName ?? v.lineId,
    v.tags.join(' '),
    v.legalHold,
  ];
  return cells.map(csvCell).join(',') + '\r\n';
}
