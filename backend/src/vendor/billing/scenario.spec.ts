import { PLAN_M, scenario } from '../../../test/support/billing-scenarios';
import { ScenarioError, ScenarioProblem } from './scenario';
import { simulateBilling } from './simulate';

function problemsOf(input: unknown): ScenarioProblem[] {
  try {
    simulateBilling(input);
  } catch (error) {
    if (error instanceof ScenarioError) return error.problems;
    throw error;
  }
  throw new Error('the scenario was accepted');
}
const fieldsOf = (input: unknown) => problemsOf(input).map((p) => p.field);

describe('scenario shape', () => {
  it('names every malformed field at once', () => {
    expect(
      problemsOf({
        product: 'FlexPhone',
        plan: { code: '', monthlyFee: 100.5, initialFee: -1 },
        billingCycle: 'weekly',
        openingTestCompletedOn: '2026-02-30',
        until: '31/12/2026',
        extra: true,
      }),
    ).toEqual([
      { field: 'extra', message: 'unknown field' },
      { field: 'product', message: 'must be one of FlexLog, FlexDPlayer, Ootairyoku, FlexVNote' },
      { field: 'plan.code', message: 'must be a non-empty string of at most 100 characters' },
      { field: 'plan.monthlyFee', message: 'must be a whole number of yen from 0 to 10,000,000,000' },
      { field: 'plan.initialFee', message: 'must be a whole number of yen from 0 to 10,000,000,000' },
      { field: 'billingCycle', message: 'must be one of monthly, annual' },
      { field: 'openingTestCompletedOn', message: 'must be a calendar date written YYYY-MM-DD' },
      { field: 'until', message: 'must be a calendar date written YYYY-MM-DD' },
    ]);
  });

  it('names missing fields, and refuses what is not an object', () => {
    expect(fieldsOf({})).toEqual(['product', 'plan', 'billingCycle', 'openingTestCompletedOn']);
    expect(problemsOf([])).toEqual([{ field: '(body)', message: 'must be a JSON object' }]);
    expect(problemsOf(null)).toEqual([{ field: '(body)', message: 'must be a JSON object' }]);
    expect(fieldsOf(scenario({ plan: 'S' }))).toEqual(['plan']);
    expect(fieldsOf(scenario({ events: {} }))).toEqual(['events']);
  });

  it('checks each event by its type', () => {
    expect(
      problemsOf(
        scenario({
          events: [
            { type: 'refund', on: '2026-05-01' },
            { on: '2026-05-01' },
            { type: 'planChange', effectiveOn: '2026-05-01', plan: { code: 'M', monthlyFee: '20000', initialFee: 0 } },
            { type: 'paymentReceived', invoice: '2026-3', on: '2026-05-01' },
            { type: 'cancellationRequested', on: '2026-07-05', reason: 'moving' },
            { type: 'vendorTermination', noticeOn: '2026-07-05' },
            'planChange',
          ],
        }),
      ),
    ).toEqual([
      {
        field: 'events[0].type',
        message:
          'must be one of planChange, cancellationRequested, paymentReceived, equipmentReturned, vendorTermination',
      },
      { field: 'events[1].type', message: 'is required' },
      { field: 'events[2].plan.monthlyFee', message: 'must be a whole number of yen from 0 to 10,000,000,000' },
      { field: 'events[3].invoice', message: 'must be an invoice id written YYYY-MM' },
      { field: 'events[4].reason', message: 'unknown field' },
      { field: 'events[5].endOn', message: 'is required' },
      { field: 'events[6]', message: 'must be a JSON object' },
    ]);
  });
});

describe('scenario rules', () => {
  const refused = (events: unknown[], overrides: Record<string, unknown> = {}) =>
    problemsOf(scenario({ events, ...overrides }));

  it('needs `until` when nothing ends the service', () => {
    expect(refused([], { until: undefined })).toEqual([
      { field: 'until', message: 'is required when no cancellationRequested or vendorTermination ends the service' },
    ]);
  });

  it('covers at most 20 years, so an answer stays small', () => {
    // opening test 2026-03-14 + 20 years = 2046-03-14
    expect(simulateBilling(scenario({ until: '2046-03-14' })).invoices).toHaveLength(241);
    expect(refused([], { until: '2046-03-15' })).toEqual([
      { field: 'until', message: 'a scenario covers at most 20 years after the opening test (to 2046-03-14)' },
    ]);
    expect(fieldsOf(scenario({ events: [{ type: 'paymentReceived', invoice: '2026-03', on: '9999-12-31' }] }))).toEqual(
      ['events[0].on'],
    );
  });

  it('ends the service only once', () => {
    expect(
      refused([
        { type: 'cancellationRequested', on: '2026-05-01' },
        { type: 'vendorTermination', noticeOn: '2026-05-01', endOn: '2026-07-31' },
      ]),
    ).toEqual([
      { field: 'events[1]', message: 'the service ends only once: events[0] (cancellationRequested) already ends it' },
    ]);
  });

  it('keeps plan changes between the billing start and the service end', () => {
    expect(refused([{ type: 'planChange', effectiveOn: '2026-03-15', plan: PLAN_M }])[0]).toEqual({
      field: 'events[0].effectiveOn',
      message: 'a plan change takes effect after the billing start (2026-03-15); before it, give the plan itself',
    });
    expect(
      refused([
        { type: 'cancellationRequested', on: '2026-07-05' },
        { type: 'planChange', effectiveOn: '2026-09-01', plan: PLAN_M },
      ])[0],
    ).toEqual({
      field: 'events[1].effectiveOn',
      message: 'a plan change cannot take effect after the service end (2026-08-31)',
    });
    expect(
      refused([
        { type: 'planChange', effectiveOn: '2026-05-01', plan: PLAN_M },
        { type: 'planChange', effectiveOn: '2026-05-01', plan: { ...PLAN_M, code: 'L' } },
      ])[0].message,
    ).toBe('another plan change already takes effect on 2026-05-01');
    expect(refused([{ type: 'planChange', effectiveOn: '2026-05-01', plan: { ...PLAN_M, code: 'S' } }])[0]).toEqual({
      field: 'events[0].plan.code',
      message: 'plan S is already in force on 2026-05-01',
    });
  });

  it('refuses events before the service starts, and a return while the service runs on', () => {
    expect(fieldsOf(scenario({ events: [{ type: 'cancellationRequested', on: '2026-03-13' }] }))).toEqual([
      'events[0].on',
    ]);
    expect(fieldsOf(scenario({ events: [{ type: 'equipmentReturned', on: '2026-09-01' }] }))).toEqual(['events[0]']);
  });

  it('names a payment for an invoice the scenario does not issue, or one paid twice', () => {
    expect(
      refused([{ type: 'paymentReceived', invoice: '2027-05', on: '2027-06-01' }], { until: '2026-04-30' }),
    ).toEqual([
      {
        field: 'events[0].invoice',
        message: 'there is no invoice 2027-05 in this scenario (invoices: 2026-03, 2026-04)',
      },
    ]);
    expect(
      refused([
        { type: 'paymentReceived', invoice: '2026-03', on: '2026-05-01' },
        { type: 'paymentReceived', invoice: '2026-03', on: '2026-05-02' },
      ]),
    ).toEqual([{ field: 'events[1].invoice', message: 'invoice 2026-03 is already paid by events[0]' }]);
  });
});
