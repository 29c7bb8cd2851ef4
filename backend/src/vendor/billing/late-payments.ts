import { CivilDate, daysBetween, monthOf, YearMonth } from './civil-date';
import { Invoice, InvoiceLine, line } from './invoice';
import { delayDamages } from './money';

export interface LateFee {
  /** Invoiced on the next invoice after the payment: the invoice of the month the payment came in. */
  month: YearMonth;
  line: InvoiceLine;
}

/**
 * Art. 10.7 delay damages for `invoice` paid on `paidOn`: 14.5% a year on its total (tax included)
 * for the days after the due date up to and including the payment date, rounded down. The damages
 * are known only once the money arrives, so they go on the invoice closed at the end of that month
 * (the next one issued); nothing when paid on time, for a credit, or when they round down to 0 yen.
 */
export function lateFeeFor(invoice: Invoice, paidOn: CivilDate): LateFee | null {
  const daysLate = daysBetween(invoice.dueDate, paidOn);
  const amount = delayDamages(invoice.total, daysLate);
  if (amount <= 0) return null;
  return { month: monthOf(paidOn), line: line.lateFee(invoice.id, daysLate, amount) };
}
