import {
  bill,
  DOCUMENTED_EXAMPLE,
  invoiceOf,
  PLAN_M,
  scenario,
  simulate,
} from '../../../test/support/billing-scenarios';

describe('the example of billing-rules.md', () => {
  const result = simulate(DOCUMENTED_EXAMPLE);

  it('gives the documented dates and first invoice exactly', () => {
    expect(result).toMatchObject({
      serviceStartDate: '2026-03-14',
      billingStartDate: '2026-03-15',
      minimumTermEndsOn: '2026-06-14',
      serviceEndDate: '2026-08-31',
      equipmentReturnDeadline: '2026-09-14',
    });
    expect(Object.keys(result)).toEqual([
      'serviceStartDate',
      'billingStartDate',
      'minimumTermEndsOn',
      'serviceEndDate',
      'equipmentReturnDeadline',
      'invoices',
    ]);
    expect(result.invoices[0]).toEqual({
      id: '2026-03',
      dueDate: '2026-04-30',
      lines: [
        { kind: 'initialFee', amount: 30000 },
        { kind: 'usage', from: '2026-03-15', to: '2026-03-31', amount: 5483 },
      ],
      subtotal: 35483,
      tax: 3548,
      total: 39031,
    });
  });

  it('bills every later month by hand-checked arithmetic', () => {
    expect(result.invoices.map((i) => [i.id, i.dueDate])).toEqual([
      ['2026-03', '2026-04-30'],
      ['2026-04', '2026-05-31'],
      ['2026-05', '2026-06-30'],
      ['2026-06', '2026-07-31'],
      ['2026-07', '2026-08-31'],
      ['2026-08', '2026-09-30'],
      ['2026-09', '2026-10-31'],
    ]);
    // April: a whole month of plan S, 10000; tax 1000
    expect(bill(result, '2026-04')).toEqual({
      id: '2026-04',
      lines: [{ kind: 'usage', from: '2026-04-01', to: '2026-04-30', amount: 10000 }],
      subtotal: 10000,
      tax: 1000,
      total: 11000,
    });
    // May: plan M from 05-11, its initial fee 10000;
    //   S for 05-01..10: 10000 × 10 / 31 = 3225.8 -> 3225; M for 05-11..31: 20000 × 21 / 31 = 13548.4 -> 13548;
    //   invoice 2026-03 (total 39031, due 04-30) paid 05-12: 12 days late,
    //   39031 × 0.145 × 12 / 365 = 186.07 -> 186, not taxed.
    //   subtotal 10000 + 3225 + 13548 + 186 = 26959; tax 10% of 26773 = 2677.3 -> 2677; total 29636
    expect(bill(result, '2026-05')).toEqual({
      id: '2026-05',
      lines: [
        { kind: 'initialFee', amount: 10000 },
        { kind: 'usage', from: '2026-05-01', to: '2026-05-10', amount: 3225 },
        { kind: 'usage', from: '2026-05-11', to: '2026-05-31', amount: 13548 },
        { kind: 'lateFee', invoice: '2026-03', daysLate: 12, amount: 186 },
      ],
      subtotal: 26959,
      tax: 2677,
      total: 29636,
    });
    // June to August: plan M, 20000 + 2000 tax; the request of 07-05 ends the service on 08-31,
    // after the minimum term (06-14): no adjustment
    for (const id of ['2026-06', '2026-07', '2026-08']) {
      expect(invoiceOf(result, id)).toMatchObject({ subtotal: 20000, tax: 2000, total: 22000 });
    }
    // equipment due by 09-14, arrived 09-20: 09-01..09-20 = 20 days of plan M,
    // 20000 × 20 / 30 = 13333.3 -> 13333; tax 1333.3 -> 1333; total 14666
    expect(bill(result, '2026-09')).toEqual({
      id: '2026-09',
      lines: [{ kind: 'equipmentLateReturn', from: '2026-09-01', to: '2026-09-20', amount: 13333 }],
      subtotal: 13333,
      tax: 1333,
      total: 14666,
    });
  });
});

