import { fieldErrors } from '../../platform/http/field-errors';
import { addMonthsClamped, CivilDate } from '../billing/civil-date';
import { BillingCycle, BillingProduct, Contract, Plan } from '../billing/contract';
import { contractFromScenario, MAX_SCENARIO_YEARS } from '../billing/contract-from-scenario';
import { Scenario, ScenarioError, ScenarioEvent } from '../billing/scenario';
import { GB } from '../plans/plan.entity';
import { ContractPlanChange, VendorContract } from './contract.entities';

/** What a contract row and a plan-change row both carry: a plan as priced when it was chosen. */
interface PricedPlan {
  planCode: string;
  monthlyFee: number;
  initialFee: number;
  capacityGb: number;
}

export const enginePlan = (p: PricedPlan): Plan => ({
  code: p.planCode,
  monthlyFee: p.monthlyFee,
  initialFee: p.initialFee,
  capacityBytes: p.capacityGb * GB,
});

/** A stored contract with everything the engine needs, the service start already decided. */
export interface StoredContract {
  row: VendorContract;
  changes: ContractPlanChange[];
  serviceStart: CivilDate;
}

/** Something asked of the engine on top of what is stored: a change or cancellation not yet saved. */
export interface ProposedEvent {
  event: ScenarioEvent;
  /** The request field an engine complaint about this event is reported under... */
  field: string;
  /** ...unless it is about one of these event fields (`effectiveOn`), reported under the request field given. */
  fields?: Record<string, string>;
}

/**
 * The stored contract as a simulator scenario, so the engine decides every date and refuses what
 * breaks a rule exactly as the simulator does: the contract side never re-implements a rule.
 * `until` only matters to the engine when nothing ends the service (it must then be given); it never
 * changes a month's charges, so it is the farthest date the engine accepts.
 */
export function scenarioOf(stored: StoredContract, proposed: ProposedEvent[] = []): Scenario {
  const { row } = stored;
  const events: ScenarioEvent[] = stored.changes.map((c) => ({
    type: 'planChange',
    effectiveOn: c.effectiveOn,
    plan: enginePlan(c),
  }));
  if (row.cancellationRequestedOn) events.push({ type: 'cancellationRequested', on: row.cancellationRequestedOn });
  if (row.equipmentReturnedOn) events.push({ type: 'equipmentReturned', on: row.equipmentReturnedOn });
  events.push(...proposed.map((p) => p.event));
  return {
    product: row.product as BillingProduct,
    plan: enginePlan(row),
    billingCycle: row.billingCycle as BillingCycle,
    openingTestCompletedOn: stored.serviceStart,
    events,
    until: addMonthsClamped(stored.serviceStart, 12 * MAX_SCENARIO_YEARS),
  };
}

/**
 * The engine's view of a stored contract (plus proposed events). A rule broken by a proposed event
 * becomes a 400 naming the request's field; one broken by stored data names the stored event.
 */
export function engineContractOf(stored: StoredContract, proposed: ProposedEvent[] = []): Contract {
  const scenario = scenarioOf(stored, proposed);
  try {
    return contractFromScenario(scenario);
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    const firstProposed = scenario.events.length - proposed.length;
    throw fieldErrors(
      error.problems.map((problem) => {
        const [, index, eventField] = /^events\[(\d+)\]\.?([\w.]*)/.exec(problem.field) ?? [];
        const mine = index && Number(index) >= firstProposed ? proposed[Number(index) - firstProposed] : undefined;
        if (!mine) return problem;
        return { field: mine.fields?.[eventField] ?? mine.field, message: problem.message };
      }),
    );
  }
}
