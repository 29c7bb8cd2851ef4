import type { FieldProblem } from '../../../platform/http/field-errors';
import { normaliseNumber } from '../../recordings/phone-number';
import type { FieldType } from './customer.entities';
import { foldKana } from './kana';
import type { RankView } from './rank-defaults';

export const MAX_NUMBERS = 10;
export const MAX_TAGS = 30;
const LIMITS = { name: 200, kana: 200, company: 200, department: 200, memo: 4000, externalId: 100 } as const;
const MAX_TAG = 50;
const MAX_CUSTOM_VALUE = 1000;

/** One customer as the API or a CSV row gives it; absent properties are left as they are. */
export interface CustomerInput {
  name?: string;
  kana?: string | null;
  company?: string | null;
  department?: string | null;
  /** A rank code or label of the tenant (case and width insensitive). */
  rank?: string | null;
  tags?: string[];
  memo?: string | null;
  numbers?: string[];
  customFields?: Record<string, string | number | null>;
  externalId?: string | null;
}

export interface NumberValue {
  raw: string;
  e164: string;
  digits: string;
}

/** Checked, normalised values, ready for the columns. */
export interface CustomerValues {
  name: string;
  kana: string | null;
  kanaKey: string;
  company: string | null;
  department: string | null;
  rankCode: string | null;
  tags: string[];
  memo: string | null;
  numbers: NumberValue[];
  customFields: Record<string, string>;
  externalId: string | null;
}

/** What a tenant's customers are checked against. */
export interface DirectoryRules {
  ranks: RankView[];
  fields: Array<{ key: string; label: string; type: FieldType }>;
}

const blankToNull = (v: string | null | undefined) => {
  const t = (v ?? '').trim();
  return t === '' ? null : t;
};

/** The number as people mean it: full-width digits and hyphens (０３ー…) count as typed in ASCII. */
export function phoneNumber(raw: string): NumberValue | null {
  const typed = raw
    .normalize('NFKC')
    .replace(/[ー－―‐]/g, '-')
    .trim();
  const n = normaliseNumber(typed);
  return n.e164 ? { raw: raw.trim().slice(0, 64), e164: n.e164, digits: n.digits } : null;
}

function customValue(type: FieldType, raw: string): string | null {
  const v = raw.normalize('NFKC').trim();
  if (type === 'number') {
    const n = v.replace(/,/g, '');
    return /^-?\d+(\.\d+)?$/.test(n) ? n : null;
  }
  if (type === 'date') {
    const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(v);
    if (!m) return null;
    const iso = `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
    const d = new Date(`${iso}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(iso) ? iso : null;
  }
  return raw.trim();
}

/** The rank code meant by a code or label, or undefined when the tenant has no such rank. */
export function rankCodeOf(typed: string, ranks: RankView[]): string | undefined {
  const want = typed.normalize('NFKC').trim().toLowerCase();
  return ranks.find((r) => r.code.toLowerCase() === want || r.label.normalize('NFKC').toLowerCase() === want)?.code;
}

/**
 * Checks one customer against the tenant's rules. Every problem names its field (`name`,
 * `numbers[1]`, `customFields.birthday`…) so the API and the CSV preview can point at it.
 * `existing` is the stored customer for an update: absent input properties keep its values.
 */
export function checkCustomer(
  input: CustomerInput,
  rules: DirectoryRules,
  existing?: CustomerValues,
): { values: CustomerValues; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const text = (field: keyof typeof LIMITS, value: string | null | undefined, fallback: string | null) => {
    if (value === undefined) return fallback;
    const v = blankToNull(value);
    if (v !== null && v.length > LIMITS[field])
      problems.push({ field, message: `at most ${LIMITS[field]} characters` });
    return v;
  };
  const name = text('name', input.name, existing?.name ?? null);
  if (!name) problems.push({ field: 'name', message: 'is required' });
  const kana = text('kana', input.kana, existing?.kana ?? null);

  let rankCode = existing?.rankCode ?? null;
  if (input.rank !== undefined) {
    const typed = blankToNull(input.rank);
    rankCode = typed === null ? null : (rankCodeOf(typed, rules.ranks) ?? null);
    if (typed !== null && rankCode === null) {
      const known = rules.ranks.map((r) => r.code).join(', ');
      problems.push({ field: 'rank', message: `unknown rank "${typed}" (known: ${known})` });
    }
  }

  let tags = existing?.tags ?? [];
  if (input.tags !== undefined) {
    tags = [...new Set(input.tags.map((t) => t.trim()).filter((t) => t !== ''))];
    if (tags.length > MAX_TAGS) problems.push({ field: 'tags', message: `at most ${MAX_TAGS} tags` });
    const long = tags.find((t) => t.length > MAX_TAG);
    if (long) problems.push({ field: 'tags', message: `"${long.slice(0, 20)}…" is longer than ${MAX_TAG} characters` });
  }

  let numbers = existing?.numbers ?? [];
  if (input.numbers !== undefined) {
    numbers = [];
    input.numbers.forEach((raw, i) => {
      if (raw.trim() === '') return;
      const n = phoneNumber(raw);
      if (!n) problems.push({ field: `numbers[${i}]`, message: `"${raw.slice(0, 64)}" is not a phone number` });
      else if (!numbers.some((m) => m.e164 === n.e164)) numbers.push(n);
    });
    if (numbers.length > MAX_NUMBERS) problems.push({ field: 'numbers', message: `at most ${MAX_NUMBERS} numbers` });
  }

  const customFields = { ...(existing?.customFields ?? {}) };
  for (const [key, value] of Object.entries(input.customFields ?? {})) {
    const definition = rules.fields.find((f) => f.key === key);
    const field = `customFields.${key}`;
    if (!definition) {
      problems.push({ field, message: 'no such custom field (define it in the customer field settings)' });
      continue;
    }
    if (value !== null && typeof value !== 'string' && typeof value !== 'number') {
      problems.push({ field, message: 'must be a string, a number or null' });
      continue;
    }
    const typed = value === null ? '' : String(value);
    if (typed.trim() === '') {
      delete customFields[key];
      continue;
    }
    const checked = customValue(definition.type, typed);
    if (checked === null) problems.push({ field, message: `"${typed.slice(0, 40)}" is not a ${definition.type}` });
    else if (checked.length > MAX_CUSTOM_VALUE)
      problems.push({ field, message: `at most ${MAX_CUSTOM_VALUE} characters` });
    else customFields[key] = checked;
  }

  const values: CustomerValues = {
    name: name ?? '',
    kana,
    kanaKey: kana ? foldKana(kana).slice(0, 200) : '',
    company: text('company', input.company, existing?.company ?? null),
    department: text('department', input.department, existing?.department ?? null),
    rankCode,
    tags,
    memo: text('memo', input.memo, existing?.memo ?? null),
    numbers,
    customFields,
    externalId: text('externalId', input.externalId, existing?.externalId ?? null),
  };
  return { values, problems };
}