describe('monthly billing', () => {
  it('bills a whole first month when billing starts on the 1st', () => {
    // opening test 2026-03-31 -> billing from 2026-04-01; 10000 × 30 / 30 = 10000
    const result = simulate(scenario({ openingTestCompletedOn: '2026-03-31', until: '2026-05-31' }));
    expect(result.billingStartDate).toBe('2026-04-01');
    expect(result.minimumTermEndsOn).toBe('2026-06-30');
    expect(result.serviceEndDate).toBeNull();
    expect(result.equipmentReturnDeadline).toBeNull();
    expect(result.invoices[0]).toEqual({
      id: '2026-04',
      dueDate: '2026-05-31',
      lines: [
        { kind: 'initialFee', amount: 30000 },
        { kind: 'usage', from: '2026-04-01', to: '2026-04-30', amount: 10000 },
      ],
      subtotal: 40000,
      tax: 4000,
      total: 44000,
    });
    // monthly contracts renew by themselves: one invoice a month up to `until`
    expect(result.invoices.map((i) => i.id)).toEqual(['2026-04', '2026-05']);
  });

  it('bills one day when billing starts on the last day of a month', () => {
    // opening 2026-03-30 -> billing 2026-03-31: 10000 × 1 / 31 = 322.6 -> 322;
    // subtotal 30322, tax 3032.2 -> 3032, total 33354; minimum term "06-31" -> 06-30
    const result = simulate(scenario({ openingTestCompletedOn: '2026-03-30', until: '2026-04-30' }));
    expect(result.minimumTermEndsOn).toBe('2026-06-30');
    expect(bill(result, '2026-03')).toEqual({
      id: '2026-03',
      lines: [
        { kind: 'initialFee', amount: 30000 },
        { kind: 'usage', from: '2026-03-31', to: '2026-03-31', amount: 322 },
      ],
      subtotal: 30322,
      tax: 3032,
      total: 33354,
    });
  });

  it('prorates over 29 days in a leap February', () => {
    // billing from 2028-02-29 (opening 02-28): 10000 × 1 / 29 = 344.8 -> 344; due 2028-03-31;
    // minimum term: 2028-05-29 − 1 day = 05-28
    const leapDay = simulate(scenario({ openingTestCompletedOn: '2028-02-28', until: '2028-03-31' }));
    expect(leapDay.minimumTermEndsOn).toBe('2028-05-28');
    expect(invoiceOf(leapDay, '2028-02')).toEqual({
      id: '2028-02',
      dueDate: '2028-03-31',
      lines: [
        { kind: 'initialFee', amount: 30000 },
        { kind: 'usage', from: '2028-02-29', to: '2028-02-29', amount: 344 },
      ],
      subtotal: 30344,
      tax: 3034, // 3034.4
      total: 33378,
    });
    expect(invoiceOf(leapDay, '2028-03').lines).toEqual([
      { kind: 'usage', from: '2028-03-01', to: '2028-03-31', amount: 10000 },
    ]);
    // billing from 2028-02-15: 15 days of 29, 10000 × 15 / 29 = 5172.4 -> 5172
    const mid = simulate(scenario({ openingTestCompletedOn: '2028-02-14', until: '2028-02-29' }));
    expect(invoiceOf(mid, '2028-02').lines[1]).toEqual({
      kind: 'usage',
      from: '2028-02-15',
      to: '2028-02-29',
      amount: 5172,
    });
  });

  it('ends the service at the end of the month after a request on the 31st', () => {
    // request 2026-08-31 -> end 2026-09-30; the last month is whole: 10000
    const result = simulate(
      scenario({ events: [{ type: 'cancellationRequested', on: '2026-08-31' }], until: '2027-12-31' }),
    );
    expect(result.serviceEndDate).toBe('2026-09-30');
    expect(result.equipmentReturnDeadline).toBe('2026-10-14');
    expect(result.invoices.map((i) => i.id)).toEqual([
      '2026-03',
      '2026-04',
      '2026-05',
      '2026-06',
      '2026-07',
      '2026-08',
      '2026-09',
    ]);
    expect(invoiceOf(result, '2026-09').lines).toEqual([
      { kind: 'usage', from: '2026-09-01', to: '2026-09-30', amount: 10000 },
    ]);
  });

  it('stops at `until` when the service runs on, whole months included', () => {
    const result = simulate(scenario({ until: '2026-06-15' }));
    expect(result.invoices.map((i) => i.id)).toEqual(['2026-03', '2026-04', '2026-05', '2026-06']);
    expect(invoiceOf(result, '2026-06').lines).toEqual([
      { kind: 'usage', from: '2026-06-01', to: '2026-06-30', amount: 10000 },
    ]);
  });
});

