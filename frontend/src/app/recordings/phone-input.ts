import { AsYouType, parsePhoneNumberFromString } from 'libphonenumber-js';

// Hyphens, long vowel marks and minus signs people type between digit groups in Japan.
const DASHES = /[\u2010-\u2015\u2212\u30fc\uff0d\uff70-]/g;

/**
 * What a user typed into a number box (０３－１２３４－５６７８, 03 1234 5678, +81 3-1234…) reduced to
 * digits and a leading "+": the form the search API takes in any match mode.
 */
export function numberForSearch(typed: string): string {
  const ascii = typed.normalize('NFKC').replace(DASHES, '').trim();
  const plus = ascii.startsWith('+') ? '+' : '';
  return plus + ascii.replace(/[^0-9]/g, '');
}

/**
 * The typed number formatted for people, Japan as the home region: a whole number national style
 * (03-1234-5678, 090-1111-2222), a partial one grouped as far as it goes (03-12).
 */
export function formatTypedNumber(typed: string): string {
  const digits = numberForSearch(typed);
  if (!digits) return '';
  const parsed = parsePhoneNumberFromString(digits, 'JP');
  if (parsed?.isValid()) {
    return parsed.countryCallingCode === '81' ? parsed.formatNational() : parsed.formatInternational();
  }
  return new AsYouType('JP').input(digits);
}
