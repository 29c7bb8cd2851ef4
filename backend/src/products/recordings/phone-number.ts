import { parsePhoneNumberFromString } from 'libphonenumber-js';

export interface NormalisedNumber {
  /** As the phone system gave it, trimmed. */
  dialled: string;
  /** +81312345678, or null for withheld, service and unparseable numbers. */
  e164: string | null;
  /**
   * Digits as Japanese users type them (0312345678; +1 415… kept as 001…-free international
   * digits without '+'), the column prefix and contains searches run on.
   */
  digits: string;
  /** Formatted for people: 03-1234-5678, or the dialled text. */
  display: string;
  withheld: boolean;
}

// 非通知 / anonymous / restricted caller ids as PBXs and carriers spell them.
const WITHHELD = /^(anonymous|restricted|private|unavailable|unknown|非通知|表示圏外|公衆電話)$/i;

/** Normalises a party number with Japan as the default region (libphonenumber-js). */
export function normaliseNumber(input: string | null | undefined): NormalisedNumber {
  const dialled = (input ?? '').trim().slice(0, 64);
  if (!dialled || WITHHELD.test(dialled)) {
    return { dialled, e164: null, digits: '', display: '非通知', withheld: true };
  }
  const parsed = parsePhoneNumberFromString(dialled, 'JP');
  if (parsed && parsed.isPossible()) {
    const domestic = parsed.countryCallingCode === '81';
    return {
      dialled,
      e164: parsed.number,
      digits: domestic ? `0${parsed.nationalNumber}` : `${parsed.countryCallingCode}${parsed.nationalNumber}`,
      display: domestic ? parsed.formatNational() : parsed.formatInternational(),
      withheld: false,
    };
  }
  // Extensions, short codes (117, 184…) and SIP user parts: keep their digits for search.
  const digits = dialled.replace(/[^0-9]/g, '');
  return { dialled, e164: null, digits, display: dialled, withheld: false };
}

/**
 * Turns what a user typed into the search box (03-1234-5678, ０３１２, +81 3…, 090 1111) into the
 * digit string stored in `digits`, so a prefix typed in any Japanese format finds the same calls.
 */
export function searchDigits(typed: string): string {
  const ascii = typed.normalize('NFKC').trim();
  const international = /^\+81|^0081|^01081/.exec(ascii.replace(/[\s-]/g, ''));
  const digits = ascii.replace(/[^0-9]/g, '');
  if (international) {
    const rest = digits.replace(/^(0081|01081|81)/, '');
    return rest.startsWith('0') ? rest : `0${rest}`;
  }
  return digits;
}

/** Digits back to front: suffix search becomes a prefix search on an index of these. */
export const reversedDigits = (digits: string) => [...digits].reverse().join('');
