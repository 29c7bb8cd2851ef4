/** Limits of POST/PATCH /vnote/dictionaries (docs/vnote/search-api.md). */
export const MAX_ENTRY_LENGTH = 100;
export const MAX_ENTRIES = 2000;

export interface PastedEntries {
  /** New entries, in pasted order, without blanks and without ones already in the list. */
  added: string[];
  /** Entries longer than the server accepts: shown, not sent. */
  tooLong: string[];
}

/**
 * Entries from pasted text: one per line, or separated by commas (, 、 ，) or tabs (a column copied
 * from a spreadsheet). Duplicates of `existing` and of each other are dropped.
 */
export function parseEntries(text: string, existing: readonly string[]): PastedEntries {
  const seen = new Set(existing);
  const added: string[] = [];
  const tooLong: string[] = [];
  for (const raw of text.split(/[\r\n\t,、，]+/)) {
    const entry = raw.trim();
    if (!entry || seen.has(entry)) continue;
    seen.add(entry);
    if (entry.length > MAX_ENTRY_LENGTH) tooLong.push(entry);
    else added.push(entry);
  }
  return { added, tooLong };
}
