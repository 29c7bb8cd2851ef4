import { addMonthsToMonth, CivilDate, lastDayOf, monthOf, YearMonth } from './civil-date';
import { Contract } from './contract';
import { contractFromScenario } from './contract-from-scenario';
import { Invoice, InvoiceLine, invoiceFor } from './invoice';
import { lateFeeFor } from './late-payments';
import { chargesForMonth, lastChargeMonth } from './month-charges';
import { parseScenario, Scenario, scenarioError } from './scenario';

/** The simulator's output, as billing-rules.md ("The simulator contract") defines it. */
export interface SimulationResult {
  serviceStartDate: CivilDate;
  billingStartDate: CivilDate;
  minimumTermEndsOn: CivilDate;
  serviceEndDate: CivilDate | null;
  equipmentReturnDeadline: CivilDate | null;
  invoices: Invoice[];
}

/**
 * Which months get their charges: every month from the billing start to the service end or the
 * month of `until`, whichever comes first; then, when the service end lies inside that range, the
 * invoices the rules add after it (a late return, a refund). Delay damages follow their payment
 * wherever it falls.
 */
function lastChargedMonth(contract: Contract, until: CivilDate | undefined): YearMonth {
  const untilEnd = until ? lastDayOf(monthOf(until)) : null;
  const { serviceEnd } = contract;
  if (serviceEnd && (!untilEnd || serviceEnd <= untilEnd)) return lastChargeMonth(contract) ?? monthOf(serviceEnd);
  // contractFromScenario has refused a scenario with neither a service end nor `until`.
  if (!untilEnd) throw new Error('a contract that runs on needs `until`');
  return monthOf(untilEnd);
}

/**
 * Issues the invoices of a contract month by month. Invoices not named by a paymentReceived event are
 * paid on their due date; a late payment adds delay damages to the invoice of the month it came in.
 */
function invoicesOf(contract: Contract, scenario: Scenario): Invoice[] {
  const payments = new Map(
    scenario.events.flatMap((event, index) =>
      event.type === 'paymentReceived' ? [[event.invoice, { on: event.on, index }] as const] : [],
    ),
  );
  const lastMonth = lastChargedMonth(contract, scenario.until);
  const damagesByMonth = new Map<YearMonth, InvoiceLine[]>();
  const damagesPending = (from: YearMonth) => [...damagesByMonth.keys()].some((m) => m >= from);
  const invoices: Invoice[] = [];
  for (let month = monthOf(contract.billingStart); month <= lastMonth || damagesPending(month);) {
    const lines = [
      ...(month <= lastMonth ? chargesForMonth(contract, month) : []),
      ...(damagesByMonth.get(month) ?? []),
    ];
    damagesByMonth.delete(month);
    if (lines.length) {
      const invoice = invoiceFor(month, lines);
      invoices.push(invoice);
      const lateFee = lateFeeFor(invoice, payments.get(month)?.on ?? invoice.dueDate);
      if (lateFee) damagesByMonth.set(lateFee.month, [...(damagesByMonth.get(lateFee.month) ?? []), lateFee.line]);
    }
    month = addMonthsToMonth(month, 1);
  }
  for (const [id, payment] of payments) {
    if (!invoices.some((invoice) => invoice.id === id)) {
      const issued = invoices.map((invoice) => invoice.id).join(', ') || 'none';
      throw scenarioError(
        `events[${payment.index}].invoice`,
        `there is no invoice ${id} in this scenario (invoices: ${issued})`,
      );
    }
  }
  return invoices;
}

export function simulateScenario(scenario: Scenario): SimulationResult {
  const contract = contractFromScenario(scenario);
  return {
    serviceStartDate: contract.serviceStart,
    billingStartDate: contract.billingStart,
    minimumTermEndsOn: contract.minimumTermEnd,
    serviceEndDate: contract.serviceEnd,
    equipmentReturnDeadline: contract.equipmentReturnDeadline,
    invoices: invoicesOf(contract, scenario),
  };
}

/**
 * The billing simulator: a scenario in (parsed JSON), its bills out. Pure: no I/O, no clock. The CLI,
 * the API and the quote screen all call this, so they give the same JSON for the same scenario.
 * Throws ScenarioError, naming the field, for a malformed scenario or one that breaks a rule.
 */
export function simulateBilling(input: unknown): SimulationResult {
  return simulateScenario(parseScenario(input));
}
