import { isCivilDate } from '../billing/civil-date';

/** One transfer of a bank statement, as the import reads it. */
export interface BankCsvRow {
  /** 1-based line number in the file (the header is line 1). */
  line: number;
  paidOn: string;
  amount: number;
  payerName: string;
  invoiceNumber: string;
}

export interface BankCsvProblem {
  line: number;
  field: string;
  message: string;
}

export const BANK_CSV_COLUMNS = ['date', 'amount', 'payerName', 'invoiceNumber'] as const;

/** Splits CSV text into records (RFC 4180: quoted fields, "" inside quotes, CRLF or LF). */
export function csvRecords(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || record.length) {
    record.push(field);
    records.push(record);
  }
  return records;
}

/**
 * Reads the documented bank CSV (docs/billing.md): a header `date,amount,payerName,invoiceNumber`,
 * then one transfer per line. Amounts may carry thousands separators or a yen sign ("39,031",
 * ¥39031). Every row is checked on its own, so one bad line is reported without hiding the others.
 */
export function parseBankCsv(text: string): { rows: BankCsvRow[]; problems: BankCsvProblem[] } {
  const records = csvRecords(text.replace(/^\uFEFF/, ''));
  const header = (records[0] ?? []).map((h) => h.trim());
  if (header.join(',') !== BANK_CSV_COLUMNS.join(',')) {
    return {
      rows: [],
      problems: [{ line: 1, field: 'header', message: `the first line must be exactly ${BANK_CSV_COLUMNS.join(',')}` }],
    };
  }
  const rows: BankCsvRow[] = [];
  const problems: BankCsvProblem[] = [];
  records.slice(1).forEach((record, i) => {
    const line = i + 2;
    if (record.length === 1 && record[0].trim() === '') return; // blank line
    if (record.length !== BANK_CSV_COLUMNS.length) {
      problems.push({
        line,
        field: 'row',
        message: `expected ${BANK_CSV_COLUMNS.length} columns, found ${record.length}`,
      });
      return;
    }
    const [date, amountText, payerName, invoiceNumber] = record.map((v) => v.trim());
    const amountDigits = amountText.replace(/^[¥￥]/, '').replace(/,/g, '');
    const rowProblems: BankCsvProblem[] = [];
    if (!isCivilDate(date)) rowProblems.push({ line, field: 'date', message: `"${date}" is not a date YYYY-MM-DD` });
    if (!/^\d{1,10}$/.test(amountDigits) || Number(amountDigits) === 0) {
      rowProblems.push({ line, field: 'amount', message: `"${amountText}" is not a positive whole number of yen` });
    }
    if (!payerName || payerName.length > 200) {
      rowProblems.push({ line, field: 'payerName', message: 'must be 1-200 characters' });
    }
    if (!invoiceNumber) rowProblems.push({ line, field: 'invoiceNumber', message: 'is empty' });
    if (rowProblems.length) problems.push(...rowProblems);
    else rows.push({ line, paidOn: date, amount: Number(amountDigits), payerName, invoiceNumber });
  });
  return { rows, problems };
}
