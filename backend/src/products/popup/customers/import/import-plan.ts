import { checkCustomer, CustomerInput, CustomerValues, DirectoryRules } from '../customer-input';
import { CsvRecord, importedCell } from './csv-text';
import type { ColumnTargets, ImportKey } from './import-mapping';

export interface RowProblem {
  /** Line in the file the row starts on (the header is line 1). */
  line: number;
  /** The column's header text. */
  column: string;
  reason: string;
}

export interface DuplicateNote {
  line: number;
  column: string;
  value: string;
  /** `file`: an earlier row has it (an error); `existing`: the row updates that customer. */
  kind: 'file' | 'existing';
  otherLine?: number;
  customerId?: string;
}

export interface PlannedRow {
  line: number;
  input: CustomerInput;
  values: CustomerValues;
  /** The existing customer the row updates, or null for a new one. */
  customerId: string | null;
}

export interface ImportPlan {
  rows: PlannedRow[];
  errors: RowProblem[];
  duplicates: DuplicateNote[];
}

/** Looks up the tenant's existing customers by key values, in batches. */
export interface ExistingCustomers {
  /** externalId -> customer id. */
  byExternalIds(ids: string[]): Promise<Map<string, string>>;
  /** E.164 -> ids of the customers having it. */
  byNumbers(e164s: string[]): Promise<Map<string, string[]>>;
}

const LIST_SPLIT = /[;\n\r、，,／/]+/;

/** A row's cells as a CustomerInput, and which column each field came from (to name it in errors). */
function rowInput(cells: string[], headers: string[], targets: ColumnTargets) {
  const input: CustomerInput = {};
  const columnOf = new Map<string, string>();
  const numberColumns: string[] = [];
  targets.forEach((target, i) => {
    if (!target) return;
    const cell = importedCell(cells[i]);
    const header = headers[i];
    if (target === 'phone') {
      const parts = cell.split(LIST_SPLIT).filter((p) => p.trim() !== '');
      input.numbers = [...(input.numbers ?? []), ...parts];
      numberColumns.push(...parts.map(() => header));
      columnOf.set('numbers', columnOf.get('numbers') ?? header);
    } else if (target === 'tags') {
      input.tags = [...(input.tags ?? []), ...cell.split(LIST_SPLIT)];
      columnOf.set('tags', header);
    } else if (target.startsWith('custom:')) {
      const key = target.slice('custom:'.length);
      input.customFields = { ...(input.customFields ?? {}), [key]: cell };
      columnOf.set(`customFields.${key}`, header);
    } else {
      (input as Record<string, string>)[target] = cell;
      columnOf.set(target, header);
    }
  });
  const column = (field: string) => {
    const n = /^numbers\[(\d+)\]$/.exec(field);
    return n ? (numberColumns[Number(n[1])] ?? columnOf.get('numbers') ?? field) : (columnOf.get(field) ?? field);
  };
  return { input, column };
}

/**
 * Checks every data row (per-row errors with line and column), finds duplicates within the file
 * and decides, by the chosen key, which existing customer each row updates. Nothing is written.
 */
