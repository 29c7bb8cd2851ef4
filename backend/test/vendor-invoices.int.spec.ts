import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOCUMENTED_EXAMPLE } from './support/billing-scenarios';
import { setupTenants, Tenants } from './support/flexlog-fixtures';
import { HttpClient } from './support/http-client';
import { startTestApp, TestApp } from './support/test-app';
import { testDatabases } from './support/test-databases';
import { createPlans, ISSUER, issueMonth, ok } from './support/vendor-billing-fixtures';

const CONTRACTS = '/api/v1/vendor/contracts';
const INVOICES = '/api/v1/vendor/invoices';

interface Line {
  kind: string;
  amount: number;
  from: string | null;
  to: string | null;
}

/**
 * A year of one customer's books through the API: an annual contract (S, opening test 2025-11-10,
 * upgraded to M on 2026-03-15) and a monthly one that is the example of billing-rules.md (S from
 * 2026-03-14, M from 2026-05-11, cancelled 2026-07-05, invoice 2026-03 paid late on 2026-05-12,
 * equipment back on 2026-09-20). Each month is issued on the 1st of the next.
 */
describe.each(testDatabases())('vendor invoices and payments on $name', (db) => {
  let t: TestApp;
  let tenants: Tenants;
  let admin: HttpClient;
  let dir: string;
  let annualId: string;
  let monthlyId: string;
  const invoice = async (contractId: string, month: string) => {
    const [found] = await ok(admin.get(`${INVOICES}?contractId=${contractId}&month=${month}`), 200);
    return found;
  };
  const brief = (i: { lines: Line[]; subtotal: number; tax: number; total: number }) => ({
    lines: i.lines.map((l) => [l.kind, l.amount]),
    subtotal: i.subtotal,
    tax: i.tax,
    total: i.total,
  });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vendor-invoices-'));
    t = await startTestApp(db);
    tenants = await setupTenants(t);
    admin = tenants.admin;
    const plans = await createPlans(admin);
    const base = { tenantId: tenants.otherTenantId, product: 'FlexLog', planId: plans.S };
    const annual = {
      ...base,
      billingCycle: 'annual',
      equipment: ['FL-A1'],
      appliedOn: '2025-11-01',
      openingTestOn: '2025-11-10',
    };
    annualId = (await ok(admin.post(CONTRACTS, annual))).id;
    const monthly = {
      ...base,
      billingCycle: 'monthly',
      equipment: ['FL-M1'],
      appliedOn: '2026-03-01',
      openingTestOn: '2026-03-14',
    };
    monthlyId = (await ok(admin.post(CONTRACTS, monthly))).id;
    await ok(admin.post(`${CONTRACTS}/${annualId}/plan-changes`, { planId: plans.M, effectiveOn: '2026-03-15' }));
    await ok(admin.post(`${CONTRACTS}/${monthlyId}/plan-changes`, { planId: plans.M, effectiveOn: '2026-05-11' }));
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('needs the issuer and its registration number (T + 13 digits) before issuing', async () => {
    const none = await admin.post(`${INVOICES}/runs`, { month: '2025-11', issueDate: '2025-12-01' });
    expect(none.status).toBe(400);
    expect(none.body.errors[0].field).toBe('issuer');
    const bad = await admin.put('/api/v1/vendor/invoice-issuer', { ...ISSUER, registrationNumber: 'T123' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('registrationNumber');
    await ok(admin.put('/api/v1/vendor/invoice-issuer', ISSUER), 200);
  });

  it('issues the annual contract: first month, initial fee and annual fee up front, then an upgrade', async () => {
    const run = await issueMonth(admin, '2025-11');
    expect(run.issued).toEqual([{ contractId: annualId, number: 'INV-2025-000001', total: 161332 }]);
    // Billing start 2025-11-11: 11-11..11-30 = floor(10,000 x 20 / 30) = 6,666; annual fee 11 x 10,000
    // for 2025-12-01..2026-11-30; 30,000 + 6,666 + 110,000 = 146,666, tax 14,666, total 161,332.
    const first = await invoice(annualId, '2025-11');
    expect(first).toMatchObject({ issueDate: '2025-12-01', dueDate: '2025-12-31', customerName: 'Beta' });
    expect(brief(first)).toEqual({
      lines: [
        ['initialFee', 30000],
        ['usage', 6666],
        ['annualFee', 110000],
      ],
      subtotal: 146666,
      tax: 14666,
      total: 161332,
    });
    await ok(
      admin.post('/api/v1/vendor/payments', {
        invoiceNumber: 'INV-2025-000001',
        paidOn: '2025-12-26',
        amount: 161332,
        payerName: 'ベータ',
      }),
    );
    for (const month of ['2025-12', '2026-01', '2026-02']) expect((await issueMonth(admin, month)).issued).toEqual([]);
  });

  it('issues March for both, April for the monthly one, and a rerun issues nothing twice', async () => {
    const march = await issueMonth(admin, '2026-03');
    expect(march.issued.map((i: { number: string }) => i.number)).toEqual(['INV-2026-000001', 'INV-2026-000002']);
    // Annual upgrade on 2026-03-15: M's initial fee 10,000 + 8 whole months x 10,000 = 90,000; tax 9,000.
    expect(brief(await invoice(annualId, '2026-03'))).toEqual({
      lines: [
        ['initialFee', 10000],
        ['planChangeUpgrade', 80000],
      ],
      subtotal: 90000,
      tax: 9000,
      total: 99000,
    });
    // Monthly: 30,000 + floor(10,000 x 17 / 31) = 5,483 for 03-15..03-31; tax 3,548; total 39,031.
    expect(brief(await invoice(monthlyId, '2026-03'))).toEqual({
      lines: [
        ['initialFee', 30000],
        ['usage', 5483],
      ],
      subtotal: 35483,
      tax: 3548,
      total: 39031,
    });
    const april = await issueMonth(admin, '2026-04');
    expect(april.issued).toEqual([{ contractId: monthlyId, number: 'INV-2026-000003', total: 11000 }]);
    const rerun = await issueMonth(admin, '2026-04');
    expect(rerun.issued).toEqual([]);
    expect(rerun.alreadyIssued).toEqual([{ contractId: monthlyId, number: 'INV-2026-000003' }]);
    const notOver = await admin.post(`${INVOICES}/runs`, { month: '2026-10', issueDate: '2026-10-15' });
    expect(notOver.status).toBe(400);
    expect(notOver.body.errors[0].field).toBe('issueDate');
  });

  it('imports a bank CSV row by row, reporting each refused row with its line and field', async () => {
    const csv = [
      'date,amount,payerName,invoiceNumber',
      '2026-04-25,"99,000",カ）ベータ,INV-2026-000001',
      '2026-05-20,11000,カ）ベータ,INV-2026-000003',
      '2026-02-30,100,ベータ,INV-2026-000002',
      '2026-05-12,50000,ベータ,INV-2026-000002',
      '2026-05-12,100,ベータ,INV-2099-000001',
      '2026-04-25,99000,カ）ベータ,INV-2026-000001',
      '2099-01-01,100,ベータ,INV-2026-000002',
      '2026-05-12,100,ベータ',
    ].join('\r\n');
    const report = await ok(admin.post('/api/v1/vendor/payments/import', { csv }), 200);
    expect(report).toMatchObject({ recorded: 2, refused: 6 });
    const byLine = Object.fromEntries(report.rows.map((r: { line: number }) => [r.line, r]));
    expect(byLine[2]).toMatchObject({
      status: 'recorded',
      invoiceNumber: 'INV-2026-000001',
      outstanding: 0,
      paidInFullOn: '2026-04-25',
    });
    expect(byLine[3]).toMatchObject({
      status: 'recorded',
      invoiceNumber: 'INV-2026-000003',
      paidInFullOn: '2026-05-20',
    });
    expect(byLine[4]).toMatchObject({ status: 'refused', field: 'date' });
    expect(byLine[5]).toMatchObject({
      status: 'refused',
      field: 'amount',
      message: expect.stringContaining('39,031 yen outstanding'),
    });
    expect(byLine[6]).toMatchObject({ status: 'refused', field: 'invoiceNumber' });
    expect(byLine[7]).toMatchObject({
      status: 'refused',
      field: 'row',
      message: expect.stringContaining('already recorded'),
    });
    expect(byLine[8]).toMatchObject({ status: 'refused', field: 'date', message: expect.stringContaining('future') });
    expect(byLine[9]).toMatchObject({ status: 'refused', field: 'row' });
    const badHeader = await admin.post('/api/v1/vendor/payments/import', { csv: 'day,amount\n2026-01-01,1' });
    expect(badHeader.status).toBe(400);
    expect(badHeader.body.errors[0].field).toBe('csv');
  });

  it('lists receivables as of a day: unpaid, overdue, days late', async () => {
    // On 2026-05-10: March's monthly invoice (39,031, due 04-30) is 10 days late, damages so far
    // floor(39,031 x 0.145 x 10 / 365) = 155; April's (11,000, due 05-31) is unpaid, not due; the
    // annual ones are paid, and April's payment of 05-20 is not counted yet.
    const res = await ok(
      admin.get(`/api/v1/vendor/receivables?asOf=2026-05-10&tenantId=${tenants.otherTenantId}`),
      200,
    );
    expect(
      res.receivables.map((r: Record<string, unknown>) => [
        r['number'],
        r['outstanding'],
        r['overdue'],
        r['daysLate'],
        r['damagesIfPaidToday'],
      ]),
    ).toEqual([
      ['INV-2026-000002', 39031, true, 10, 155],
      ['INV-2026-000003', 11000, false, 0, 0],
    ]);
    expect(res.totals).toEqual({ count: 2, outstanding: 50031, overdueCount: 1, overdueOutstanding: 39031 });
  });

  it('carries delay damages of a late payment into the next invoice, outside the tax base', async () => {
    const over = await admin.post('/api/v1/vendor/payments', {
      invoiceNumber: 'INV-2026-000002',
      paidOn: '2026-05-12',
      amount: 40000,
      payerName: 'ベータ',
    });
    expect(over.status).toBe(400);
    expect(over.body.errors[0].field).toBe('amount');
    await ok(
      admin.post('/api/v1/vendor/payments', {
        invoiceNumber: 'INV-2026-000002',
        paidOn: '2026-05-12',
        amount: 39031,
        payerName: 'ベータ',
      }),
    );
    await issueMonth(admin, '2026-05');
    const may = await invoice(monthlyId, '2026-05');
    // M's initial fee 10,000; S 05-01..05-10 floor(10,000 x 10 / 31) = 3,225; M 05-11..05-31
    // floor(20,000 x 21 / 31) = 13,548; damages for March: 12 days after 04-30,
    // floor(39,031 x 0.145 x 12 / 365) = 186, not taxed. Taxable 26,773, tax 2,677, total 29,636.
    expect(brief(may)).toEqual({
      lines: [
        ['initialFee', 10000],
        ['usage', 3225],
        ['usage', 13548],
        ['lateFee', 186],
      ],
      subtotal: 26959,
      tax: 2677,
      total: 29636,
    });
    expect(may).toMatchObject({ number: 'INV-2026-000004', taxableAmount: 26773, nonTaxableAmount: 186 });
    expect(may.lines[3].description).toBe('遅延損害金（2026-03分 12日遅延）');
  });

  it('renders the invoice PDF in Japanese and the CSV', async () => {
    const may = await invoice(monthlyId, '2026-05');
    const pdf = await fetch(`${t.baseUrl}${INVOICES}/${may.id}/pdf`, {
      headers: { cookie: `access_token=${admin.cookie('access_token')}` },
    });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const file = join(dir, 'invoice.pdf');
    writeFileSync(file, Buffer.from(await pdf.arrayBuffer()));
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    for (const expected of [
      '請求書（適格請求書）',
      'Beta 御中',
      '株式会社コールレコード',
      '登録番号：T1234567890123',
      '請求書番号：INV-2026-000004',
      '発行日：2026年6月1日',
      'お支払期限：2026年6月30日',
      '遅延損害金（2026-03分 12日遅延）',
      '対象外',
      '消費税（10%）',
      '¥2,677',
      '¥29,636',
    ]) {
      expect(text).toContain(expected);
    }
    execFileSync('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '1', file, join(dir, 'page')]);
    expect(statSync(join(dir, 'page-1.png')).size).toBeGreaterThan(10_000);

    const csv = await admin.get(`${INVOICES}/${may.id}/csv`);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const rows = csv.text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n')
      .map((r) => r.split(','));
    expect(rows[0]).toEqual([
      'invoiceNumber',
      'issueDate',
      'dueDate',
      'month',
      'customer',
      'issuerRegistrationNumber',
      'lineNo',
      'kind',
      'description',
      'from',
      'to',
      'taxRate',
      'amount',
    ]);
    expect(rows[4].slice(6)).toEqual(['4', 'lateFee', '遅延損害金（2026-03分 12日遅延）', '', '', '', '186']);
    expect(rows.at(-1)?.slice(7)).toEqual(['total', '合計', '', '', '', '29636']);
  });

  it('bills to the service end, then the late equipment return, exactly as the simulator does', async () => {
    await issueMonth(admin, '2026-06');
    const preview = await ok(
      admin.post(`${CONTRACTS}/${monthlyId}/cancellation/preview`, { requestedOn: '2026-07-05' }),
      200,
    );
    expect(preview).toMatchObject({
      serviceEndDate: '2026-08-31',
      minimumTermAdjustment: null,
      equipmentReturnDeadline: '2026-09-14',
    });
    await ok(admin.post(`${CONTRACTS}/${monthlyId}/cancellation`, { requestedOn: '2026-07-05' }));
    await issueMonth(admin, '2026-07');
    await issueMonth(admin, '2026-08');
    // a change to a month already invoiced is refused
    const late = await admin.post(`${CONTRACTS}/${monthlyId}/equipment-return`, { returnedOn: '2026-08-20' });
    expect(late.status).toBe(409);
    await ok(admin.post(`${CONTRACTS}/${monthlyId}/equipment-return`, { returnedOn: '2026-09-20' }), 200);
    await issueMonth(admin, '2026-09');
    expect((await issueMonth(admin, '2026-10')).issued).toEqual([]);
    // 09-01..09-20 = 20 days at 20,000 / 30 a day: floor(20,000 x 20 / 30) = 13,333; tax 1,333
    expect(brief(await invoice(monthlyId, '2026-09'))).toEqual({
      lines: [['equipmentLateReturn', 13333]],
      subtotal: 13333,
      tax: 1333,
      total: 14666,
    });
    const stored = await ok(admin.get(`${INVOICES}?contractId=${monthlyId}`), 200);
    const simulated = await ok(admin.post('/api/v1/vendor/billing/simulate', DOCUMENTED_EXAMPLE), 200);
    expect(stored.map((i: { month: string }) => i.month)).toEqual(simulated.invoices.map((i: { id: string }) => i.id));
    stored.forEach(
      (mine: { lines: Line[]; subtotal: number; tax: number; total: number; dueDate: string }, n: number) => {
        const engine = simulated.invoices[n];
        expect({ ...brief(mine), dueDate: mine.dueDate }).toEqual({ ...brief(engine), dueDate: engine.dueDate });
      },
    );
    const numbers = stored.map((i: { number: string }) => i.number);
    expect(numbers).toEqual([
      'INV-2026-000002',
      'INV-2026-000003',
      'INV-2026-000004',
      'INV-2026-000005',
      'INV-2026-000006',
      'INV-2026-000007',
      'INV-2026-000008',
    ]);
  });
});
