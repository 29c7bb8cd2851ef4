import {
  addDays,
  addMonthsToMonth,
  CivilDate,
  firstDayOf,
  monthOf,
  monthsBetween,
  periodEnd,
  YearMonth,
} from './civil-date';
import { Contract, planChanges, planOn } from './contract';
import { wholeMonthsWithin } from './contract-dates';
import { InvoiceLine, line } from './invoice';
import { Yen } from './money';
import { monthlyRateCharges } from './usage-charges';

/** Art. 10.2: 年払いの利用料は月払い利用料に11を乗じた金額とする. */
export const ANNUAL_FEE_MONTHS = 11;
export const ANNUAL_PERIOD_MONTHS = 12;

export interface AnnualPeriod {
  /** 0 for the first period. */
  index: number;
  start: CivilDate;
  end: CivilDate;
  /**
   * The invoice carrying its fee: the month before the period. The first is the billing-start
   * month's invoice (Art. 10.5); a renewal is due on the last day of the period's first month, which
   * makes it, like every invoice here, the invoice of the month before its due month.
   */
  invoiceMonth: YearMonth;
  /** Art. 10.8: the renewal is confirmed with the customer a month ahead (the reminder's date). */
  confirmBy: CivilDate;
}

/** Art. 10.5: the first annual period starts on the 1st of the month after the billing-start month. */
export function annualPeriod(contract: Contract, index: number): AnnualPeriod {
  const firstMonth = addMonthsToMonth(monthOf(contract.billingStart), 1 + ANNUAL_PERIOD_MONTHS * index);
  const start = firstDayOf(firstMonth);
  return {
    index,
    start,
    end: periodEnd(start, ANNUAL_PERIOD_MONTHS),
    invoiceMonth: addMonthsToMonth(firstMonth, -1),
    confirmBy: firstDayOf(addMonthsToMonth(firstMonth, -1)),
  };
}

/** The annual period `date` falls in; null in the billing-start month, which precedes the first. */
export function annualPeriodOn(contract: Contract, date: CivilDate): AnnualPeriod | null {
  const monthsIn = monthsBetween(addMonthsToMonth(monthOf(contract.billingStart), 1), monthOf(date));
  return monthsIn < 0 ? null : annualPeriod(contract, Math.floor(monthsIn / ANNUAL_PERIOD_MONTHS));
}

/** A period is billed only when the service is still running on its first day. */
function isBilled(contract: Contract, period: AnnualPeriod): boolean {
  return contract.serviceEnd === null || contract.serviceEnd >= period.start;
}

/** The fee of a period: 11 × the monthly fee of the plan in force on its first day (Art. 10.2, 13.7). */
export function annualFeeOf(contract: Contract, period: AnnualPeriod): Yen {
  return ANNUAL_FEE_MONTHS * planOn(contract, period.start).monthlyFee;
}

export function annualFeeLinesForMonth(contract: Contract, month: YearMonth): InvoiceLine[] {
  if (contract.cycle !== 'annual') return [];
  const offset = monthsBetween(monthOf(contract.billingStart), month);
  if (offset < 0 || offset % ANNUAL_PERIOD_MONTHS !== 0) return [];
  const period = annualPeriod(contract, offset / ANNUAL_PERIOD_MONTHS);
  return isBilled(contract, period) ? [line.annualFee(period.start, period.end, annualFeeOf(contract, period))] : [];
}

export interface UpgradeCharge {
  effectiveOn: CivilDate;
  period: AnnualPeriod;
  wholeMonthsLeft: number;
  amount: Yen;
}

/**
 * Art. 13.7 upgrades: 残りの月数（ひと月未満の端数はカット）と差額を乗じた金額. For each change to a higher
 * monthly fee made after a period has started, whole months from the change to the period end ×
 * the difference. The difference is taken from the highest monthly fee the period has already been
 * paid at, so going down and back up within a period does not charge twice for the same months.
 * A change on a period's first day costs nothing here: that period's fee already uses the new plan,
 * and so does a change in the billing-start month (before the first period).
 */
export function upgradeCharges(contract: Contract): UpgradeCharge[] {
  if (contract.cycle !== 'annual') return [];
  const charges: UpgradeCharge[] = [];
  const paidLevel = new Map<number, Yen>();
  for (const change of planChanges(contract)) {
    const period = annualPeriodOn(contract, change.effectiveOn);
    if (!period || change.effectiveOn === period.start) continue;
    const paid = paidLevel.get(period.index) ?? planOn(contract, period.start).monthlyFee;
    if (change.to.monthlyFee <= change.from.monthlyFee) continue; // downgrade: no refund, new price at renewal
    const wholeMonthsLeft = wholeMonthsWithin(change.effectiveOn, period.end);
    const amount = wholeMonthsLeft * Math.max(0, change.to.monthlyFee - paid);
    paidLevel.set(period.index, Math.max(paid, change.to.monthlyFee));
    charges.push({ effectiveOn: change.effectiveOn, period, wholeMonthsLeft, amount });
  }
  return charges;
}

export function upgradeLinesForMonth(contract: Contract, month: YearMonth): InvoiceLine[] {
  return upgradeCharges(contract)
    .filter((c) => monthOf(c.effectiveOn) === month && c.amount > 0)
    .map((c) => line.planChangeUpgrade(c.amount));
}

export interface TerminationRefund {
  /** Issued after the service end: the month of the day after it. */
  month: YearMonth;
  paid: Yen;
  usedAtMonthlyRate: Yen;
  amount: Yen;
}

/**
 * Art. 21.3: when the vendor ends an annual contract, the period in progress is recalculated at the
 * monthly rate (whole months at the monthly fee, the last part month by day) and the rest of what was
 * paid for it (the annual fee and any upgrade charges) is refunded. Nothing is charged when the monthly
 * rate comes to more than was paid, and there is no refund before the first period has started (its
 * fee is then never billed).
 */
export function vendorTerminationRefund(contract: Contract): TerminationRefund | null {
  const ending = contract.ending;
  if (contract.cycle !== 'annual' || ending?.kind !== 'vendorTermination') return null;
  const period = annualPeriodOn(contract, ending.endOn);
  if (!period) return null;
  const upgrades = upgradeCharges(contract).filter((c) => c.period.index === period.index);
  const paid = annualFeeOf(contract, period) + upgrades.reduce((sum, c) => sum + c.amount, 0);
  const usedAtMonthlyRate = monthlyRateCharges(contract, { from: period.start, to: ending.endOn });
  const amount = paid - usedAtMonthlyRate;
  if (amount <= 0) return null;
  return { month: monthOf(addDays(ending.endOn, 1)), paid, usedAtMonthlyRate, amount };
}
