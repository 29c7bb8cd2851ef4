import {
  addDays,
  addMonthsClamped,
  addMonthsToMonth,
  daysBetween,
  daysInclusive,
  daysInMonthOf,
  isCivilDate,
  isYearMonth,
  lastDayOf,
  monthsBetween,
  monthsFrom,
  periodEnd,
} from './civil-date';

describe('civil dates', () => {
  it('accepts only real dates written YYYY-MM-DD', () => {
    expect(isCivilDate('2028-02-29')).toBe(true); // 2028 is a leap year (÷4, not ÷100)
    expect(isCivilDate('2026-02-29')).toBe(false);
    expect(isCivilDate('2100-02-29')).toBe(false); // ÷100 and not ÷400: no leap day
    expect(isCivilDate('2000-02-29')).toBe(true); // ÷400: leap day
    expect(isCivilDate('2026-04-31')).toBe(false);
    expect(isCivilDate('2026-4-30')).toBe(false);
    expect(isCivilDate('2026-04-30T00:00:00Z')).toBe(false);
    expect(isCivilDate(20260430)).toBe(false);
    expect(isYearMonth('2026-12')).toBe(true);
    expect(isYearMonth('2026-13')).toBe(false);
  });

  it('counts days across month, year and leap-day boundaries', () => {
    expect(addDays('2026-03-31', 1)).toBe('2026-04-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2028-02-29', 1)).toBe('2028-03-01');
    expect(addDays('2026-08-31', 14)).toBe('2026-09-14');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-04-30', '2026-05-12')).toBe(12);
    // 2028 has 366 days: 2028-01-01 .. 2029-01-01
    expect(daysBetween('2028-01-01', '2029-01-01')).toBe(366);
    expect(daysInclusive('2026-03-15', '2026-03-31')).toBe(17);
    expect(daysInclusive('2028-02-29', '2028-02-29')).toBe(1);
  });

  it('agrees with the UTC calendar on every day from 1999 to 2101', () => {
    // Independent oracle: Date.UTC counts days in UTC (no local time zone involved).
    let date = '1999-01-01';
    for (let n = 0; n < 37_000; n++) {
      const utc = new Date(Date.UTC(1999, 0, 1 + n)).toISOString().slice(0, 10);
      expect(date).toBe(utc);
      date = addDays(date, 1);
    }
  });

  it('knows month lengths, leap Februaries included', () => {
    expect(daysInMonthOf('2026-02')).toBe(28);
    expect(daysInMonthOf('2028-02-10')).toBe(29);
    expect(lastDayOf('2028-02')).toBe('2028-02-29');
    expect(lastDayOf('2026-09')).toBe('2026-09-30');
    expect(addMonthsToMonth('2026-12', 1)).toBe('2027-01');
    expect(addMonthsToMonth('2027-01', -1)).toBe('2026-12');
    expect(monthsBetween('2026-03', '2027-03')).toBe(12);
    expect(monthsFrom('2026-11', '2027-02')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
  });

  it('adds months keeping the day, or the last day of a shorter month', () => {
    expect(addMonthsClamped('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonthsClamped('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonthsClamped('2026-07-31', 1)).toBe('2026-08-31');
    expect(addMonthsClamped('2026-07-15', 1)).toBe('2026-08-15');
  });

  it('ends a period of months as the Civil Code does', () => {
    // 2026-03-15 + 3 months = 2026-06-15, the day before: 2026-06-14
    expect(periodEnd('2026-03-15', 3)).toBe('2026-06-14');
    // starting on the 1st: 2026-04-01 + 3 months = 07-01, the day before: 06-30
    expect(periodEnd('2026-04-01', 3)).toBe('2026-06-30');
    // 2026-11-30 + 3 months = "2027-02-30", which does not exist: that month's last day, 2027-02-28
    expect(periodEnd('2026-11-30', 3)).toBe('2027-02-28');
    // 2027-11-30 + 3 months = "2028-02-30": last day of February in a leap year, 2028-02-29
    expect(periodEnd('2027-11-30', 3)).toBe('2028-02-29');
    // 2027-11-29 + 3 months = 2028-02-29 exists: the day before, 2028-02-28
    expect(periodEnd('2027-11-29', 3)).toBe('2028-02-28');
    // 2026-05-31 + 1 month = "06-31": 06-30; + 2 months = 07-31 exists: 07-30
    expect(periodEnd('2026-05-31', 1)).toBe('2026-06-30');
    expect(periodEnd('2026-05-31', 2)).toBe('2026-07-30');
    // an annual period from the 1st: 2026-04-01 + 12 months = 2027-04-01, the day before: 2027-03-31
    expect(periodEnd('2026-04-01', 12)).toBe('2027-03-31');
  });
});
