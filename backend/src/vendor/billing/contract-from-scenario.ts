import { addMonthsClamped, CivilDate } from './civil-date';
import { Contract, ContractEnding, Plan, PlanPeriod, rentsEquipment } from './contract';
import {
  billingStartFor,
  earliestVendorTerminationEnd,
  equipmentReturnDeadlineFor,
  minimumTermEndFor,
  serviceEndForCancellation,
} from './contract-dates';
import { Scenario, ScenarioEvent, scenarioError } from './scenario';

type Indexed<T extends ScenarioEvent['type']> = Extract<ScenarioEvent, { type: T }> & { index: number };

function eventsOf<T extends ScenarioEvent['type']>(scenario: Scenario, type: T): Array<Indexed<T>> {
  return scenario.events
    .map((event, index) => ({ ...event, index }))
    .filter((event): event is Indexed<T> => event.type === type);
}

const at = (index: number, field: string) => `events[${index}].${field}`;
const bytes = (n: number) => `${n.toLocaleString('en')} bytes`;

/** The one event that ends the service, if any: a customer's cancellation or the vendor's termination. */
function endingOf(scenario: Scenario, serviceStart: CivilDate, billingStart: CivilDate) {
  const endings = [...eventsOf(scenario, 'cancellationRequested'), ...eventsOf(scenario, 'vendorTermination')];
  if (endings.length > 1) {
    throw scenarioError(
      `events[${endings[1].index}]`,
      `the service ends only once: events[${endings[0].index}] (${endings[0].type}) already ends it`,
    );
  }
  const event = endings[0];
  if (!event) return { ending: null, serviceEnd: null };
  if (event.type === 'cancellationRequested') {
    if (event.on < serviceStart) {
      throw scenarioError(
        at(event.index, 'on'),
        `a cancellation cannot come before the service starts (${serviceStart})`,
      );
    }
    const ending: ContractEnding = { kind: 'cancellation', requestedOn: event.on };
    return { ending, serviceEnd: serviceEndForCancellation(event.on) };
  }
  if (event.noticeOn < serviceStart) {
    throw scenarioError(
      at(event.index, 'noticeOn'),
      `the notice cannot come before the service starts (${serviceStart})`,
    );
  }
  if (event.endOn < billingStart) {
    throw scenarioError(at(event.index, 'endOn'), `the service cannot end before the billing start (${billingStart})`);
  }
  const earliest = earliestVendorTerminationEnd(event.noticeOn);
  if (event.endOn < earliest) {
    throw scenarioError(
      at(event.index, 'endOn'),
      `notice shorter than one month: Art. 21.2 needs at least one month's notice, so a notice on ${event.noticeOn} ` +
        `allows the service to end on ${earliest} at the earliest`,
    );
  }
  const ending: ContractEnding = { kind: 'vendorTermination', noticeOn: event.noticeOn, endOn: event.endOn };
  return { ending, serviceEnd: event.endOn };
}

/**
 * Art. 13.8: a plan too small for the recordings already stored is refused until enough are deleted
 * (checked when the scenario gives both the stored bytes and the new plan's capacity).
 */
function checkCapacity(change: Indexed<'planChange'>): void {
  const capacity = change.plan.capacityBytes;
  if (change.usedBytes === undefined || capacity === undefined || change.usedBytes <= capacity) return;
  throw scenarioError(
    at(change.index, 'usedBytes'),
    `plan ${change.plan.code} holds ${bytes(capacity)} but ${bytes(change.usedBytes)} are stored: delete at least ` +
      `${bytes(change.usedBytes - capacity)} of recordings with the deletion tool before changing plan (Art. 13.8)`,
  );
}

