import * as iconv from 'iconv-lite';

export const CSV_ENCODINGS = ['utf-8', 'utf-8-bom', 'shift_jis'] as const;
export type CsvEncoding = (typeof CSV_ENCODINGS)[number];

/** One CSV record with the file line it starts on (1-based; quoted line breaks make records span lines). */
export interface CsvRecord {
  line: number;
  cells: string[];
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Which encoding a CSV is in, the way Japanese spreadsheets save them: a UTF-8 BOM (Excel's
 * "CSV UTF-8"), otherwise valid UTF-8, otherwise Shift_JIS (Excel's plain "CSV", Windows-31J).
 * Shift_JIS text with any kana or kanji is practically never valid UTF-8, so the order is safe.
 */
export function detectEncoding(bytes: Buffer): CsvEncoding {
  if (bytes.subarray(0, 3).equals(BOM)) return 'utf-8-bom';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return 'utf-8';
  } catch {
    return 'shift_jis';
  }
}

/** Windows-31J (cp932) is what Excel writes as "Shift_JIS": it has ①, ㈱, 髙 and the NEC rows. */
export function decodeCsv(bytes: Buffer, encoding: CsvEncoding): string {
  if (encoding === 'shift_jis') return iconv.decode(bytes, 'cp932');
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  return text.replace(/^\uFEFF/, '');
}

export function encodeCsv(text: string, encoding: 'utf-8-bom' | 'shift_jis'): Buffer {
  return encoding === 'shift_jis' ? iconv.encode(text, 'cp932') : Buffer.from(`\uFEFF${text}`, 'utf8');
}

/**
 * RFC 4180 records with their starting line: fields may be quoted and hold commas, "" and line
 * breaks (CRLF, LF or CR). Blank lines are skipped. An unclosed quote names the line it opened on.
 */
export function* csvRecords(text: string): Generator<CsvRecord> {
  let line = 1;
  let startLine = 1;
  let cells: string[] = [];
  let field = '';
  let quoted = false;
  let quoteLine = 0;
  let touched = false;
  const end = () => {
    cells.push(field);
    const record = { line: startLine, cells };
    const blank = !touched && cells.length === 1 && cells[0] === '';
    cells = [];
    field = '';
    touched = false;
    return blank ? null : record;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      touched = true;
      quoteLine = line;
    } else if (c === ',') {
      cells.push(field);
      field = '';
      touched = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      const record = end();
      if (record) yield record;
      line++;
      startLine = line;
    } else field += c;
  }
  if (quoted) throw new CsvSyntaxError(quoteLine, 'a quoted field is not closed');
  if (field !== '' || cells.length) {
    const record = end();
    if (record) yield record;
  }
}

/**
 * A CSV cell for Excel: quoted when needed, and a leading = + - @ defused with an apostrophe so a
 * cell never runs as a formula (CSV injection); the import strips that apostrophe again.
 */
export function csvCell(value: string | null | undefined): string {
  const s = value ?? '';
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n']/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A cell as the user meant it: trimmed, without the apostrophe our export put before a formula sign. */
export const importedCell = (cell: string | undefined) => (cell ?? '').trim().replace(/^'(?=[=+\-@])/, '');
