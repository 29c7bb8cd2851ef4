import { normaliseNumber } from '../../recordings/phone-number';
import type { Customer, CustomerNumber } from './customer.entities';
import type { CustomerValues, DirectoryRules } from './customer-input';
import { DEFAULT_RANKS, RankView } from './rank-defaults';

/** What the popup shows for a matched caller. */
export interface CustomerCard {
  id: string;
  name: string;
  kana: string | null;
  company: string | null;
  department: string | null;
  rank: RankView | null;
  tags: string[];
  memo: string | null;
  /** Values of the tenant's defined custom fields (key -> value). */
  customFields: Record<string, string>;
  externalId: string | null;
}

export interface CustomerNumberView {
  raw: string;
  e164: string;
  /** 03-1234-5678 */
  display: string;
}

export interface CustomerView extends CustomerCard {
  numbers: CustomerNumberView[];
  createdAt: Date;
  updatedAt: Date;
}

const parsed = <T>(json: string, fallback: T): T => {
  try {
    return JSON.parse(json) as T;
  } catch {
    return fallback;
  }
};

/** The rank of a code: the tenant's row, else a default one (the tenant never set its own). */
export function rankOf(code: string | null, ranks: RankView[] | null, joined?: RankView | null): RankView | null {
  if (!code) return null;
  const own = joined ?? ranks?.find((r) => r.code === code);
  if (own) return { code: own.code, label: own.label, colour: own.colour };
  const fallback = DEFAULT_RANKS.find((r) => r.code === code);
  return fallback ? { ...fallback } : null;
}

export function customerCard(c: Customer, rank: RankView | null, fieldKeys?: string[]): CustomerCard {
  const custom = parsed<Record<string, string>>(c.customFields, {});
  return {
    id: c.id,
    name: c.name,
    kana: c.kana,
    company: c.company,
    department: c.department,
    rank,
    tags: parsed<string[]>(c.tags, []),
    memo: c.memo,
    customFields: fieldKeys
      ? Object.fromEntries(Object.entries(custom).filter(([k]) => fieldKeys.includes(k)))
      : custom,
    externalId: c.externalId,
  };
}

export function customerView(c: Customer, numbers: CustomerNumber[], rules: DirectoryRules): CustomerView {
  const card = customerCard(
    c,
    rankOf(c.rankCode, rules.ranks),
    rules.fields.map((f) => f.key),
  );
  return {
    ...card,
    numbers: numbers
      .filter((n) => n.customerId === c.id)
      .sort((a, b) => a.position - b.position)
      .map((n) => ({ raw: n.raw, e164: n.e164, display: normaliseNumber(n.e164).display })),
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

/** A stored customer as checkCustomer's `existing`: an update starts from these. */
export function storedValues(c: Customer, numbers: CustomerNumber[]): CustomerValues {
  return {
    name: c.name,
    kana: c.kana,
    kanaKey: c.kanaKey,
    company: c.company,
    department: c.department,
    rankCode: c.rankCode,
    tags: parsed<string[]>(c.tags, []),
    memo: c.memo,
    numbers: numbers
      .filter((n) => n.customerId === c.id)
      .sort((a, b) => a.position - b.position)
      .map((n) => ({ raw: n.raw, e164: n.e164, digits: n.digits })),
    customFields: parsed<Record<string, string>>(c.customFields, {}),
    externalId: c.externalId,
  };
}

/** Column values of a customer row (the caller adds tenantId and timestamps). */
export const customerColumns = (v: CustomerValues) => ({
  name: v.name,
  kana: v.kana,
  kanaKey: v.kanaKey,
  company: v.company,
  department: v.department,
  rankCode: v.rankCode,
  tags: JSON.stringify(v.tags),
  memo: v.memo,
  customFields: JSON.stringify(v.customFields),
  externalId: v.externalId,
});
