import type { CallRecord } from '../calls/call-record';

// Which party of a call is the site's own, and which of the site's named lines (東京店, 採用回線)
// the call came in on or went out through: for call events and for the ingest metadata.

/** A named line of the site, as GET /api/v1/flexlog/config gives it. */
export interface SiteLine {
  name: string;
  numbers: string[];
  trunks: string[];
}

/** The site's extension: an inbound call's callee, an outbound or internal call's caller. */
export function extensionOf(record: Pick<CallRecord, 'direction' | 'from' | 'to'>): string | undefined {
  const number =
    record.direction === 'inbound'
      ? record.to.number
      : record.direction === 'outbound' || record.direction === 'internal'
        ? record.from.number
        : '';
  return number ? number.slice(0, 32) : undefined;
}

/** Digits with a leading + kept, as the backend stores a line's numbers. */
const digitsOf = (number: string) => number.replace(/[^\d+]/g, '').replace(/(?!^)\+/g, '');

/**
 * The line whose numbers include the call's external number: the callee of an inbound call (the
 * number dialled), the caller of an outbound call (the number presented); else either party.
 */
export function lineNameOf(
  record: Pick<CallRecord, 'direction' | 'from' | 'to'>,
  lines: SiteLine[],
): string | undefined {
  if (lines.length === 0) return undefined;
  const candidates =
    record.direction === 'inbound'
      ? [record.to.number]
      : record.direction === 'outbound'
        ? [record.from.number]
        : [record.to.number, record.from.number];
  for (const candidate of candidates.map(digitsOf).filter(Boolean)) {
    const line = lines.find((l) => l.numbers.some((n) => digitsOf(n) === candidate));
    if (line) return line.name.slice(0, 50);
  }
  return undefined;
}
