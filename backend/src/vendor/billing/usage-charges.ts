import {
  CivilDate,
  daysInclusive,
  daysInMonthOf,
  earlier,
  firstDayOf,
  lastDayOf,
  later,
  monthOf,
  monthsFrom,
  YearMonth,
} from './civil-date';
import { Contract, planSegments } from './contract';
import { InvoiceLine, line } from './invoice';
import { prorate, Yen } from './money';

export interface DateRange {
  from: CivilDate;
  to: CivilDate;
}

/**
 * Usage lines for days inside one calendar month, one line per plan in force, each rounded down on
 * its own (Art. 13.6 and the rules: "two prorated lines ... each rounded down on its own"). A whole
 * month on one plan comes out at exactly the monthly fee (fee × days / days).
 */
export function usageLinesWithinMonth(contract: Contract, range: DateRange): InvoiceLine[] {
  const days = daysInMonthOf(range.from);
  return planSegments(contract, range.from, range.to).map((segment) =>
    line.usage(
      segment.from,
      segment.to,
      prorate(segment.plan.monthlyFee, daysInclusive(segment.from, segment.to), days),
    ),
  );
}

/** The days of `month` the service is billed for: from the billing start, to the service end. */
export function billedDaysOf(contract: Contract, month: YearMonth): DateRange | null {
  const from = later(firstDayOf(month), contract.billingStart);
  const to = contract.serviceEnd ? earlier(lastDayOf(month), contract.serviceEnd) : lastDayOf(month);
  return from <= to ? { from, to } : null;
}

/**
 * Usage billed month by month. Monthly contracts: every month of service, the first prorated from
 * the billing start (Art. 10.4), the last to the service end. Annual contracts: only the billing-start
 * month, which lies before the first annual period and is billed like a monthly first month.
 */
export function usageLinesForMonth(contract: Contract, month: YearMonth): InvoiceLine[] {
  if (contract.cycle === 'annual' && month !== monthOf(contract.billingStart)) return [];
  const days = billedDaysOf(contract, month);
  return days ? usageLinesWithinMonth(contract, days) : [];
}

/**
 * What `from`..`to` costs at the monthly rate: whole months at the monthly fee, part months prorated
 * by day and rounded down per month and plan — the recalculation of Art. 21.3.
 */
export function monthlyRateCharges(contract: Contract, range: DateRange): Yen {
  let total = 0;
  for (const month of monthsFrom(monthOf(range.from), monthOf(range.to))) {
    const within = { from: later(range.from, firstDayOf(month)), to: earlier(range.to, lastDayOf(month)) };
    for (const usage of usageLinesWithinMonth(contract, within)) total += usage.amount;
  }
  return total;
}
