import { bill, linesOf, PLAN_L, PLAN_M, PLAN_S, scenario, simulate } from '../../../test/support/billing-scenarios';
import { ScenarioError } from './scenario';

const change = (effectiveOn: string, plan: object, extra: object = {}) => ({
  type: 'planChange',
  effectiveOn,
  plan,
  ...extra,
});

describe('plan changes on a monthly contract (Art. 13.5-6)', () => {
  it('bills a change on the 1st as a whole month of the new plan', () => {
    const result = simulate(scenario({ events: [change('2026-06-01', PLAN_M)], until: '2026-06-30' }));
    expect(linesOf(result, '2026-05')).toEqual([
      { kind: 'usage', from: '2026-05-01', to: '2026-05-31', amount: 10000 },
    ]);
    // the new plan's initial fee 10000 + June at 20000: 30000, tax 3000, total 33000
    expect(bill(result, '2026-06')).toEqual({
      id: '2026-06',
      lines: [
        { kind: 'initialFee', amount: 10000 },
        { kind: 'usage', from: '2026-06-01', to: '2026-06-30', amount: 20000 },
      ],
      subtotal: 30000,
      tax: 3000,
      total: 33000,
    });
  });

  it('splits a change on the 31st into 30 days and 1 day, each rounded down', () => {
    // S 05-01..30: 10000 × 30 / 31 = 9677.4 -> 9677; M 05-31: 20000 × 1 / 31 = 645.2 -> 645;
    // + initial fee 10000 = 20322, tax 2032.2 -> 2032, total 22354
    const result = simulate(scenario({ events: [change('2026-05-31', PLAN_M)], until: '2026-05-31' }));
    expect(bill(result, '2026-05')).toEqual({
      id: '2026-05',
      lines: [
        { kind: 'initialFee', amount: 10000 },
        { kind: 'usage', from: '2026-05-01', to: '2026-05-30', amount: 9677 },
        { kind: 'usage', from: '2026-05-31', to: '2026-05-31', amount: 645 },
      ],
      subtotal: 20322,
      tax: 2032,
      total: 22354,
    });
  });

  it('splits the prorated first month too', () => {
    // billing from 03-15, M from 03-20: S 03-15..19 = 10000 × 5 / 31 = 1612.9 -> 1612,
    // M 03-20..31 = 20000 × 12 / 31 = 7741.9 -> 7741; both initial fees 30000 + 10000.
    // 49353, tax 4935.3 -> 4935, total 54288
    const result = simulate(scenario({ events: [change('2026-03-20', PLAN_M)], until: '2026-03-31' }));
    expect(bill(result, '2026-03')).toEqual({
      id: '2026-03',
      lines: [
        { kind: 'initialFee', amount: 30000 },
        { kind: 'initialFee', amount: 10000 },
        { kind: 'usage', from: '2026-03-15', to: '2026-03-19', amount: 1612 },
        { kind: 'usage', from: '2026-03-20', to: '2026-03-31', amount: 7741 },
      ],
      subtotal: 49353,
      tax: 4935,
      total: 54288,
    });
  });

  it('prorates a downgrade over a leap February', () => {
    // on M since billing 2027-12-11; S from 2028-02-15: M 02-01..14 = 20000 × 14 / 29 = 9655.2 -> 9655,
    // S 02-15..29 = 10000 × 15 / 29 = 5172.4 -> 5172; S's initial fee 30000. 44827, tax 4482, total 49309
    const result = simulate(
      scenario({
        plan: PLAN_M,
        openingTestCompletedOn: '2027-12-10',
        events: [change('2028-02-15', PLAN_S)],
        until: '2028-02-29',
      }),
    );
    expect(bill(result, '2028-02')).toEqual({
      id: '2028-02',
      lines: [
        { kind: 'initialFee', amount: 30000 },
        { kind: 'usage', from: '2028-02-01', to: '2028-02-14', amount: 9655 },
        { kind: 'usage', from: '2028-02-15', to: '2028-02-29', amount: 5172 },
      ],
      subtotal: 44827,
      tax: 4482,
      total: 49309,
    });
  });

  it('bills two changes in one month as three lines, in any event order', () => {
    // S 05-01..10: 10000 × 10 / 31 = 3225.8 -> 3225; M 05-11..20: 20000 × 10 / 31 = 6451.6 -> 6451;
    // L 05-21..31: 30000 × 11 / 31 = 10645.2 -> 10645; initial fees of M and L, 10000 each
    const result = simulate(
      scenario({ events: [change('2026-05-21', PLAN_L), change('2026-05-11', PLAN_M)], until: '2026-05-31' }),
    );
    expect(linesOf(result, '2026-05')).toEqual([
      { kind: 'initialFee', amount: 10000 },
      { kind: 'initialFee', amount: 10000 },
      { kind: 'usage', from: '2026-05-01', to: '2026-05-10', amount: 3225 },
      { kind: 'usage', from: '2026-05-11', to: '2026-05-20', amount: 6451 },
      { kind: 'usage', from: '2026-05-21', to: '2026-05-31', amount: 10645 },
    ]);
  });

  it('adds no line for a plan without an initial fee', () => {
    const free = { code: 'M0', monthlyFee: 20000, initialFee: 0 };
    const result = simulate(scenario({ events: [change('2026-06-01', free)], until: '2026-06-30' }));
    expect(linesOf(result, '2026-06').map((l) => l.kind)).toEqual(['usage']);
  });
});

describe('the capacity check of a downgrade (Art. 13.8)', () => {
  const refusal = (events: unknown[]) => {
    try {
      simulate(scenario({ plan: { ...PLAN_M, capacityBytes: 50_000_000_000 }, events }));
    } catch (error) {
      return (error as ScenarioError).problems;
    }
    return null;
  };

  it('refuses while the recordings exceed the new capacity, saying how many bytes must go', () => {
    // 12,000,000,000 stored − 10,000,000,000 capacity = 2,000,000,000 bytes to delete
    expect(
      refusal([change('2026-06-01', { ...PLAN_S, capacityBytes: 10_000_000_000 }, { usedBytes: 12_000_000_000 })]),
    ).toEqual([
      {
        field: 'events[0].usedBytes',
        message:
          'plan S holds 10,000,000,000 bytes but 12,000,000,000 bytes are stored: delete at least ' +
          '2,000,000,000 bytes of recordings with the deletion tool before changing plan (Art. 13.8)',
      },
    ]);
  });

  it('lets the change through once the recordings fit', () => {
    expect(
      refusal([change('2026-06-01', { ...PLAN_S, capacityBytes: 10_000_000_000 }, { usedBytes: 10_000_000_000 })]),
    ).toBeNull();
  });
});
