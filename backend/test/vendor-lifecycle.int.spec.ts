import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tone, wavFile } from '../src/platform/transcoder/testing/signals';
import { verifyDeletionCertificate } from '../src/vendor/termination/deletion-certificate';
import { HttpClient } from './support/http-client';
import { uploadCall } from './support/ingest-upload';
import { settledJob } from './support/store-probes';
import { completeSetup, startTestApp, TestApp } from './support/test-app';
import { testDatabases } from './support/test-databases';
import { createPlans, ISSUER, issueMonth, ok } from './support/vendor-billing-fixtures';

const CONTRACTS = '/api/v1/vendor/contracts';
const INVOICES = '/api/v1/vendor/invoices';
const PASSWORD = 'Tenant-Adm1n!';
const adminOf = (n: string) => ({ email: `admin@${n}.example.jp`, displayName: `${n} 管理者`, password: PASSWORD });
const audio = wavFile('mulaw', 8000, [tone(440, 8000, 2), tone(1250, 8000, 2)]);
/** The tenant tables contract end must empty; each holds rows of gamma's before it runs. */
const GAMMA_TABLES = ['users', 'calls', 'recordings', 'api_keys', 'tenant_keys'];

interface Line {
  kind: string;
  amount: number;
  from: string | null;
  to: string | null;
}
const brief = (i: { lines: Line[]; subtotal: number; tax: number; total: number }) => ({
  lines: i.lines.map((l) => [l.kind, l.amount]),
  subtotal: i.subtotal,
  tax: i.tax,
  total: i.total,
});

/**
 * Issue 9's acceptance lifecycle through the public API, the contract-end job deciding from the real
 * contracts which service has ended. Gamma: monthly FlexLog on plan S with two rented devices,
 * opening test 2026-01-20, upgraded to M from 2026-03-16, February's invoice paid 10 days late,
 * cancelled on 2026-05-12 (service end 2026-06-30, in the past), its data deleted, one device back
 * late on 2026-07-20. Delta: an annual contract whose billing starts on the 1st, upgraded mid-period.
 * Each month is issued on the 1st of the next.
 */
