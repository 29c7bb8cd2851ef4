import { bill, DOCUMENTED_EXAMPLE, invoiceOf, scenario, simulate } from '../../../test/support/billing-scenarios';

const paid = (invoice: string, on: string) => ({ type: 'paymentReceived', invoice, on });

describe('late payment (Art. 10.7)', () => {
  it('takes invoices as paid on their due date unless told otherwise', () => {
    const onTime = simulate(scenario({ events: [paid('2026-03', '2026-04-30')], until: '2026-06-30' }));
    const early = simulate(scenario({ events: [paid('2026-03', '2026-04-02')], until: '2026-06-30' }));
    const silent = simulate(scenario({ until: '2026-06-30' }));
    for (const result of [onTime, early, silent]) {
      expect(result.invoices.flatMap((i) => i.lines).map((l) => l.kind)).not.toContain('lateFee');
    }
  });

  it('bills damages outside the tax base on the invoice of the month of payment', () => {
    // the documented example: 39031 paid 12 days late -> 186 on the May invoice,
    // taxed lines 10000 + 3225 + 13548 = 26773 -> tax 2677 (not 10% of 26959)
    const may = invoiceOf(simulate(DOCUMENTED_EXAMPLE), '2026-05');
    expect(may.lines).toContainEqual({ kind: 'lateFee', invoice: '2026-03', daysLate: 12, amount: 186 });
    expect(may.tax).toBe(2677);
    expect(may.total).toBe(26959 + 2677);
  });

  it('issues damages on their own invoice in a month with no other charge', () => {
    // annual: first invoice total 160031, due 2026-04-30, paid 2026-06-10: 31 (May) + 10 = 41 days;
    // 160031 × 0.145 × 41 / 365 = 2606.5 -> 2606, no tax; due at the end of July
    const result = simulate(
      scenario({ billingCycle: 'annual', events: [paid('2026-03', '2026-06-10')], until: '2026-12-31' }),
    );
    expect(invoiceOf(result, '2026-06')).toEqual({
      id: '2026-06',
      dueDate: '2026-07-31',
      lines: [{ kind: 'lateFee', invoice: '2026-03', daysLate: 41, amount: 2606 }],
      subtotal: 2606,
      tax: 0,
      total: 2606,
    });
  });

  it('bills damages after the service end when the final invoice is paid late', () => {
    // request 06-10 -> end 07-31; July's invoice 11000 is due 08-31 and paid 2026-10-05:
    // 30 (September) + 5 = 35 days; 11000 × 0.145 × 35 / 365 = 152.9 -> 152 on an October invoice
    const result = simulate(
      scenario({
        events: [{ type: 'cancellationRequested', on: '2026-06-10' }, paid('2026-07', '2026-10-05')],
      }),
    );
    expect(result.invoices.map((i) => i.id)).toEqual([
      '2026-03',
      '2026-04',
      '2026-05',
      '2026-06',
      '2026-07',
      '2026-10',
    ]);
    expect(bill(result, '2026-10')).toEqual({
      id: '2026-10',
      lines: [{ kind: 'lateFee', invoice: '2026-07', daysLate: 35, amount: 152 }],
      subtotal: 152,
      tax: 0,
      total: 152,
    });
  });

  it('follows a payment past `until`', () => {
    // simulated to April only; March's invoice paid 05-12 still brings its 186 yen on a May invoice
    const result = simulate(scenario({ events: [paid('2026-03', '2026-05-12')], until: '2026-04-30' }));
    expect(result.invoices.map((i) => i.id)).toEqual(['2026-03', '2026-04', '2026-05']);
    expect(invoiceOf(result, '2026-05').lines).toEqual([
      { kind: 'lateFee', invoice: '2026-03', daysLate: 12, amount: 186 },
    ]);
  });

  it('charges damages on a damages invoice paid late too', () => {
    // the 186-yen May invoice of the previous case, due 06-30, paid 2026-12-31: 184 days;
    // 186 × 0.145 × 184 / 365 = 13.6 -> 13 on December's invoice
    const result = simulate(
      scenario({ events: [paid('2026-03', '2026-05-12'), paid('2026-05', '2026-12-31')], until: '2026-04-30' }),
    );
    expect(invoiceOf(result, '2026-12').lines).toEqual([
      { kind: 'lateFee', invoice: '2026-05', daysLate: 184, amount: 13 },
    ]);
  });
});
