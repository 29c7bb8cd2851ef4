import {
  addDays,
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
import { Contract, planOn } from './contract';
import { MINIMUM_TERM_MONTHS } from './contract-dates';
import { InvoiceLine, line } from './invoice';
import { prorate, Yen } from './money';
import { annualFeeLinesForMonth, upgradeLinesForMonth } from './annual-charges';
import { usageLinesForMonth } from './usage-charges';

/** Every usage charge of the contract's life: usage, annual fees and upgrade charges. */
export function usageBilledOverLife(contract: Contract): Yen {
  if (!contract.serviceEnd) throw new Error('usageBilledOverLife needs a service end');
  let total = 0;
  for (const month of monthsFrom(monthOf(contract.billingStart), monthOf(contract.serviceEnd))) {
    const lines = [
      ...usageLinesForMonth(contract, month),
      ...annualFeeLinesForMonth(contract, month),
      ...upgradeLinesForMonth(contract, month),
    ];
    for (const l of lines) total += l.amount;
  }
  return total;
}

export interface MinimumTermAdjustment {
  /** The final invoice: the month of the service end. */
  month: YearMonth;
  monthlyFee: Yen;
  usageBilled: Yen;
  amount: Yen;
}

/**
 * Art. 12.3: a customer who cancels so that the service ends before the minimum term is over still
 * pays three months of usage: 3 × monthly fee − usage billed over the contract's life (the final
 * month included), when positive. The monthly fee is the plan in force at the service end. The
 * article speaks of the customer's cancellation (解約を申し出ても); an end the vendor decides
 * (Art. 21.2) carries no adjustment.
 */
export function minimumTermAdjustment(contract: Contract): MinimumTermAdjustment | null {
  const end = contract.serviceEnd;
  if (contract.ending?.kind !== 'cancellation' || !end || end >= contract.minimumTermEnd) return null;
  const monthlyFee = planOn(contract, end).monthlyFee;
  const usageBilled = usageBilledOverLife(contract);
  const amount = MINIMUM_TERM_MONTHS * monthlyFee - usageBilled;
  return amount > 0 ? { month: monthOf(end), monthlyFee, usageBilled, amount } : null;
}

export interface LateEquipmentReturn {
  /** The invoice of the month the equipment arrived in. */
  month: YearMonth;
  lines: InvoiceLine[];
}

/**
 * Art. 12.9: equipment arriving after the deadline costs the daily fee for every day from the day
 * after the service end to the arrival, monthly fee / days of that month, summed per calendar month
 * and rounded down per month. The fee is the plan in force on the last day of service.
 */
export function lateEquipmentReturn(contract: Contract): LateEquipmentReturn | null {
  const { serviceEnd, equipmentReturnDeadline: deadline, equipmentReturnedOn: arrival } = contract;
  if (!serviceEnd || !deadline || !arrival || arrival <= deadline) return null;
  const monthlyFee = planOn(contract, serviceEnd).monthlyFee;
  const firstDay = addDays(serviceEnd, 1);
  const lines = monthsFrom(monthOf(firstDay), monthOf(arrival)).map((month) => {
    const from = later(firstDay, firstDayOf(month));
    const to = earlier(arrival, lastDayOf(month));
    return line.equipmentLateReturn(from, to, prorate(monthlyFee, daysInclusive(from, to), daysInMonthOf(month)));
  });
  return { month: monthOf(arrival), lines };
}
