import type { NormalisedNumber } from '../../recordings/phone-number';

/** The card fields an external source may fill (the lookup hook's mapping, kintone's field codes). */
export const EXTERNAL_CARD_FIELDS = ['name', 'company', 'department', 'kana', 'email', 'rank', 'memo', 'url'] as const;
export type ExternalCardField = (typeof EXTERNAL_CARD_FIELDS)[number];

/**
 * A customer found outside the directory, shown on the popup beside (or, with no directory match,
 * instead of) the directory's cards. `source` says where: the lookup hook or kintone.
 */
export interface ExternalCard {
  source: 'lookup-hook' | 'kintone';
  name: string;
  company?: string | null;
  department?: string | null;
  kana?: string | null;
  email?: string | null;
  rank?: string | null;
  memo?: string | null;
  url?: string | null;
  /** The record's id in the source (kintone's $id), when it has one. */
  recordId?: string | null;
}

/** Every external source's cards for a number, in the tenant; never throws, never waits past its timeout. */
export interface ExternalCardSource {
  cardsFor(tenantId: string, number: NormalisedNumber): Promise<ExternalCard[]>;
}

/** PopupPayloads asks for external cards through this token (optional: absent, the popup shows the directory only). */
export const EXTERNAL_CARDS = Symbol('EXTERNAL_CARDS');

/** The URL template's placeholders and what each becomes for 03-1234-5678. */
export function numberPlaceholders(number: NormalisedNumber): Record<string, string> {
  return {
    e164: number.e164 ?? '', // +81312345678
    national: number.display, // 03-1234-5678
    digits: number.digits, // 0312345678
  };
}
