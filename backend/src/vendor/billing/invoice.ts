import type { CivilDate, YearMonth } from './civil-date';
import { dueDateFor } from './contract-dates';
import { consumptionTax, Yen } from './money';

/**
 * Invoice lines exactly as the simulator contract names them. Key order is part of the output
 * (kind, then dates or references, then amount), so each line is built by the functions below.
 */
export type InvoiceLine =
  | { kind: 'initialFee'; amount: Yen }
  | { kind: 'usage'; from: CivilDate; to: CivilDate; amount: Yen }
  | { kind: 'annualFee'; from: CivilDate; to: CivilDate; amount: Yen }
  | { kind: 'planChangeUpgrade'; amount: Yen }
  | { kind: 'minimumTermAdjustment'; amount: Yen }
  | { kind: 'lateFee'; invoice: YearMonth; daysLate: number; amount: Yen }
  | { kind: 'equipmentLateReturn'; from: CivilDate; to: CivilDate; amount: Yen }
  | { kind: 'refund'; amount: Yen };

export type LineKind = InvoiceLine['kind'];

export const line = {
  initialFee: (amount: Yen): InvoiceLine => ({ kind: 'initialFee', amount }),
  usage: (from: CivilDate, to: CivilDate, amount: Yen): InvoiceLine => ({ kind: 'usage', from, to, amount }),
  annualFee: (from: CivilDate, to: CivilDate, amount: Yen): InvoiceLine => ({ kind: 'annualFee', from, to, amount }),
  planChangeUpgrade: (amount: Yen): InvoiceLine => ({ kind: 'planChangeUpgrade', amount }),
  minimumTermAdjustment: (amount: Yen): InvoiceLine => ({ kind: 'minimumTermAdjustment', amount }),
  lateFee: (invoice: YearMonth, daysLate: number, amount: Yen): InvoiceLine => ({
    kind: 'lateFee',
    invoice,
    daysLate,
    amount,
  }),
  equipmentLateReturn: (from: CivilDate, to: CivilDate, amount: Yen): InvoiceLine => ({
    kind: 'equipmentLateReturn',
    from,
    to,
    amount,
  }),
  refund: (amount: Yen): InvoiceLine => ({ kind: 'refund', amount: -amount }),
};

/** Delay damages carry no consumption tax (they are compensation, not the price of a service). */
export function isTaxable(kind: LineKind): boolean {
  return kind !== 'lateFee';
}

/** Lines that are the price of using the service: what the minimum term counts as "usage billed". */
export function isUsageCharge(kind: LineKind): boolean {
  return kind === 'usage' || kind === 'annualFee' || kind === 'planChangeUpgrade';
}

export interface Invoice {
  id: YearMonth;
  dueDate: CivilDate;
  lines: InvoiceLine[];
  subtotal: Yen;
  tax: Yen;
  total: Yen;
}

/** Subtotal of every line, tax once on the taxable ones (rounded down), total = subtotal + tax. */
export function invoiceFor(id: YearMonth, lines: InvoiceLine[]): Invoice {
  const sum = (items: InvoiceLine[]) => items.reduce((total, l) => total + l.amount, 0);
  const subtotal = sum(lines);
  const tax = consumptionTax(sum(lines.filter((l) => isTaxable(l.kind))));
  return { id, dueDate: dueDateFor(id), lines, subtotal, tax, total: subtotal + tax };
}