describe('minimum term (Art. 11, 12.3)', () => {
  it('charges the rest of three months when the service ends before the term', () => {
    // billing 03-15, term ends 06-14; request 04-05 -> end 05-31.
    // usage billed: 5483 (03-15..31) + 10000 (April) + 10000 (May) = 25483;
    // adjustment 3 × 10000 − 25483 = 4517 on the final invoice (May):
    // subtotal 14517, tax 1451.7 -> 1451, total 15968
    const result = simulate(scenario({ events: [{ type: 'cancellationRequested', on: '2026-04-05' }] }));
    expect(result.serviceEndDate).toBe('2026-05-31');
    expect(result.invoices.map((i) => i.id)).toEqual(['2026-03', '2026-04', '2026-05']);
    expect(bill(result, '2026-05')).toEqual({
      id: '2026-05',
      lines: [
        { kind: 'usage', from: '2026-05-01', to: '2026-05-31', amount: 10000 },
        { kind: 'minimumTermAdjustment', amount: 4517 },
      ],
      subtotal: 14517,
      tax: 1451,
      total: 15968,
    });
  });

  it('counts the term to 29 February and a request on the 31st', () => {
    // opening 2027-11-29 -> billing 2027-11-30; term: "2028-02-30" -> 2028-02-29.
    // request 2027-12-31 -> end 2028-01-31, before the term ends.
    // usage: 10000 × 1 / 30 = 333.3 -> 333, December 10000, January 10000 = 20333;
    // adjustment 30000 − 20333 = 9667; January: 10000 + 9667 = 19667, tax 1966.7 -> 1966, total 21633
    const result = simulate(
      scenario({
        openingTestCompletedOn: '2027-11-29',
        events: [{ type: 'cancellationRequested', on: '2027-12-31' }],
        until: '2028-12-31',
      }),
    );
    expect(result.minimumTermEndsOn).toBe('2028-02-29');
    expect(result.serviceEndDate).toBe('2028-01-31');
    expect(bill(result, '2028-01')).toEqual({
      id: '2028-01',
      lines: [
        { kind: 'usage', from: '2028-01-01', to: '2028-01-31', amount: 10000 },
        { kind: 'minimumTermAdjustment', amount: 9667 },
      ],
      subtotal: 19667,
      tax: 1966,
      total: 21633,
    });
  });

  it('adds nothing when the service ends on the last day of the term', () => {
    // billing from 04-01: term ends 06-30. A request in May ends the service on 06-30: no adjustment.
    const onTerm = simulate(
      scenario({ openingTestCompletedOn: '2026-03-31', events: [{ type: 'cancellationRequested', on: '2026-05-10' }] }),
    );
    expect(onTerm.serviceEndDate).toBe('2026-06-30');
    expect(onTerm.invoices.flatMap((i) => i.lines).map((l) => l.kind)).not.toContain('minimumTermAdjustment');
    // a request in April ends it on 05-31: 2 whole months billed, 30000 − 20000 = 10000
    const early = simulate(
      scenario({ openingTestCompletedOn: '2026-03-31', events: [{ type: 'cancellationRequested', on: '2026-04-30' }] }),
    );
    expect(invoiceOf(early, '2026-05').lines).toContainEqual({ kind: 'minimumTermAdjustment', amount: 10000 });
  });

  it('uses the plan in force at the end after a plan change', () => {
    // plan M (20000) from 04-11; request 04-20 -> end 05-31 < 06-14.
    // usage: March 5483; April S 04-01..10 = 10000 × 10 / 30 = 3333.3 -> 3333,
    // M 04-11..30 = 20000 × 20 / 30 = 13333.3 -> 13333; May 20000. Total 42149.
    // adjustment 3 × 20000 − 42149 = 17851; May: 37851, tax 3785.1 -> 3785, total 41636
    const result = simulate(
      scenario({
        events: [
          { type: 'planChange', effectiveOn: '2026-04-11', plan: PLAN_M },
          { type: 'cancellationRequested', on: '2026-04-20' },
        ],
      }),
    );
    expect(bill(result, '2026-05')).toEqual({
      id: '2026-05',
      lines: [
        { kind: 'usage', from: '2026-05-01', to: '2026-05-31', amount: 20000 },
        { kind: 'minimumTermAdjustment', amount: 17851 },
      ],
      subtotal: 37851,
      tax: 3785,
      total: 41636,
    });
  });

  it('never applies to an annual contract, whose first invoice already holds a year', () => {
    // request 03-20 -> end 04-30; billed 5483 + 110000 > 30000: no adjustment, no refund
    const result = simulate(
      scenario({ billingCycle: 'annual', events: [{ type: 'cancellationRequested', on: '2026-03-20' }] }),
    );
    expect(result.invoices.map((i) => i.id)).toEqual(['2026-03']);
    expect(result.invoices[0].lines.map((l) => l.kind)).toEqual(['initialFee', 'usage', 'annualFee']);
  });
});
