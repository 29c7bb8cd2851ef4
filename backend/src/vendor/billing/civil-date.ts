/**
 * Calendar dates as the contract speaks of them: 'YYYY-MM-DD' in Japan time, with no clock and no
 * time zone. Billing never needs an instant, and a `Date` in local time would move a day near
 * midnight on a server in another zone, so dates are plain strings and arithmetic goes through a
 * day number (days since 1970-01-01 in the proleptic Gregorian calendar).
 *
 * Zero-padded ISO strings sort like the dates they name, so `<`, `>` and `===` compare them.
 */
export type CivilDate = string;
/** A calendar month, 'YYYY-MM': the id of the invoice issued for it. */
export type YearMonth = string;

const DATE_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_SHAPE = /^(\d{4})-(\d{2})$/;

interface Parts {
  year: number;
  month: number;
  day: number;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** True for a real date written 'YYYY-MM-DD' (2026-02-30 is not one). */
export function isCivilDate(value: unknown): value is CivilDate {
  if (typeof value !== 'string') return false;
  const match = DATE_SHAPE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

export function isYearMonth(value: unknown): value is YearMonth {
  if (typeof value !== 'string') return false;
  const match = MONTH_SHAPE.exec(value);
  return !!match && Number(match[1]) >= 1 && Number(match[2]) >= 1 && Number(match[2]) <= 12;
}

function parts(date: CivilDate): Parts {
  if (!isCivilDate(date)) throw new Error(`not a calendar date: ${date}`);
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function format({ year, month, day }: Parts): CivilDate {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** Days since 1970-01-01 (H. Hinnant's days_from_civil: exact integer arithmetic, any year). */
function toDayNumber(date: CivilDate): number {
  const { year, month, day } = parts(date);
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

function fromDayNumber(dayNumber: number): CivilDate {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return format({ year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day });
}

export function addDays(date: CivilDate, days: number): CivilDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/** `to − from` in days: 1 for consecutive dates. */
export function daysBetween(from: CivilDate, to: CivilDate): number {
  return toDayNumber(to) - toDayNumber(from);
}

/** Days from `from` to `to`, both counted: 1 when they are the same day. */
export function daysInclusive(from: CivilDate, to: CivilDate): number {
  return daysBetween(from, to) + 1;
}

export function monthOf(date: CivilDate): YearMonth {
  return date.slice(0, 7);
}

function monthParts(month: YearMonth): { year: number; month: number } {
  if (!isYearMonth(month)) throw new Error(`not a month: ${month}`);
  return { year: Number(month.slice(0, 4)), month: Number(month.slice(5, 7)) };
}

export function addMonthsToMonth(month: YearMonth, count: number): YearMonth {
  const p = monthParts(month);
  const index = p.year * 12 + (p.month - 1) + count;
  return `${pad(Math.floor(index / 12), 4)}-${pad((index % 12) + 1)}`;
}

/** Months from `from` to `to`: 1 for consecutive months, negative when `to` comes first. */
export function monthsBetween(from: YearMonth, to: YearMonth): number {
  const a = monthParts(from);
  const b = monthParts(to);
  return (b.year - a.year) * 12 + (b.month - a.month);
}

export function firstDayOf(month: YearMonth): CivilDate {
  return `${month}-01`;
}

export function lastDayOf(month: YearMonth): CivilDate {
  const p = monthParts(month);
  return `${month}-${pad(daysInMonth(p.year, p.month))}`;
}

export function daysInMonthOf(dateOrMonth: CivilDate | YearMonth): number {
  const p = monthParts(dateOrMonth.slice(0, 7));
  return daysInMonth(p.year, p.month);
}

/**
 * The same day-of-month `count` months later; when that month is shorter, its last day
 * (2026-01-31 + 1 month = 2026-02-28; 2028-01-31 + 1 month = 2028-02-29).
 */
export function addMonthsClamped(date: CivilDate, count: number): CivilDate {
  const { day } = parts(date);
  const month = addMonthsToMonth(monthOf(date), count);
  return `${month}-${pad(Math.min(day, daysInMonthOf(month)))}`;
}

/**
 * Last day of a period of `count` months that starts on (and counts) `start`, the way the Civil Code
 * (民法 143条) counts months: the day before the same day-of-month `count` months later, or, when that
 * month has no such day, its last day. 2026-03-15 + 3 months ends 2026-06-14; 2026-11-30 + 3 months
 * ends 2027-02-28 (there is no 30 February); 2027-11-30 + 3 months ends 2028-02-29.
 */
export function periodEnd(start: CivilDate, count: number): CivilDate {
  const { day } = parts(start);
  const month = addMonthsToMonth(monthOf(start), count);
  if (day > daysInMonthOf(month)) return lastDayOf(month);
  return addDays(`${month}-${pad(day)}`, -1);
}

export const earlier = (a: CivilDate, b: CivilDate): CivilDate => (a <= b ? a : b);
export const later = (a: CivilDate, b: CivilDate): CivilDate => (a >= b ? a : b);

/** Every month from `first` to `last`, both included. */
export function monthsFrom(first: YearMonth, last: YearMonth): YearMonth[] {
  const months: YearMonth[] = [];
  for (let m = first; m <= last; m = addMonthsToMonth(m, 1)) months.push(m);
  return months;
}
