import { bill, invoiceOf, linesOf, PLAN_M, scenario, simulate } from '../../../test/support/billing-scenarios';
import { ScenarioError } from './scenario';

const terminate = (noticeOn: string, endOn: string) => ({ type: 'vendorTermination', noticeOn, endOn });
const annual = (events: unknown[], overrides: Record<string, unknown> = {}) =>
  scenario({ billingCycle: 'annual', events, until: '2027-12-31', ...overrides });
const problemsOf = (input: Record<string, unknown>) => {
  try {
    simulate(input);
  } catch (error) {
    return (error as ScenarioError).problems;
  }
  throw new Error('the scenario was accepted');
};

describe('vendor termination (Art. 21.2-3)', () => {
  it('refunds an annual fee beyond the monthly-rate charges of the months used', () => {
    // year 2026-04-01..2027-03-31 paid 110000; the vendor ends the service on 2026-09-20.
    // monthly rate: April..August 5 × 10000 = 50000, 09-01..20 = 10000 × 20 / 30 = 6666.7 -> 6666: 56666.
    // refund 110000 − 56666 = 53334, issued after the end (September): tax −5333.4 -> −5333, total −58667
    const result = simulate(annual([terminate('2026-07-15', '2026-09-20')]));
    expect(result.serviceEndDate).toBe('2026-09-20');
    expect(result.equipmentReturnDeadline).toBe('2026-10-04');
    expect(result.invoices.map((i) => i.id)).toEqual(['2026-03', '2026-09']);
    expect(invoiceOf(result, '2026-09')).toEqual({
      id: '2026-09',
      dueDate: '2026-10-31',
      lines: [{ kind: 'refund', amount: -53334 }],
      subtotal: -53334,
      tax: -5333,
      total: -58667,
    });
  });

  it('issues the refund in the next month when the service ends on a month end', () => {
    // end 2026-09-30 (notice 08-30 allows 09-30): 6 months × 10000 = 60000 used, refund 50000 in October
    const result = simulate(annual([terminate('2026-08-30', '2026-09-30')]));
    expect(bill(result, '2026-10')).toEqual({
      id: '2026-10',
      lines: [{ kind: 'refund', amount: -50000 }],
      subtotal: -50000,
      tax: -5000,
      total: -55000,
    });
  });

  it('counts upgrade charges as paid and recalculates each plan at its monthly rate', () => {
    // M from 05-11: upgrade 10 × 10000 = 100000; paid 110000 + 100000 = 210000.
    // used: April 10000; May S 10000 × 10 / 31 = 3225, M 20000 × 21 / 31 = 13548; June..August 3 × 20000;
    // 09-01..20 at M: 20000 × 20 / 30 = 13333. 10000 + 3225 + 13548 + 60000 + 13333 = 100106.
    // refund 210000 − 100106 = 109894
    const result = simulate(
      annual([{ type: 'planChange', effectiveOn: '2026-05-11', plan: PLAN_M }, terminate('2026-07-15', '2026-09-20')]),
    );
    expect(linesOf(result, '2026-09')).toEqual([{ kind: 'refund', amount: -109894 }]);
  });

  it('prorates the last part month of a year that ends in a leap February', () => {
    // opening 2027-02-09: year 2027-03-01..2028-02-29. End 2027-12-15: March..November 9 × 10000 = 90000,
    // 12-01..15 = 10000 × 15 / 31 = 4838.7 -> 4838; refund 110000 − 94838 = 15162
    const result = simulate(
      annual([terminate('2027-11-15', '2027-12-15')], { openingTestCompletedOn: '2027-02-09', until: '2028-12-31' }),
    );
    expect(linesOf(result, '2027-12')).toEqual([{ kind: 'refund', amount: -15162 }]);
  });

  it('refunds nothing when the monthly rate comes to more than was paid', () => {
    // end 2027-03-15 in the first year: April..February 11 × 10000 = 110000, 03-01..15 = 10000 × 15 / 31
    // = 4838: 114838 is more than the 110000 paid, so no refund (and nothing charged either)
    const result = simulate(annual([terminate('2027-02-15', '2027-03-15')]));
    expect(result.invoices.map((i) => i.id)).toEqual(['2026-03']);
  });

  it('bills a monthly contract to the end date, with no minimum-term adjustment', () => {
    // end 2026-05-20, before the term ends (06-14), but the vendor ended it:
    // May 05-01..20 = 10000 × 20 / 31 = 6451.6 -> 6451, nothing else
    const result = simulate(scenario({ events: [terminate('2026-04-10', '2026-05-20')] }));
    expect(result.invoices.map((i) => i.id)).toEqual(['2026-03', '2026-04', '2026-05']);
    expect(linesOf(result, '2026-05')).toEqual([{ kind: 'usage', from: '2026-05-01', to: '2026-05-20', amount: 6451 }]);
  });

  it('refuses a notice shorter than one month, naming the earliest possible end', () => {
    expect(problemsOf(scenario({ events: [terminate('2026-07-16', '2026-08-15')] }))).toEqual([
      {
        field: 'events[0].endOn',
        message:
          "notice shorter than one month: Art. 21.2 needs at least one month's notice, so a notice on " +
          '2026-07-16 allows the service to end on 2026-08-16 at the earliest',
      },
    ]);
    // notice on 2028-01-31: the month ends on 2028-02-29, so 02-28 is too early and 02-29 is fine
    expect(problemsOf(scenario({ events: [terminate('2028-01-31', '2028-02-28')] }))[0].field).toBe('events[0].endOn');
    expect(simulate(scenario({ events: [terminate('2028-01-31', '2028-02-29')] })).serviceEndDate).toBe('2028-02-29');
  });
});

