import { Invoice, InvoiceLine } from '../../src/vendor/billing/invoice';
import { simulateBilling, SimulationResult } from '../../src/vendor/billing/simulate';

/** The scenario of billing-rules.md ("The simulator contract"), verbatim. */
export const DOCUMENTED_EXAMPLE = {
  product: 'FlexLog',
  plan: { code: 'S', monthlyFee: 10000, initialFee: 30000 },
  billingCycle: 'monthly',
  openingTestCompletedOn: '2026-03-14',
  events: [
    {
      type: 'planChange',
      effectiveOn: '2026-05-11',
      plan: { code: 'M', monthlyFee: 20000, initialFee: 10000 },
    },
    { type: 'cancellationRequested', on: '2026-07-05' },
    { type: 'paymentReceived', invoice: '2026-03', on: '2026-05-12' },
    { type: 'equipmentReturned', on: '2026-09-20' },
  ],
  until: '2026-12-31',
};

export const PLAN_S = { code: 'S', monthlyFee: 10000, initialFee: 30000 };
export const PLAN_M = { code: 'M', monthlyFee: 20000, initialFee: 10000 };
export const PLAN_L = { code: 'L', monthlyFee: 30000, initialFee: 10000 };

/**
 * A FlexLog contract on plan S (10,000 yen a month, 30,000 initial), monthly, opening test on
 * 2026-03-14 (billing from 2026-03-15), no events, simulated to the end of 2026; override any field.
 */
export function scenario(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    product: 'FlexLog',
    plan: PLAN_S,
    billingCycle: 'monthly',
    openingTestCompletedOn: '2026-03-14',
    events: [],
    until: '2026-12-31',
    ...overrides,
  };
}

export const simulate = (input: Record<string, unknown>): SimulationResult => simulateBilling(input);

/** The invoice with this id; fails the test when there is none. */
export function invoiceOf(result: SimulationResult, id: string): Invoice {
  const found = result.invoices.find((i) => i.id === id);
  if (!found) throw new Error(`no invoice ${id}; invoices: ${result.invoices.map((i) => i.id).join(', ')}`);
  return found;
}

export const linesOf = (result: SimulationResult, id: string): InvoiceLine[] => invoiceOf(result, id).lines;

/** `{ id, lines, subtotal, tax, total }` without the due date, for compact expectations. */
export function bill(result: SimulationResult, id: string) {
  const { lines, subtotal, tax, total } = invoiceOf(result, id);
  return { id, lines, subtotal, tax, total };
}