describe.each(testDatabases())('vendor contract lifecycle on $name', (db) => {
  let t: TestApp;
  let vendor: HttpClient;
  let gamma: HttpClient;
  let plans: { S: string; M: string; XS: string };
  const ids: Record<string, string> = {};
  let gammaContract: string;
  let deltaContract: string;
  const gammaRowsBefore: Record<string, number> = {};
  let gammaKeyIds: string[] = [];

  const invoice = async (contractId: string, month: string) => {
    const [found] = await ok(vendor.get(`${INVOICES}?contractId=${contractId}&month=${month}`), 200);
    return found;
  };
  const pay = (invoiceNumber: string, paidOn: string, amount: number) =>
    ok(vendor.post('/api/v1/vendor/payments', { invoiceNumber, paidOn, amount, payerName: 'ガンマ' }));
  const rowsOf = async (table: string, tenantId: string) =>
    Number((await t.dataSource.query(`SELECT COUNT(*) AS n FROM ${table} WHERE tenantId = ?`, [tenantId]))[0].n);
  /** The tenant's stored objects as files in the local storage under DATA_DIR. */
  const storedFiles = (tenantId: string) =>
    readdirSync(join(t.dataDir, 'recordings'), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && join(e.parentPath ?? e.path, e.name).includes(`tenants/${tenantId}/`))
      .map((e) => e.name);

  beforeAll(async () => {
    t = await startTestApp(db);
    vendor = await completeSetup(t, 'multi');
    plans = await createPlans(vendor);
    await ok(vendor.put('/api/v1/vendor/invoice-issuer', ISSUER), 200);
    for (const name of ['gamma', 'delta']) {
      const created = await ok(vendor.post('/api/v1/tenants', { name, products: ['flexlog'], admin: adminOf(name) }));
      ids[name] = created.tenant.id;
    }
    gamma = t.client();
    await ok(gamma.post('/api/v1/auth/login', { email: adminOf('gamma').email, password: PASSWORD }), 200);
    await ok(gamma.post('/api/v1/users', { email: 'op@gamma.example.jp', displayName: 'op', roles: ['operator'] }));
    // Two calls recorded the way a capture box sends them, so gamma has rows, objects and a data key.
    const { key } = await ok(gamma.post('/api/v1/api-keys', { name: 'capture' }));
    for (const n of [1, 2]) {
      const startedAt = `2026-06-0${n}T01:00:00.000Z`;
      expect((await uploadCall(t, key, `gamma-${n}`, audio, { startedAt })).status).toBe(201);
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  it('creates the monthly contract and fixes service and billing start from the opening test', async () => {
    const created = await ok(
      vendor.post(CONTRACTS, {
        tenantId: ids['gamma'],
        product: 'FlexLog',
        planId: plans.S,
        billingCycle: 'monthly',
        equipment: ['FL-G1', 'FL-G2'],
        appliedOn: '2026-01-05',
      }),
    );
    gammaContract = created.id;
    expect(created).toMatchObject({ serviceStartDate: null, billingStartDate: null });
    const set = await ok(
      vendor.put(`${CONTRACTS}/${gammaContract}/opening-test`, { openingTestOn: '2026-01-20' }),
      200,
    );
    // Billing starts the day after; minimum term 2026-01-21 + 3 months - 1 day.
    expect(set).toMatchObject({
      openingTestSource: 'manual',
      serviceStartDate: '2026-01-20',
      billingStartDate: '2026-01-21',
      minimumTermEndsOn: '2026-04-20',
    });
    const annual = {
      tenantId: ids['delta'],
      product: 'FlexLog',
      planId: plans.S,
      billingCycle: 'annual',
      equipment: ['FL-D1'],
      appliedOn: '2026-01-10',
      openingTestOn: '2026-01-31',
    };
    deltaContract = (await ok(vendor.post(CONTRACTS, annual))).id;
  });

  it('invoices January and February for both customers', async () => {
    const january = await issueMonth(vendor, '2026-01');
    // Delta's billing starts on 2026-02-01: nothing for it in January.
    expect(january.issued.map((i: { contractId: string }) => i.contractId)).toEqual([gammaContract]);
    // 30,000 + 01-21..01-31 floor(10,000 x 11 / 31) = 3,548; subtotal 33,548, tax 3,354, total 36,902.
    const first = await invoice(gammaContract, '2026-01');
    expect(first).toMatchObject({ customerName: 'gamma', issueDate: '2026-02-01', dueDate: '2026-02-28' });
    expect(brief(first)).toEqual({
      lines: [
        ['initialFee', 30000],
        ['usage', 3548],
      ],
      subtotal: 33548,
      tax: 3354,
      total: 36902,
    });
    await pay(first.number, '2026-02-20', 36902);

    await issueMonth(vendor, '2026-02');
    expect(brief(await invoice(gammaContract, '2026-02'))).toEqual({
      lines: [['usage', 10000]],
      subtotal: 10000,
      tax: 1000,
      total: 11000,
    });
    // Annual from the 1st: February in full (10,000 x 28 / 28), the initial fee, and 11 x 10,000 for
    // the period 2026-03-01..2027-02-28; 150,000 + tax 15,000, due at the end of March.
    const annual = await invoice(deltaContract, '2026-02');
    expect(annual.dueDate).toBe('2026-03-31');
    expect(annual.lines.find((l: Line) => l.kind === 'annualFee')).toMatchObject({
      from: '2026-03-01',
      to: '2027-02-28',
    });
    expect(brief(annual)).toEqual({
      lines: [
        ['initialFee', 30000],
        ['usage', 10000],
        ['annualFee', 110000],
      ],
      subtotal: 150000,
      tax: 15000,
      total: 165000,
    });
  });

  it('bills a monthly plan change in two prorated lines with the new initial fee', async () => {
    const change = await ok(
      vendor.post(`${CONTRACTS}/${gammaContract}/plan-changes`, { planId: plans.M, effectiveOn: '2026-03-16' }),
    );
    expect(change).toMatchObject({ kind: 'upgrade', from: 'S', to: 'M', initialFee: 10000, annualUpgradeCharge: null });
    const march = await issueMonth(vendor, '2026-03');
    expect(march.issued.map((i: { contractId: string }) => i.contractId)).toEqual([gammaContract]);
    // M's 10,000; S 03-01..03-15 floor(10,000 x 15 / 31) = 4,838; M 03-16..03-31 floor(20,000 x 16 / 31)
    // = 10,322; subtotal 25,160, tax 2,516, total 27,676.
    expect(brief(await invoice(gammaContract, '2026-03'))).toEqual({
      lines: [
        ['initialFee', 10000],
        ['usage', 4838],
        ['usage', 10322],
      ],
      subtotal: 25160,
      tax: 2516,
      total: 27676,
    });
  });

  it("carries a late payment's delay damages into the next invoice, outside the tax base", async () => {
    const february = await invoice(gammaContract, '2026-02');
    await pay(february.number, '2026-04-10', 11000);
    await pay((await invoice(gammaContract, '2026-03')).number, '2026-04-28', 27676);
    await issueMonth(vendor, '2026-04');
    const april = await invoice(gammaContract, '2026-04');
    // February's 11,000 was due 03-31 and paid 04-10: 10 days, floor(11,000 x 0.145 x 10 / 365) = 43.
    expect(brief(april)).toEqual({
      lines: [
        ['usage', 20000],
        ['lateFee', 43],
      ],
      subtotal: 20043,
      tax: 2000,
      total: 22043,
    });
    expect(april).toMatchObject({ taxableAmount: 20000, nonTaxableAmount: 43 });
    expect(april.lines[1].description).toBe('遅延損害金（2026-02分 10日遅延）');
  });

  it('previews the cancellation without saving it, then confirms it', async () => {
    const body = { requestedOn: '2026-05-12' };
    const preview = await ok(vendor.post(`${CONTRACTS}/${gammaContract}/cancellation/preview`, body), 200);
    // Requested in May: the service ends on the last day of June, after the minimum term (04-20).
    expect(preview).toMatchObject({
      serviceEndDate: '2026-06-30',
      minimumTermEndsOn: '2026-04-20',
      minimumTermAdjustment: null,
      finalInvoiceMonth: '2026-06',
      equipmentReturnDeadline: '2026-07-14',
    });
    expect(await ok(vendor.get(`${CONTRACTS}/${gammaContract}`), 200)).toMatchObject({ serviceEndDate: null });
    const confirmed = await ok(vendor.post(`${CONTRACTS}/${gammaContract}/cancellation`, body));
    expect(confirmed.contract).toMatchObject({ cancellationRequestedOn: '2026-05-12', serviceEndDate: '2026-06-30' });
  });

  it('invoices May and June up to the service end, and the annual upgrade by whole months left', async () => {
    const upgrade = await ok(
      vendor.post(`${CONTRACTS}/${deltaContract}/plan-changes`, { planId: plans.M, effectiveOn: '2026-05-10' }),
    );
    // 2026-05-10 to the period's end 2027-02-28: 9 whole months (the 10th would end 2027-03-09).
    expect(upgrade.annualUpgradeCharge).toEqual({ wholeMonthsLeft: 9, amount: 90000 });
    await issueMonth(vendor, '2026-05');
    expect(brief(await invoice(deltaContract, '2026-05'))).toEqual({
      lines: [
        ['initialFee', 10000],
        ['planChangeUpgrade', 90000],
      ],
      subtotal: 100000,
      tax: 10000,
      total: 110000,
    });
    expect(brief(await invoice(gammaContract, '2026-05')).total).toBe(22000);
    const june = await issueMonth(vendor, '2026-06');
    expect(june.issued.map((i: { contractId: string }) => i.contractId)).toEqual([gammaContract]);
    const last = await invoice(gammaContract, '2026-06');
    expect(last.lines).toMatchObject([{ kind: 'usage', from: '2026-06-01', to: '2026-06-30', amount: 20000 }]);
    // Delta's annual contract: one invoice at the start and one for the upgrade, nothing in between.
    const delta = await ok(vendor.get(`${INVOICES}?contractId=${deltaContract}`), 200);
    expect(delta.map((i: { month: string }) => i.month)).toEqual(['2026-02', '2026-05']);
  });

  it('runs contract end for gamma, whose service ended on 2026-06-30: rows, objects and data key gone', async () => {
    for (const table of GAMMA_TABLES) gammaRowsBefore[table] = await rowsOf(table, ids['gamma']);
    for (const table of GAMMA_TABLES) expect([table, gammaRowsBefore[table] > 0]).toEqual([table, true]);
    expect(gammaRowsBefore['calls']).toBe(2);
    expect(storedFiles(ids['gamma']).length).toBeGreaterThanOrEqual(2);
    gammaKeyIds = (await t.dataSource.query('SELECT id FROM tenant_keys WHERE tenantId = ?', [ids['gamma']])).map(
      (r: { id: string }) => r.id,
    );
    const deltaUsers = await rowsOf('users', ids['delta']);

    // Delta's service has not ended: its data is not deleted.
    expect((await vendor.post(`/api/v1/vendor/contract-ends/${ids['delta']}`)).status).toBe(409);
    const preview = await ok(vendor.get(`/api/v1/vendor/contract-ends/${ids['gamma']}/preview`), 200);
    expect(preview).toMatchObject({
      serviceEnded: true,
      contract: { contractId: gammaContract, serviceEndDate: '2026-06-30', equipment: ['FL-G1', 'FL-G2'] },
    });
    expect(preview.wouldDelete.rows).toMatchObject({ calls: 2, recordings: 2 });

    const job = await ok(vendor.post(`/api/v1/vendor/contract-ends/${ids['gamma']}`), 202);
    expect((await settledJob(vendor, job.id)).status).toBe('succeeded');
    for (const table of GAMMA_TABLES) expect([table, await rowsOf(table, ids['gamma'])]).toEqual([table, 0]);
    expect(storedFiles(ids['gamma'])).toEqual([]);
    const login = await t.client().post('/api/v1/auth/login', { email: adminOf('gamma').email, password: PASSWORD });
    expect(login.status).toBe(401);
    expect((await gamma.get('/api/v1/auth/me')).status).toBe(401);
    // The other customer keeps everything; the vendor keeps gamma's contract and invoices.
    expect(await rowsOf('users', ids['delta'])).toBe(deltaUsers);
    expect(await ok(vendor.get(`${INVOICES}?contractId=${gammaContract}`), 200)).toHaveLength(6);
  });

  it('issues a deletion certificate that verifies with the evidence key', async () => {
    const [record] = await ok(vendor.get('/api/v1/vendor/contract-ends'), 200);
    expect(record).toMatchObject({ tenantId: ids['gamma'], contractId: gammaContract, lastError: null });
    const doc = await vendor.get(`/api/v1/vendor/deletion-certificates/${record.certificateId}`);
    expect(doc.status).toBe(200);
    const sig = (await vendor.get(`/api/v1/vendor/deletion-certificates/${record.certificateId}/signature`)).text;
    const publicKey = (await t.client().get('/api/v1/evidence/public-key')).body.publicKeyPem;
    const check = verifyDeletionCertificate(doc.text, sig, publicKey);
    expect(check.problems).toEqual([]);
    expect(check.ok).toBe(true);
    expect(gammaKeyIds.length).toBeGreaterThan(0);
    expect(check.certificate).toMatchObject({
      tenant: { id: ids['gamma'], name: 'gamma' },
      contractId: gammaContract,
      serviceEndDate: '2026-06-30',
      destroyedKeyIds: gammaKeyIds,
    });
    expect(check.certificate?.rows).toMatchObject({ calls: 2, recordings: 2, users: gammaRowsBefore['users'] });
    expect(check.certificate?.objects['recordings'].count).toBe(2);
    const tampered = doc.text.replace('"calls": 2', '"calls": 0');
    expect(tampered).not.toBe(doc.text);
    expect(verifyDeletionCertificate(tampered, sig, publicKey).ok).toBe(false);
  });

  it('bills the late equipment return on the invoice of the month it came back', async () => {
    const overdue = await ok(vendor.get('/api/v1/vendor/equipment-returns?overdue=true'), 200);
    expect(overdue.map((r: { serialNumber: string; deadline: string }) => [r.serialNumber, r.deadline])).toEqual([
      ['FL-G1', '2026-07-14'],
      ['FL-G2', '2026-07-14'],
    ]);
    const [first, second] = overdue;
    await ok(vendor.post(`/api/v1/vendor/equipment-returns/${first.id}/returned`, { returnedOn: '2026-07-10' }), 200);
    // One device still out: the contract is not settled yet.
    expect(await ok(vendor.get(`${CONTRACTS}/${gammaContract}`), 200)).toMatchObject({ equipmentReturnedOn: null });
    await ok(vendor.post(`/api/v1/vendor/equipment-returns/${second.id}/returned`, { returnedOn: '2026-07-20' }), 200);
    expect(await ok(vendor.get(`${CONTRACTS}/${gammaContract}`), 200)).toMatchObject({
      equipmentReturnDeadline: '2026-07-14',
      equipmentReturnedOn: '2026-07-20',
    });
    await issueMonth(vendor, '2026-07');
    const july = await invoice(gammaContract, '2026-07');
    // 07-01..07-20 at M's 20,000 / 31 a day: floor(20,000 x 20 / 31) = 12,903; tax 1,290.
    expect(july.lines).toMatchObject([
      { kind: 'equipmentLateReturn', from: '2026-07-01', to: '2026-07-20', amount: 12903 },
    ]);
    expect(brief(july)).toMatchObject({ subtotal: 12903, tax: 1290, total: 14193 });
    expect((await issueMonth(vendor, '2026-08')).nothingToBill).toContain(gammaContract);
  });

  it("matches the billing simulator's result for the same contract, invoice by invoice", async () => {
    const scenario = {
      product: 'FlexLog',
      plan: { code: 'S', monthlyFee: 10000, initialFee: 30000 },
      billingCycle: 'monthly',
      openingTestCompletedOn: '2026-01-20',
      events: [
        { type: 'planChange', effectiveOn: '2026-03-16', plan: { code: 'M', monthlyFee: 20000, initialFee: 10000 } },
        { type: 'paymentReceived', invoice: '2026-02', on: '2026-04-10' },
        { type: 'cancellationRequested', on: '2026-05-12' },
        { type: 'equipmentReturned', on: '2026-07-20' },
      ],
      until: '2026-12-31',
    };
    const simulated = await ok(vendor.post('/api/v1/vendor/billing/simulate', scenario), 200);
    const stored = await ok(vendor.get(`${INVOICES}?contractId=${gammaContract}`), 200);
    expect(stored.map((i: { month: string; dueDate: string }) => [i.month, i.dueDate])).toEqual(
      simulated.invoices.map((i: { id: string; dueDate: string }) => [i.id, i.dueDate]),
    );
    expect(stored.map(brief)).toEqual(simulated.invoices.map(brief));
  });
});
