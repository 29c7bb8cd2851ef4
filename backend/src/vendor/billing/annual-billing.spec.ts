import { bill, invoiceOf, linesOf, PLAN_M, PLAN_S, scenario, simulate } from '../../../test/support/billing-scenarios';
import { annualPeriod } from './annual-charges';
import { contractFromScenario } from './contract-from-scenario';
import { parseScenario } from './scenario';

const annual = (overrides: Record<string, unknown> = {}) =>
  scenario({ billingCycle: 'annual', until: '2027-12-31', ...overrides });
const change = (effectiveOn: string, plan: object) => ({ type: 'planChange', effectiveOn, plan });

describe('annual billing (Art. 10.2, 10.5, 10.8)', () => {
  it('puts the prorated first month, the initial fee and the first year on the first invoice', () => {
    // billing from 03-15: 10000 × 17 / 31 = 5483; annual fee 10000 × 11 = 110000 for 2026-04-01..2027-03-31.
    // 30000 + 5483 + 110000 = 145483, tax 14548.3 -> 14548, total 160031, due at the end of April
    const result = simulate(annual());
    expect(invoiceOf(result, '2026-03')).toEqual({
      id: '2026-03',
      dueDate: '2026-04-30',
      lines: [
        { kind: 'initialFee', amount: 30000 },
        { kind: 'usage', from: '2026-03-15', to: '2026-03-31', amount: 5483 },
        { kind: 'annualFee', from: '2026-04-01', to: '2027-03-31', amount: 110000 },
      ],
      subtotal: 145483,
      tax: 14548,
      total: 160031,
    });
    // nothing in between; the renewal for 2027-04-01..2028-03-31 is due on the last day of its first
    // month (2027-04-30), so it is the invoice of 2027-03
    expect(result.invoices.map((i) => i.id)).toEqual(['2026-03', '2027-03']);
    expect(invoiceOf(result, '2027-03')).toEqual({
      id: '2027-03',
      dueDate: '2027-04-30',
      lines: [{ kind: 'annualFee', from: '2027-04-01', to: '2028-03-31', amount: 110000 }],
      subtotal: 110000,
      tax: 11000,
      total: 121000,
    });
  });

  it('starts the year on the 1st of the next month even when billing starts on a 1st', () => {
    // billing 2026-04-01: April is a whole "first month" (10000), the year runs 2026-05-01..2027-04-30.
    // 30000 + 10000 + 110000 = 150000, tax 15000, total 165000, due 05-31
    const result = simulate(annual({ openingTestCompletedOn: '2026-03-31' }));
    expect(invoiceOf(result, '2026-04')).toEqual({
      id: '2026-04',
      dueDate: '2026-05-31',
      lines: [
        { kind: 'initialFee', amount: 30000 },
        { kind: 'usage', from: '2026-04-01', to: '2026-04-30', amount: 10000 },
        { kind: 'annualFee', from: '2026-05-01', to: '2027-04-30', amount: 110000 },
      ],
      subtotal: 150000,
      tax: 15000,
      total: 165000,
    });
  });

  it('dates the renewal reminder a month before each period', () => {
    const contract = contractFromScenario(parseScenario(annual()));
    expect(annualPeriod(contract, 1)).toEqual({
      index: 1,
      start: '2027-04-01',
      end: '2028-03-31',
      invoiceMonth: '2027-03',
      confirmBy: '2027-03-01',
    });
  });

  it('charges an upgrade by whole months left × the difference (Art. 13.7)', () => {
    // M from 2026-05-11 in the year 2026-04-01..2027-03-31: whole months from 05-11 — the 10th ends
    // 2027-03-10, an 11th would end 2027-04-10 — so 10 × (20000 − 10000) = 100000, plus M's initial fee
    // 10000: 110000, tax 11000, total 121000. The renewal then uses M: 11 × 20000 = 220000.
    const result = simulate(annual({ events: [change('2026-05-11', PLAN_M)] }));
    expect(bill(result, '2026-05')).toEqual({
      id: '2026-05',
      lines: [
        { kind: 'initialFee', amount: 10000 },
        { kind: 'planChangeUpgrade', amount: 100000 },
      ],
      subtotal: 110000,
      tax: 11000,
      total: 121000,
    });
    expect(linesOf(result, '2027-03')).toEqual([
      { kind: 'annualFee', from: '2027-04-01', to: '2028-03-31', amount: 220000 },
    ]);
  });

  it('counts whole months from the 31st to a period ending on 29 February', () => {
    // opening 2027-02-09 -> billing 2027-02-10; year 2027-03-01..2028-02-29.
    // M from 2027-03-31: month 11 ends "2028-02-31" -> 2028-02-29 (inside), a 12th would end 2028-03-30:
    // 11 × 10000 = 110000 + initial fee 10000 = 120000, tax 12000, total 132000.
    const result = simulate(
      annual({ openingTestCompletedOn: '2027-02-09', events: [change('2027-03-31', PLAN_M)], until: '2028-02-29' }),
    );
    expect(invoiceOf(result, '2027-02').lines[2]).toEqual({
      kind: 'annualFee',
      from: '2027-03-01',
      to: '2028-02-29',
      amount: 110000,
    });
    expect(bill(result, '2027-03')).toEqual({
      id: '2027-03',
      lines: [
        { kind: 'initialFee', amount: 10000 },
        { kind: 'planChangeUpgrade', amount: 110000 },
      ],
      subtotal: 120000,
      tax: 12000,
      total: 132000,
    });
    // the renewal (2028-03-01..2029-02-28) is the invoice of 2028-02, due 2028-03-31, at M's price
    expect(invoiceOf(result, '2028-02')).toMatchObject({
      dueDate: '2028-03-31',
      lines: [{ kind: 'annualFee', from: '2028-03-01', to: '2029-02-28', amount: 220000 }],
    });
  });

  it('refunds nothing on a downgrade and applies the new price from the renewal', () => {
    // on M; S from 2026-05-11: only S's initial fee 30000 now; renewal 11 × 10000 = 110000
    const result = simulate(annual({ plan: PLAN_M, events: [change('2026-05-11', PLAN_S)] }));
    expect(linesOf(result, '2026-05')).toEqual([{ kind: 'initialFee', amount: 30000 }]);
    expect(linesOf(result, '2027-03')[0]).toMatchObject({ kind: 'annualFee', amount: 110000 });
  });

  it('does not charge twice for months already paid at the higher price', () => {
    // year paid at M (20000); down to S on 06-01, back up to M on 09-15: the difference from the
    // level already paid (20000) is 0, so only the initial fees (30000, 10000) are charged
    const result = simulate(
      annual({ plan: PLAN_M, events: [change('2026-06-01', PLAN_S), change('2026-09-15', PLAN_M)] }),
    );
    expect(linesOf(result, '2026-06')).toEqual([{ kind: 'initialFee', amount: 30000 }]);
    expect(linesOf(result, '2026-09')).toEqual([{ kind: 'initialFee', amount: 10000 }]);
  });

  it('prices the year at the plan in force on its first day', () => {
    // M from 03-20, before the first year starts: the first month is split like a monthly one
    // (1612 + 7741, as in the monthly case) and the first year costs 11 × 20000 = 220000; no upgrade.
    // 30000 + 10000 + 1612 + 7741 + 220000 = 269353, tax 26935.3 -> 26935, total 296288
    const early = simulate(annual({ events: [change('2026-03-20', PLAN_M)] }));
    expect(bill(early, '2026-03')).toEqual({
      id: '2026-03',
      lines: [
        { kind: 'initialFee', amount: 30000 },
        { kind: 'initialFee', amount: 10000 },
        { kind: 'usage', from: '2026-03-15', to: '2026-03-19', amount: 1612 },
        { kind: 'usage', from: '2026-03-20', to: '2026-03-31', amount: 7741 },
        { kind: 'annualFee', from: '2026-04-01', to: '2027-03-31', amount: 220000 },
      ],
      subtotal: 269353,
      tax: 26935,
      total: 296288,
    });
    // a change on a renewal day: the renewal carries the new price, the change month only the initial fee
    const onRenewal = simulate(annual({ events: [change('2027-04-01', PLAN_M)] }));
    expect(linesOf(onRenewal, '2027-03')[0]).toMatchObject({ kind: 'annualFee', amount: 220000 });
    expect(linesOf(onRenewal, '2027-04')).toEqual([{ kind: 'initialFee', amount: 10000 }]);
  });

  it('refunds nothing when the customer cancels mid-year (Art. 12.2)', () => {
    // request 2026-10-10 -> end 2026-11-30: no refund, no renewal
    const result = simulate(annual({ events: [{ type: 'cancellationRequested', on: '2026-10-10' }] }));
    expect(result.serviceEndDate).toBe('2026-11-30');
    expect(result.invoices.map((i) => i.id)).toEqual(['2026-03']);
  });

  it('renews when the service runs into the next year, however briefly', () => {
    // request 2027-03-10 -> end 2027-04-30, inside the year from 2027-04-01: the renewal is billed and
    // not refunded. A request in February ends the service on 2027-03-31, with no renewal.
    const late = simulate(annual({ events: [{ type: 'cancellationRequested', on: '2027-03-10' }] }));
    expect(late.invoices.map((i) => i.id)).toEqual(['2026-03', '2027-03']);
    const inTime = simulate(annual({ events: [{ type: 'cancellationRequested', on: '2027-02-10' }] }));
    expect(inTime.serviceEndDate).toBe('2027-03-31');
    expect(inTime.invoices.map((i) => i.id)).toEqual(['2026-03']);
  });
});