export async function planImport(
  headers: string[],
  records: Iterable<CsvRecord>,
  targets: ColumnTargets,
  key: ImportKey,
  rules: DirectoryRules,
  existing: ExistingCustomers,
): Promise<ImportPlan> {
  const errors: RowProblem[] = [];
  const duplicates: DuplicateNote[] = [];
  const rows: Array<PlannedRow & { column: (field: string) => string }> = [];
  const seen = new Map<string, number>();
  const keyHeader = headers[targets.indexOf(key)];
  const externalHeader = headers[targets.indexOf('externalId')];

  for (const record of records) {
    if (record.cells.every((c) => c.trim() === '')) continue;
    if (record.cells.length > headers.length && record.cells.slice(headers.length).some((c) => c.trim() !== ''))
      errors.push({
        line: record.line,
        column: `(column ${headers.length + 1})`,
        reason: 'more cells than the header has',
      });
    const { input, column } = rowInput(record.cells, headers, targets);
    const { values, problems } = checkCustomer(input, rules);
    for (const p of problems)
      errors.push({ line: record.line, column: column(p.field), reason: `${p.field}: ${p.message}` });
    const keyValues =
      key === 'externalId' ? (values.externalId ? [values.externalId] : []) : values.numbers.map((n) => n.e164);
    if (!keyValues.length && !problems.length)
      errors.push({ line: record.line, column: keyHeader, reason: `the key column (${key}) is empty` });
    const fileKeys = [...keyValues.map((v) => `${key}:${v}`)];
    if (key !== 'externalId' && values.externalId) fileKeys.push(`externalId:${values.externalId}`);
    for (const k of fileKeys) {
      const other = seen.get(k);
      const value = k.slice(k.indexOf(':') + 1);
      const col = k.startsWith('externalId:') ? externalHeader : keyHeader;
      if (other !== undefined) {
        duplicates.push({ line: record.line, column: col, value, kind: 'file', otherLine: other });
        errors.push({ line: record.line, column: col, reason: `same ${k.split(':')[0]} ${value} as line ${other}` });
      } else seen.set(k, record.line);
    }
    rows.push({ line: record.line, input, values, customerId: null, column });
  }

  await matchExisting(rows, key, existing, errors, duplicates, keyHeader, externalHeader);
  errors.sort((a, b) => a.line - b.line);
  return {
    rows: rows.map((r) => ({ line: r.line, input: r.input, values: r.values, customerId: r.customerId })),
    errors,
    duplicates,
  };
}

const BATCH = 500;

async function matchExisting(
  rows: PlannedRow[],
  key: ImportKey,
  existing: ExistingCustomers,
  errors: RowProblem[],
  duplicates: DuplicateNote[],
  keyHeader: string,
  externalHeader: string | undefined,
): Promise<void> {
  const claimedBy = new Map<string, number>();
  for (let start = 0; start < rows.length; start += BATCH) {
    const batch = rows.slice(start, start + BATCH);
    const externalIds = batch.map((r) => r.values.externalId).filter((v): v is string => !!v);
    const holders = externalIds.length ? await existing.byExternalIds(externalIds) : new Map<string, string>();
    const numbers =
      key === 'phone' ? await existing.byNumbers(batch.flatMap((r) => r.values.numbers.map((n) => n.e164))) : null;
    for (const row of batch) {
      let matches: string[];
      if (key === 'externalId') {
        const id = row.values.externalId ? holders.get(row.values.externalId) : undefined;
        matches = id ? [id] : [];
      } else {
        matches = [...new Set(row.values.numbers.flatMap((n) => numbers?.get(n.e164) ?? []))];
      }
      const value =
        key === 'externalId' ? (row.values.externalId ?? '') : row.values.numbers.map((n) => n.raw).join(' ');
      if (matches.length > 1) {
        errors.push({
          line: row.line,
          column: keyHeader,
          reason: `the numbers match ${matches.length} existing customers`,
        });
        continue;
      }
      if (!matches.length) continue;
      row.customerId = matches[0];
      duplicates.push({ line: row.line, column: keyHeader, value, kind: 'existing', customerId: matches[0] });
      const earlier = claimedBy.get(matches[0]);
      if (earlier !== undefined)
        errors.push({ line: row.line, column: keyHeader, reason: `updates the same customer as line ${earlier}` });
      else claimedBy.set(matches[0], row.line);
      // A unique externalId may not move onto this customer from another one.
      const holder = row.values.externalId ? holders.get(row.values.externalId) : undefined;
      if (holder && holder !== row.customerId && externalHeader)
        errors.push({
          line: row.line,
          column: externalHeader,
          reason: `externalId ${row.values.externalId} belongs to another customer`,
        });
    }
    for (const row of batch) {
      const holder = row.values.externalId ? holders.get(row.values.externalId) : undefined;
      if (key === 'phone' && !row.customerId && holder && externalHeader)
        errors.push({
          line: row.line,
          column: externalHeader,
          reason: `externalId ${row.values.externalId} belongs to another customer`,
        });
    }
  }
}
