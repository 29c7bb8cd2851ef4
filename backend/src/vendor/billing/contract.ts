import { addDays, CivilDate, earlier, later } from './civil-date';
import type { Yen } from './money';

/** Product names as the simulator contract writes them. */
export const BILLING_PRODUCTS = ['FlexLog', 'FlexDPlayer', 'Ootairyoku', 'FlexVNote'] as const;
export type BillingProduct = (typeof BILLING_PRODUCTS)[number];

/**
 * Art. 5.2: FlexLog, 応対力 and FlexVNote run on rented equipment; FlexDPlayer records through the
 * carrier and has none, so it has no return deadline and no late-return charge.
 */
export function rentsEquipment(product: BillingProduct): boolean {
  return product !== 'FlexDPlayer';
}

export const BILLING_CYCLES = ['monthly', 'annual'] as const;
export type BillingCycle = (typeof BILLING_CYCLES)[number];

export interface Plan {
  code: string;
  monthlyFee: Yen;
  initialFee: Yen;
  /** Recording capacity the plan sells (plaintext bytes), for the downgrade check of Art. 13.8. */
  capacityBytes?: number;
}

/** A plan in force from `from` (counted) until the next one starts. */
export interface PlanPeriod {
  from: CivilDate;
  plan: Plan;
}

export type ContractEnding =
  | { kind: 'cancellation'; requestedOn: CivilDate }
  | { kind: 'vendorTermination'; noticeOn: CivilDate; endOn: CivilDate };

/**
 * A contract as billing sees it, every date already decided. Built from a simulator scenario by
 * contract-from-scenario.ts; the invoicing job will build the same shape from its stored contract.
 */
export interface Contract {
  product: BillingProduct;
  cycle: BillingCycle;
  serviceStart: CivilDate;
  billingStart: CivilDate;
  minimumTermEnd: CivilDate;
  /** Sorted by `from`; the first starts on the billing start. */
  plans: PlanPeriod[];
  ending: ContractEnding | null;
  /** Last day of service, or null while the contract runs on. */
  serviceEnd: CivilDate | null;
  equipmentReturnDeadline: CivilDate | null;
  equipmentReturnedOn: CivilDate | null;
}

export function planOn(contract: Contract, date: CivilDate): Plan {
  let current = contract.plans[0].plan;
  for (const period of contract.plans) if (period.from <= date) current = period.plan;
  return current;
}

export interface PlanSegment {
  from: CivilDate;
  to: CivilDate;
  plan: Plan;
}

/** The plans in force over `from`..`to` (both counted), one segment per plan, in date order. */
export function planSegments(contract: Contract, from: CivilDate, to: CivilDate): PlanSegment[] {
  const segments: PlanSegment[] = [];
  contract.plans.forEach((period, i) => {
    const next = contract.plans[i + 1];
    const periodLast = next ? addDays(next.from, -1) : to;
    const segmentFrom = later(period.from, from);
    const segmentTo = earlier(periodLast, to);
    if (segmentFrom <= segmentTo) segments.push({ from: segmentFrom, to: segmentTo, plan: period.plan });
  });
  return segments;
}

/** The plan changes (every period after the first), in date order. */
export function planChanges(contract: Contract): Array<{ effectiveOn: CivilDate; from: Plan; to: Plan }> {
  return contract.plans.slice(1).map((period, i) => ({
    effectiveOn: period.from,
    from: contract.plans[i].plan,
    to: period.plan,
  }));
}
