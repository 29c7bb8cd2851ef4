import { monthOf, YearMonth } from './civil-date';
import { Contract, planChanges } from './contract';
import { InvoiceLine, line } from './invoice';
import { annualFeeLinesForMonth, upgradeLinesForMonth, vendorTerminationRefund } from './annual-charges';
import { lateEquipmentReturn, minimumTermAdjustment } from './contract-end-charges';
import { usageLinesForMonth } from './usage-charges';

/**
 * Initial fees: the contract's on the first invoice (Art. 10.3), and the new plan's on the invoice
 * of the month a plan change takes effect (Art. 13.5: 変更後プランの初期費用). A fee of 0 adds no line.
 */
function initialFeeLinesForMonth(contract: Contract, month: YearMonth): InvoiceLine[] {
  const fees = [
    ...(month === monthOf(contract.billingStart) ? [contract.plans[0].plan.initialFee] : []),
    ...planChanges(contract)
      .filter((c) => monthOf(c.effectiveOn) === month)
      .map((c) => c.to.initialFee),
  ];
  return fees.filter((fee) => fee > 0).map((fee) => line.initialFee(fee));
}

/**
 * Every line that arises in `month` from the contract itself, in a fixed order: initial fees, usage,
 * annual fee, upgrade charges, minimum-term adjustment, late equipment return, refund. This is the
 * per-month entry point the invoicing job calls; delay damages depend on payments and are added by
 * the caller (late-payments.ts), as the simulator does.
 *
 * The invoice for month M is closed at the end of M: a charge belongs to the month in which what
 * causes it happens (a plan change, the equipment's arrival), and what is issued after the service
 * end (a late return, a refund) takes the month of its issue.
 */
export function chargesForMonth(contract: Contract, month: YearMonth): InvoiceLine[] {
  const adjustment = minimumTermAdjustment(contract);
  const lateReturn = lateEquipmentReturn(contract);
  const refund = vendorTerminationRefund(contract);
  return [
    ...initialFeeLinesForMonth(contract, month),
    ...usageLinesForMonth(contract, month),
    ...annualFeeLinesForMonth(contract, month),
    ...upgradeLinesForMonth(contract, month),
    ...(adjustment?.month === month ? [line.minimumTermAdjustment(adjustment.amount)] : []),
    ...(lateReturn?.month === month ? lateReturn.lines : []),
    ...(refund?.month === month ? [line.refund(refund.amount)] : []),
  ];
}

/** The last month `chargesForMonth` can return anything for (null while the contract runs on). */
export function lastChargeMonth(contract: Contract): YearMonth | null {
  if (!contract.serviceEnd) return null;
  const months = [
    monthOf(contract.serviceEnd),
    lateEquipmentReturn(contract)?.month,
    vendorTerminationRefund(contract)?.month,
  ].filter((m): m is YearMonth => !!m);
  return months.sort()[months.length - 1];
}
