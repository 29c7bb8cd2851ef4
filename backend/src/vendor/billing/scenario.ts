import { CivilDate, isCivilDate, isYearMonth, YearMonth } from './civil-date';
import { BILLING_CYCLES, BILLING_PRODUCTS, BillingCycle, BillingProduct, Plan } from './contract';

/** The simulator's input, as billing-rules.md ("The simulator contract") defines it. */
export interface Scenario {
  product: BillingProduct;
  plan: Plan;
  billingCycle: BillingCycle;
  openingTestCompletedOn: CivilDate;
  events: ScenarioEvent[];
  until?: CivilDate;
}

export type ScenarioEvent =
  | { type: 'planChange'; effectiveOn: CivilDate; plan: Plan; usedBytes?: number }
  | { type: 'cancellationRequested'; on: CivilDate }
  | { type: 'paymentReceived'; invoice: YearMonth; on: CivilDate }
  | { type: 'equipmentReturned'; on: CivilDate }
  | { type: 'vendorTermination'; noticeOn: CivilDate; endOn: CivilDate };

export const EVENT_TYPES = [
  'planChange',
  'cancellationRequested',
  'paymentReceived',
  'equipmentReturned',
  'vendorTermination',
] as const;

export interface ScenarioProblem {
  /** Where, as a path into the scenario: `events[1].effectiveOn`, `plan.monthlyFee`, `(body)`. */
  field: string;
  message: string;
}

/** A scenario the simulator refuses: malformed, or breaking a rule. Every problem names its field. */
export class ScenarioError extends Error {
  constructor(readonly problems: ScenarioProblem[]) {
    super(problems.map((p) => `${p.field}: ${p.message}`).join('; '));
    this.name = 'ScenarioError';
  }
}

export const scenarioError = (field: string, message: string) => new ScenarioError([{ field, message }]);

/** Fees up to ten billion yen: far above any plan, and every sum stays an exact integer. */
export const MAX_YEN = 10_000_000_000;

type Json = Record<string, unknown>;

/**
 * Reads one object, collecting problems instead of stopping at the first, and refusing fields the
 * contract does not know (a misspelt optional field would otherwise be silently ignored).
 */
class FieldReader {
  constructor(
    private readonly problems: ScenarioProblem[],
    private readonly value: Json,
    private readonly path: string,
  ) {}

  static of(problems: ScenarioProblem[], value: unknown, path: string, allowed: string[]): FieldReader | null {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push({ field: path || '(body)', message: 'must be a JSON object' });
      return null;
    }
    const prefix = path ? `${path}.` : '';
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) problems.push({ field: `${prefix}${key}`, message: 'unknown field' });
    }
    return new FieldReader(problems, value as Json, path);
  }

  field(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  raw(key: string): unknown {
    return this.value[key];
  }

  private fail<T>(key: string, message: string): T | undefined {
    this.problems.push({ field: this.field(key), message });
    return undefined;
  }

  date(key: string, optional = false): CivilDate | undefined {
    const v = this.value[key];
    if (v === undefined && optional) return undefined;
    if (isCivilDate(v)) return v;
    return this.fail(key, v === undefined ? 'is required' : 'must be a calendar date written YYYY-MM-DD');
  }

  month(key: string): YearMonth | undefined {
    const v = this.value[key];
    if (isYearMonth(v)) return v;
    return this.fail(key, v === undefined ? 'is required' : 'must be an invoice id written YYYY-MM');
  }

  text(key: string): string | undefined {
    const v = this.value[key];
    if (typeof v === 'string' && v.trim() !== '' && v.length <= 100) return v;
    return this.fail(key, v === undefined ? 'is required' : 'must be a non-empty string of at most 100 characters');
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T | undefined {
    const v = this.value[key];
    if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
    return this.fail(key, v === undefined ? 'is required' : `must be one of ${allowed.join(', ')}`);
  }

  integer(key: string, min: number, max: number, unit: string, optional = false): number | undefined {
    const v = this.value[key];
    if (v === undefined && optional) return undefined;
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max) return v;
    return this.fail(
      key,
      v === undefined ? 'is required' : `must be a whole number of ${unit} from ${min} to ${max.toLocaleString('en')}`,
    );
  }
}

