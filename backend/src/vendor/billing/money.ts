/**
 * Integer yen only. Every rule of billing-rules.md divides once and rounds down, so amounts are
 * computed as `floor(a × b / c)` on integers: no binary fractions (0.145 is not exact in a double),
 * and BigInt so the product cannot lose digits however large the bill.
 */
export type Yen = number;

/** floor(a × b / c) for non-negative integers a, b and a positive integer c. */
export function mulDivFloor(a: number, b: number, c: number): Yen {
  for (const [name, value] of [
    ['a', a],
    ['b', b],
    ['c', c],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 0) throw new Error(`mulDivFloor: ${name} must be a whole number ≥ 0`);
  }
  if (c === 0) throw new Error('mulDivFloor: division by zero');
  return Number((BigInt(a) * BigInt(b)) / BigInt(c));
}

/**
 * A month's fee for `days` of a month of `daysInMonth` days, rounded down (Art. 10.4: 利用日数／該当月の
 * 日数×月払い費用). Used for the first month, plan-change months, a service end inside a month, late
 * equipment returns and the monthly-rate recalculation of Art. 21.3.
 */
export function prorate(monthlyFee: Yen, days: number, daysInMonth: number): Yen {
  return mulDivFloor(monthlyFee, days, daysInMonth);
}

/** Consumption tax rate: 10%, written as a fraction of integers. */
export const TAX_RATE = { numerator: 10, denominator: 100 } as const;

/**
 * 10% of the taxable total, one rounding per invoice, rounded down (切り捨て). A credit (a refund
 * invoice) rounds toward zero too, so the tax refunded is never more than the tax charged.
 */
export function consumptionTax(taxableTotal: Yen): Yen {
  const tax = mulDivFloor(Math.abs(taxableTotal), TAX_RATE.numerator, TAX_RATE.denominator);
  return taxableTotal < 0 ? -tax : tax;
}

/** Delay damages of Art. 10.7: 14.5% a year, by day, rounded down (年率１４．５％). */
export function delayDamages(amount: Yen, daysLate: number): Yen {
  if (amount <= 0 || daysLate <= 0) return 0;
  // amount × 0.145 × daysLate / 365 = amount × 145 × daysLate / 365,000
  return Number((BigInt(amount) * BigInt(145) * BigInt(daysLate)) / BigInt(365_000));
}