describe('late equipment returns (Art. 12.8-9)', () => {
  const cancelled = (returnedOn: string) =>
    scenario({
      events: [
        { type: 'cancellationRequested', on: '2026-07-05' },
        { type: 'equipmentReturned', on: returnedOn },
      ],
    });

  it('charges nothing for equipment that arrives by the deadline', () => {
    // end 08-31, deadline 09-14
    expect(
      simulate(cancelled('2026-09-14'))
        .invoices.map((i) => i.id)
        .pop(),
    ).toBe('2026-08');
  });

  it('charges every day from the day after the service end once the deadline is missed', () => {
    // arrived 09-15: 09-01..15 = 15 days, 10000 × 15 / 30 = 5000; tax 500
    expect(bill(simulate(cancelled('2026-09-15')), '2026-09')).toEqual({
      id: '2026-09',
      lines: [{ kind: 'equipmentLateReturn', from: '2026-09-01', to: '2026-09-15', amount: 5000 }],
      subtotal: 5000,
      tax: 500,
      total: 5500,
    });
  });

  it('rounds down per calendar month, February 2028 having 29 days', () => {
    // request 2027-12-10 -> end 2028-01-31, deadline 02-14; arrived 2028-03-05.
    // February: 29 of 29 days = 10000; March: 10000 × 5 / 31 = 1612.9 -> 1612. 11612, tax 1161, total 12773
    const result = simulate(
      scenario({
        openingTestCompletedOn: '2027-10-14',
        events: [
          { type: 'cancellationRequested', on: '2027-12-10' },
          { type: 'equipmentReturned', on: '2028-03-05' },
        ],
        until: '2028-12-31',
      }),
    );
    expect(result.equipmentReturnDeadline).toBe('2028-02-14');
    expect(invoiceOf(result, '2028-03')).toEqual({
      id: '2028-03',
      dueDate: '2028-04-30',
      lines: [
        { kind: 'equipmentLateReturn', from: '2028-02-01', to: '2028-02-29', amount: 10000 },
        { kind: 'equipmentLateReturn', from: '2028-03-01', to: '2028-03-05', amount: 1612 },
      ],
      subtotal: 11612,
      tax: 1161,
      total: 12773,
    });
  });

  it('has no deadline for FlexDPlayer, which rents no equipment (Art. 5.2)', () => {
    const player = { product: 'FlexDPlayer', events: [{ type: 'cancellationRequested', on: '2026-07-05' }] };
    expect(simulate(scenario(player)).equipmentReturnDeadline).toBeNull();
    const withReturn = scenario({
      ...player,
      events: [...player.events, { type: 'equipmentReturned', on: '2026-09-20' }],
    });
    expect(problemsOf(withReturn)).toEqual([
      { field: 'events[1]', message: 'FlexDPlayer has no rental equipment to return (Art. 5.2)' },
    ]);
  });
});