function planPeriodsOf(scenario: Scenario, billingStart: CivilDate, serviceEnd: CivilDate | null): PlanPeriod[] {
  const periods: PlanPeriod[] = [{ from: billingStart, plan: scenario.plan }];
  const changes = eventsOf(scenario, 'planChange').sort((a, b) => (a.effectiveOn < b.effectiveOn ? -1 : 1));
  for (const change of changes) {
    const field = at(change.index, 'effectiveOn');
    const current: Plan = periods[periods.length - 1].plan;
    if (change.effectiveOn <= billingStart) {
      throw scenarioError(
        field,
        `a plan change takes effect after the billing start (${billingStart}); before it, give the plan itself`,
      );
    }
    if (serviceEnd && change.effectiveOn > serviceEnd) {
      throw scenarioError(field, `a plan change cannot take effect after the service end (${serviceEnd})`);
    }
    if (periods.some((p) => p.from === change.effectiveOn)) {
      throw scenarioError(field, `another plan change already takes effect on ${change.effectiveOn}`);
    }
    if (change.plan.code === current.code) {
      throw scenarioError(
        at(change.index, 'plan.code'),
        `plan ${current.code} is already in force on ${change.effectiveOn}`,
      );
    }
    checkCapacity(change);
    periods.push({ from: change.effectiveOn, plan: change.plan });
  }
  return periods;
}

function equipmentReturnOf(scenario: Scenario, serviceStart: CivilDate, serviceEnd: CivilDate | null) {
  const returns = eventsOf(scenario, 'equipmentReturned');
  if (!returns.length) return null;
  const first = returns[0];
  if (!rentsEquipment(scenario.product)) {
    throw scenarioError(`events[${first.index}]`, `${scenario.product} has no rental equipment to return (Art. 5.2)`);
  }
  if (returns.length > 1) throw scenarioError(`events[${returns[1].index}]`, 'the equipment is returned only once');
  if (!serviceEnd) {
    throw scenarioError(`events[${first.index}]`, 'equipment is returned after the service ends, and nothing ends it');
  }
  if (first.on < serviceStart) {
    throw scenarioError(
      at(first.index, 'on'),
      `the equipment cannot come back before the service starts (${serviceStart})`,
    );
  }
  return first.on;
}

/** Every paymentReceived names a different invoice (whether it exists is known once invoices are made). */
function checkPayments(scenario: Scenario): void {
  const seen = new Map<string, number>();
  for (const payment of eventsOf(scenario, 'paymentReceived')) {
    const earlier = seen.get(payment.invoice);
    if (earlier !== undefined) {
      throw scenarioError(
        at(payment.index, 'invoice'),
        `invoice ${payment.invoice} is already paid by events[${earlier}]`,
      );
    }
    seen.set(payment.invoice, payment.index);
  }
}

/** How far a scenario may reach: enough for any quote, and a bound on the work and the answer's size. */
export const MAX_SCENARIO_YEARS = 20;

/** Every date of the scenario within MAX_SCENARIO_YEARS of the opening test. */
function checkSpan(scenario: Scenario): void {
  const limit = addMonthsClamped(scenario.openingTestCompletedOn, 12 * MAX_SCENARIO_YEARS);
  const dates: Array<[string, CivilDate | undefined]> = [['until', scenario.until]];
  scenario.events.forEach((event, i) => {
    for (const [key, value] of Object.entries(event)) {
      if (key !== 'type' && key !== 'invoice' && typeof value === 'string') dates.push([at(i, key), value]);
    }
  });
  for (const [field, date] of dates) {
    if (date && date > limit) {
      throw scenarioError(
        field,
        `a scenario covers at most ${MAX_SCENARIO_YEARS} years after the opening test (to ${limit})`,
      );
    }
  }
}

/**
 * Decides every date of the contract a scenario describes, refusing (ScenarioError, naming the
 * field) whatever breaks a rule.
 */
export function contractFromScenario(scenario: Scenario): Contract {
  checkSpan(scenario);
  const serviceStart = scenario.openingTestCompletedOn;
  const billingStart = billingStartFor(serviceStart);
  const { ending, serviceEnd } = endingOf(scenario, serviceStart, billingStart);
  if (!serviceEnd && !scenario.until) {
    throw scenarioError('until', 'is required when no cancellationRequested or vendorTermination ends the service');
  }
  checkPayments(scenario);
  return {
    product: scenario.product,
    cycle: scenario.billingCycle,
    serviceStart,
    billingStart,
    minimumTermEnd: minimumTermEndFor(billingStart),
    plans: planPeriodsOf(scenario, billingStart, serviceEnd),
    ending,
    serviceEnd,
    equipmentReturnDeadline:
      serviceEnd && rentsEquipment(scenario.product) ? equipmentReturnDeadlineFor(serviceEnd) : null,
    equipmentReturnedOn: equipmentReturnOf(scenario, serviceStart, serviceEnd),
  };
}
