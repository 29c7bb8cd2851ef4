import {
  billingStartFor,
  dueDateFor,
  earliestVendorTerminationEnd,
  equipmentReturnDeadlineFor,
  minimumTermEndFor,
  serviceEndForCancellation,
  wholeMonthsWithin,
} from './contract-dates';

describe('contract dates', () => {
  it('starts billing the day after the opening test (Art. 9)', () => {
    expect(billingStartFor('2026-03-14')).toBe('2026-03-15');
    // an opening test on the last day of a month: billing starts on the 1st
    expect(billingStartFor('2026-03-31')).toBe('2026-04-01');
    expect(billingStartFor('2026-12-31')).toBe('2027-01-01');
    // leap year: 2028-02-28 -> 2028-02-29, and 2028-02-29 -> 2028-03-01
    expect(billingStartFor('2028-02-28')).toBe('2028-02-29');
    expect(billingStartFor('2028-02-29')).toBe('2028-03-01');
  });

  it('ends the minimum term 3 months from the billing start, counting it (Art. 11)', () => {
    // billing-rules.md: 2026-03-15 + 3 months − 1 day = 2026-06-14
    expect(minimumTermEndFor('2026-03-15')).toBe('2026-06-14');
    // billing start on the 1st: 2026-04-01 + 3 months = 07-01, − 1 day = 06-30
    expect(minimumTermEndFor('2026-04-01')).toBe('2026-06-30');
    // billing start on the last day of a month: 2026-03-31 + 3 months = "06-31" (no such day) -> 06-30
    expect(minimumTermEndFor('2026-03-31')).toBe('2026-06-30');
    // 2026-11-30 + 3 months = "2027-02-30" -> last day of February 2027: 02-28
    expect(minimumTermEndFor('2026-11-30')).toBe('2027-02-28');
    // 2027-11-30 + 3 months = "2028-02-30" -> last day of February 2028: 02-29
    expect(minimumTermEndFor('2027-11-30')).toBe('2028-02-29');
    // billing start 2028-02-29: + 3 months = 2028-05-29, − 1 day = 05-28
    expect(minimumTermEndFor('2028-02-29')).toBe('2028-05-28');
    // 2026-12-01 + 3 months = 2027-03-01, − 1 day = 2027-02-28
    expect(minimumTermEndFor('2026-12-01')).toBe('2027-02-28');
  });

  it('ends the service on the last day of the month after the request (Art. 12.1)', () => {
    // the rules' examples
    expect(serviceEndForCancellation('2026-04-05')).toBe('2026-05-31');
    expect(serviceEndForCancellation('2026-04-30')).toBe('2026-05-31');
    // requests on the 31st: January -> end of February (28 days in 2026, 29 in 2028)
    expect(serviceEndForCancellation('2026-01-31')).toBe('2026-02-28');
    expect(serviceEndForCancellation('2028-01-31')).toBe('2028-02-29');
    expect(serviceEndForCancellation('2026-12-31')).toBe('2027-01-31');
    expect(serviceEndForCancellation('2026-03-01')).toBe('2026-04-30');
    expect(serviceEndForCancellation('2028-02-29')).toBe('2028-03-31');
  });

  it('expects the equipment within 14 days after the service end (Art. 12.8)', () => {
    expect(equipmentReturnDeadlineFor('2026-08-31')).toBe('2026-09-14');
    expect(equipmentReturnDeadlineFor('2028-02-15')).toBe('2028-02-29');
    expect(equipmentReturnDeadlineFor('2026-12-31')).toBe('2027-01-14');
  });

  it('needs a month of notice before the vendor ends the service (Art. 21.2)', () => {
    expect(earliestVendorTerminationEnd('2026-07-31')).toBe('2026-08-31');
    expect(earliestVendorTerminationEnd('2026-07-15')).toBe('2026-08-15');
    // 31 January: one month later is the last day of February
    expect(earliestVendorTerminationEnd('2026-01-31')).toBe('2026-02-28');
    expect(earliestVendorTerminationEnd('2028-01-31')).toBe('2028-02-29');
  });

  it('counts whole months, cutting any fraction (Art. 13.7)', () => {
    // from 2026-05-11: month 10 ends 2027-03-10 (≤ 03-31), month 11 would end 2027-04-10 -> 10
    expect(wholeMonthsWithin('2026-05-11', '2027-03-31')).toBe(10);
    // from the period's own first day: all 12
    expect(wholeMonthsWithin('2026-04-01', '2027-03-31')).toBe(12);
    // one day in: month 12 would end 2027-04-01 > 03-31 -> 11
    expect(wholeMonthsWithin('2026-04-02', '2027-03-31')).toBe(11);
    // from the 31st (2027-03-31) to 2028-02-29: month 11 ends "2028-02-31" -> 02-29 ≤ end -> 11;
    // month 12 would end 2028-03-30
    expect(wholeMonthsWithin('2027-03-31', '2028-02-29')).toBe(11);
    // less than a month left: 0
    expect(wholeMonthsWithin('2027-03-15', '2027-03-31')).toBe(0);
  });

  it('makes the invoice for month M due on the last day of M+1 (Art. 10.4)', () => {
    expect(dueDateFor('2026-03')).toBe('2026-04-30');
    expect(dueDateFor('2028-01')).toBe('2028-02-29');
    expect(dueDateFor('2026-12')).toBe('2027-01-31');
  });
});
