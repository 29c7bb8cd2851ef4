import type { CivilDate } from '../billing/civil-date';
import { annualPeriodOn, annualPeriod, type AnnualPeriod } from '../billing/annual-charges';
import { Contract, planOn } from '../billing/contract';
import { ContractPlanChange, VendorContract } from './contract.entities';

export interface ContractView {
  id: string;
  tenantId: string;
  product: string;
  billingCycle: string;
  equipment: string[];
  appliedOn: CivilDate;
  /** The opening test in force: entered by hand, else the product's confirmed test, else null. */
  openingTestOn: CivilDate | null;
  openingTestSource: 'manual' | 'product' | null;
  initialPlan: { planId: string; code: string; monthlyFee: number; initialFee: number; capacityGb: number };
  planChanges: Array<{ id: string; effectiveOn: CivilDate; planId: string; code: string; monthlyFee: number }>;
  /** The plan in force today (the initial one before the service starts). */
  currentPlanCode: string;
  serviceStartDate: CivilDate | null;
  billingStartDate: CivilDate | null;
  minimumTermEndsOn: CivilDate | null;
  cancellationRequestedOn: CivilDate | null;
  serviceEndDate: CivilDate | null;
  equipmentReturnDeadline: CivilDate | null;
  equipmentReturnedOn: CivilDate | null;
  /** Annual contracts: the next period to start after today, and when the customer is reminded. */
  nextRenewal: { periodStart: CivilDate; periodEnd: CivilDate; remindOn: CivilDate } | null;
}

/** The next annual period starting after `today` that the service still reaches; null when none. */
export function nextRenewalOf(contract: Contract, today: CivilDate): AnnualPeriod | null {
  if (contract.cycle !== 'annual') return null;
  const current = annualPeriodOn(contract, today);
  // Before the first period starts its fee is already on the first invoice: the next to confirm is the second.
  const next = annualPeriod(contract, current ? current.index + 1 : 1);
  if (contract.serviceEnd && contract.serviceEnd < next.start) return null;
  return next;
}

export function contractView(
  row: VendorContract,
  changes: ContractPlanChange[],
  opening: { on: CivilDate | null; source: 'manual' | 'product' | null },
  contract: Contract | null,
  today: CivilDate,
): ContractView {
  const renewal = contract ? nextRenewalOf(contract, today) : null;
  return {
    id: row.id,
    tenantId: row.tenantId,
    product: row.product,
    billingCycle: row.billingCycle,
    equipment: JSON.parse(row.equipment) as string[],
    appliedOn: row.appliedOn,
    openingTestOn: opening.on,
    openingTestSource: opening.source,
    initialPlan: {
      planId: row.planId,
      code: row.planCode,
      monthlyFee: row.monthlyFee,
      initialFee: row.initialFee,
      capacityGb: row.capacityGb,
    },
    planChanges: changes.map((c) => ({
      id: c.id,
      effectiveOn: c.effectiveOn,
      planId: c.planId,
      code: c.planCode,
      monthlyFee: c.monthlyFee,
    })),
    currentPlanCode: contract && today >= contract.billingStart ? planOn(contract, today).code : row.planCode,
    serviceStartDate: contract?.serviceStart ?? null,
    billingStartDate: contract?.billingStart ?? null,
    minimumTermEndsOn: contract?.minimumTermEnd ?? null,
    cancellationRequestedOn: row.cancellationRequestedOn,
    serviceEndDate: contract?.serviceEnd ?? null,
    equipmentReturnDeadline: contract?.equipmentReturnDeadline ?? null,
    equipmentReturnedOn: row.equipmentReturnedOn,
    nextRenewal: renewal ? { periodStart: renewal.start, periodEnd: renewal.end, remindOn: renewal.confirmBy } : null,
  };
}