function readPlan(problems: ScenarioProblem[], value: unknown, path: string): Plan | undefined {
  const r = FieldReader.of(problems, value, path, ['code', 'monthlyFee', 'initialFee', 'capacityBytes']);
  if (!r) return undefined;
  const code = r.text('code');
  const monthlyFee = r.integer('monthlyFee', 0, MAX_YEN, 'yen');
  const initialFee = r.integer('initialFee', 0, MAX_YEN, 'yen');
  const capacityBytes = r.integer('capacityBytes', 1, Number.MAX_SAFE_INTEGER, 'bytes', true);
  if (code === undefined || monthlyFee === undefined || initialFee === undefined) return undefined;
  return { code, monthlyFee, initialFee, ...(capacityBytes !== undefined ? { capacityBytes } : {}) };
}

const EVENT_FIELDS: Record<ScenarioEvent['type'], string[]> = {
  planChange: ['effectiveOn', 'plan', 'usedBytes'],
  cancellationRequested: ['on'],
  paymentReceived: ['invoice', 'on'],
  equipmentReturned: ['on'],
  vendorTermination: ['noticeOn', 'endOn'],
};

function readEvent(problems: ScenarioProblem[], value: unknown, path: string): ScenarioEvent | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push({ field: path, message: 'must be a JSON object' });
    return undefined;
  }
  const type = (value as Json)['type'];
  if (!(EVENT_TYPES as readonly unknown[]).includes(type)) {
    // Which other fields are allowed depends on the type: name only the type.
    const message = type === undefined ? 'is required' : `must be one of ${EVENT_TYPES.join(', ')}`;
    problems.push({ field: `${path}.type`, message });
    return undefined;
  }
  const knownType = type as ScenarioEvent['type'];
  const r = FieldReader.of(problems, value, path, ['type', ...EVENT_FIELDS[knownType]]);
  if (!r) return undefined;
  const before = problems.length;
  let event: ScenarioEvent | undefined;
  switch (knownType) {
    case 'planChange': {
      const effectiveOn = r.date('effectiveOn');
      const plan = readPlan(problems, r.raw('plan'), r.field('plan'));
      const usedBytes = r.integer('usedBytes', 0, Number.MAX_SAFE_INTEGER, 'bytes', true);
      if (effectiveOn && plan) {
        event = { type: knownType, effectiveOn, plan, ...(usedBytes !== undefined ? { usedBytes } : {}) };
      }
      break;
    }
    case 'cancellationRequested':
    case 'equipmentReturned': {
      const on = r.date('on');
      if (on) event = { type: knownType, on };
      break;
    }
    case 'paymentReceived': {
      const invoice = r.month('invoice');
      const on = r.date('on');
      if (invoice && on) event = { type: knownType, invoice, on };
      break;
    }
    case 'vendorTermination': {
      const noticeOn = r.date('noticeOn');
      const endOn = r.date('endOn');
      if (noticeOn && endOn) event = { type: knownType, noticeOn, endOn };
      break;
    }
  }
  return problems.length === before ? event : undefined;
}

/**
 * Checks the shape of a scenario (types, dates, known fields) and returns it typed. Rules that depend
 * on the dates together (a plan change after the end, a short notice) are checked when the contract
 * is built. Throws ScenarioError listing every problem found.
 */
export function parseScenario(input: unknown): Scenario {
  const problems: ScenarioProblem[] = [];
  const r = FieldReader.of(problems, input, '', [
    'product',
    'plan',
    'billingCycle',
    'openingTestCompletedOn',
    'events',
    'until',
  ]);
  if (!r) throw new ScenarioError(problems);
  const product = r.oneOf('product', BILLING_PRODUCTS);
  const plan = readPlan(problems, r.raw('plan'), 'plan');
  const billingCycle = r.oneOf('billingCycle', BILLING_CYCLES);
  const openingTestCompletedOn = r.date('openingTestCompletedOn');
  const until = r.date('until', true);
  const rawEvents = r.raw('events') ?? [];
  const events: ScenarioEvent[] = [];
  if (!Array.isArray(rawEvents)) problems.push({ field: 'events', message: 'must be an array of events' });
  else
    rawEvents.forEach((value, i) => {
      const event = readEvent(problems, value, `events[${i}]`);
      if (event) events.push(event);
    });
  if (problems.length || !product || !plan || !billingCycle || !openingTestCompletedOn) {
    throw new ScenarioError(problems);
  }
  return { product, plan, billingCycle, openingTestCompletedOn, events, ...(until ? { until } : {}) };
}
