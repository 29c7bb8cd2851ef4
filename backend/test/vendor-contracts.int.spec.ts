import { OpeningTest } from '../src/products/flexdplayer/opening-test/opening-test.entity';
import { RecordingUsage } from '../src/products/recordings/retention/recording-usage.entity';
import { ContractsService } from '../src/vendor/contracts/contracts.service';
import { RenewalReminders } from '../src/vendor/contracts/renewal-reminders';
import { B_ADMIN, setupTenants, Tenants } from './support/flexlog-fixtures';
import { HttpClient } from './support/http-client';
import { startSmtpProcess, subjectOf, TestSmtpServer } from './support/smtp-server-process';
import { loginAs } from './support/store-probes';
import { startTestApp, TestApp } from './support/test-app';
import { testDatabases } from './support/test-databases';
import { createPlans, ok, PLAN_S, VENDOR_ENDPOINTS } from './support/vendor-billing-fixtures';

const PLANS = '/api/v1/vendor/plans';
const CONTRACTS = '/api/v1/vendor/contracts';

describe.each(testDatabases())('vendor plans and contracts on $name', (db) => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let tenants: Tenants;
  let admin: HttpClient;
  let vendorSupport: HttpClient;
  let plans: { S: string; M: string; XS: string };

  const contract = (over: Record<string, unknown> = {}) =>
    ok(
      admin.post(CONTRACTS, {
        tenantId: tenants.otherTenantId,
        product: 'FlexLog',
        planId: plans.S,
        billingCycle: 'monthly',
        equipment: ['FL-0001'],
        appliedOn: '2026-03-01',
        ...over,
      }),
    );
  const setUsage = (usedBytes: number) =>
    t.dataSource
      .getRepository(RecordingUsage)
      .upsert({ tenantId: tenants.otherTenantId, usedBytes, countedAt: new Date() }, ['tenantId']);

  beforeAll(async () => {
    smtp = await startSmtpProcess();
    t = await startTestApp(db);
    tenants = await setupTenants(t, smtp.port);
    admin = tenants.admin;
    vendorSupport = await loginAs(t, admin, 'support@vendor.jp', ['vendorSupport']);
    plans = await createPlans(admin);
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
  });

  it('keeps a plan catalogue: unique codes, edits, retirement, and fields named on bad input', async () => {
    const dup = await admin.post(PLANS, PLAN_S);
    expect(dup.status).toBe(409);
    expect(dup.body.errors[0].field).toBe('code');
    const bad = await admin.post(PLANS, { ...PLAN_S, code: 'L', monthlyFee: -1, products: ['Fax'] });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/monthlyFee/);
    expect(bad.text).toMatch(/products/);
    const renamed = await ok(admin.patch(`${PLANS}/${plans.M}`, { nameEn: 'Medium' }), 200);
    expect(renamed).toMatchObject({
      code: 'M',
      nameEn: 'Medium',
      monthlyFee: 20000,
      products: ['FlexLog', 'FlexDPlayer'],
    });
    const temp = await ok(admin.post(PLANS, { ...PLAN_S, code: 'TMP' }));
    expect((await admin.delete(`${PLANS}/${temp.id}`)).status).toBe(204);
    expect((await admin.get(`${PLANS}/${temp.id}`)).status).toBe(404);
    const codes = (await ok(admin.get(PLANS), 200)).map((p: { code: string }) => p.code);
    expect(codes).toEqual(['M', 'S', 'XS']);
  });

  it('fixes service and billing start from the opening test, entered by hand or confirmed by the product', async () => {
    const c = await contract();
    expect(c).toMatchObject({ serviceStartDate: null, billingStartDate: null, openingTestSource: null });
    // a used plan cannot be deleted, only retired
    expect((await admin.delete(`${PLANS}/${plans.S}`)).status).toBe(409);
    const set = await ok(admin.put(`${CONTRACTS}/${c.id}/opening-test`, { openingTestOn: '2026-03-14' }), 200);
    // billing starts the day after; the minimum term is 3 months from it: 2026-03-15 + 3 months - 1 day
    expect(set).toMatchObject({
      openingTestSource: 'manual',
      serviceStartDate: '2026-03-14',
      billingStartDate: '2026-03-15',
      minimumTermEndsOn: '2026-06-14',
    });
    const badDate = await admin.put(`${CONTRACTS}/${c.id}/opening-test`, { openingTestOn: '2026-02-30' });
    expect(badDate.status).toBe(400);
    expect(badDate.body.errors[0].field).toBe('openingTestOn');

    const withEquipment = await admin.post(CONTRACTS, {
      tenantId: tenants.otherTenantId,
      product: 'FlexDPlayer',
      planId: plans.S,
      billingCycle: 'monthly',
      equipment: ['X-1'],
      appliedOn: '2026-02-01',
    });
    expect(withEquipment.status).toBe(400);
    expect(withEquipment.body.errors[0].field).toBe('equipment');
    const carrier = await contract({ product: 'FlexDPlayer', equipment: [], appliedOn: '2026-02-01' });
    // 2026-02-27 16:30 UTC is 2026-02-28 01:30 in Japan: the service starts on the 28th
    await t.dataSource.getRepository(OpeningTest).insert({
      tenantId: tenants.otherTenantId,
      product: 'flexdplayer',
      candidateAt: null,
      candidateNote: null,
      confirmedAt: new Date('2026-02-27T16:30:00Z'),
      confirmedBy: null,
    });
    expect(await ok(admin.get(`${CONTRACTS}/${carrier.id}`), 200)).toMatchObject({
      openingTestSource: 'product',
      serviceStartDate: '2026-02-28',
      billingStartDate: '2026-03-01',
      minimumTermEndsOn: '2026-05-31',
    });
  });

  it('changes plans: upgrades, annual upgrade charge, and a downgrade refused while recordings exceed its capacity', async () => {
    const c = await contract({ openingTestOn: '2026-03-14' });
    const early = await admin.post(`${CONTRACTS}/${c.id}/plan-changes`, { planId: plans.M, effectiveOn: '2026-03-15' });
    expect(early.status).toBe(400);
    expect(early.body.errors[0].field).toBe('effectiveOn');
    const up = await ok(
      admin.post(`${CONTRACTS}/${c.id}/plan-changes`, { planId: plans.M, effectiveOn: '2026-05-11' }),
    );
    expect(up).toMatchObject({ kind: 'upgrade', from: 'S', to: 'M', initialFee: 10000, annualUpgradeCharge: null });

    // XS sells 1 GB = 1,000,000,000 bytes; 1,500,000,000 are stored: 500,000,000 must go first
    await setUsage(1_500_000_000);
    const down = await admin.post(`${CONTRACTS}/${c.id}/plan-changes`, { planId: plans.XS, effectiveOn: '2026-08-01' });
    expect(down.status).toBe(400);
    expect(down.body.errors[0].field).toBe('planId');
    expect(down.body.errors[0].message).toContain('delete at least 500,000,000 bytes');
    expect(down.body).toMatchObject({ usedBytes: 1_500_000_000, bytesToDelete: 500_000_000 });
    await setUsage(900_000_000);
    const fits = await ok(
      admin.post(`${CONTRACTS}/${c.id}/plan-changes`, { planId: plans.XS, effectiveOn: '2026-08-01' }),
    );
    expect(fits).toMatchObject({ kind: 'downgrade', from: 'M', to: 'XS' });
    expect(fits.contract.planChanges.map((p: { code: string }) => p.code)).toEqual(['M', 'XS']);

    // Annual, billing start 2025-11-11, period 2025-12-01..2026-11-30. Upgrade on 2026-03-15: whole months
    // 03-15..04-14, ..05-14, ..06-14, ..07-14, ..08-14, ..09-14, ..10-14, ..11-14 = 8 (11-15..11-30 is cut);
    // 8 x (20,000 - 10,000) = 80,000.
    const annual = await contract({ billingCycle: 'annual', appliedOn: '2025-11-01', openingTestOn: '2025-11-10' });
    const annualUp = await ok(
      admin.post(`${CONTRACTS}/${annual.id}/plan-changes`, { planId: plans.M, effectiveOn: '2026-03-15' }),
    );
    expect(annualUp.annualUpgradeCharge).toEqual({ wholeMonthsLeft: 8, amount: 80000 });
  });

  it('previews a cancellation (service end, minimum-term adjustment) without saving it, then confirms it', async () => {
    const c = await contract({ appliedOn: '2026-08-01', openingTestOn: '2026-08-20', equipment: ['FL-7', 'FL-8'] });
    // Billing start 2026-08-21, minimum term to 2026-11-20. Request on 08-25: service ends 09-30.
    // Usage billed: August 21..31 = floor(10,000 x 11 / 31) = 3,548, September 10,000 -> 13,548.
    // Adjustment on the final (September) invoice: 3 x 10,000 - 13,548 = 16,452.
    const expected = {
      requestedOn: '2026-08-25',
      serviceEndDate: '2026-09-30',
      minimumTermEndsOn: '2026-11-20',
      minimumTermAdjustment: { invoiceMonth: '2026-09', monthlyFee: 10000, usageBilled: 13548, amount: 16452 },
      finalInvoiceMonth: '2026-09',
      equipmentReturnDeadline: '2026-10-14',
      annualRefund: null,
    };
    const preview = await ok(
      admin.post(`${CONTRACTS}/${c.id}/cancellation/preview`, { requestedOn: '2026-08-25' }),
      200,
    );
    expect(preview).toEqual(expected);
    expect(await ok(admin.get(`${CONTRACTS}/${c.id}`), 200)).toMatchObject({
      serviceEndDate: null,
      cancellationRequestedOn: null,
    });
    const early = await admin.post(`${CONTRACTS}/${c.id}/cancellation/preview`, { requestedOn: '2026-08-19' });
    expect(early.status).toBe(400);
    expect(early.body.errors[0]).toMatchObject({ field: 'requestedOn' });

    const confirmed = await ok(admin.post(`${CONTRACTS}/${c.id}/cancellation`, { requestedOn: '2026-08-25' }));
    expect(confirmed).toMatchObject(expected);
    expect(confirmed.contract).toMatchObject({ serviceEndDate: '2026-09-30', cancellationRequestedOn: '2026-08-25' });
    const again = await admin.post(`${CONTRACTS}/${c.id}/cancellation`, { requestedOn: '2026-08-26' });
    expect(again.status).toBe(400);
    expect(again.body.errors[0].field).toBe('requestedOn');

    // contract end asks which contracts had ended before a given day
    const contracts = t.app.get(ContractsService);
    expect((await contracts.endedOn('2026-09-30')).map((e) => e.contractId)).not.toContain(c.id);
    expect(await contracts.endedOn('2026-10-01')).toContainEqual({
      tenantId: tenants.otherTenantId,
      contractId: c.id,
      serviceEndDate: '2026-09-30',
      equipment: ['FL-7', 'FL-8'],
    });
  });

  it('mails the tenant admins a month before an annual renewal, once per renewal', async () => {
    const c = await contract({ billingCycle: 'annual', appliedOn: '2025-10-01', openingTestOn: '2025-10-20' });
    // billing start 2025-10-21; first period 2025-11-01..2026-10-31; the renewal on 2026-11-01 is confirmed from 2026-10-01
    const reminders = t.app.get(RenewalReminders);
    const contracts = t.app.get(ContractsService);
    const view = await contracts.view(c.id, '2026-09-15');
    expect(view.nextRenewal).toEqual({ periodStart: '2026-11-01', periodEnd: '2027-10-31', remindOn: '2026-10-01' });
    const mine = (sent: Array<{ contractId: string }>) => sent.filter((s) => s.contractId === c.id);
    expect(mine(await reminders.sendDue(await contracts.allStarted(), '2026-09-30'))).toEqual([]);
    const sent = mine(await reminders.sendDue(await contracts.allStarted(), '2026-10-02'));
    expect(sent).toEqual([{ contractId: c.id, periodStart: '2026-11-01', mailed: [B_ADMIN.email], failed: [] }]);
    const mail = await smtp.waitFor((m) => m.to.includes(B_ADMIN.email) && subjectOf(m.raw).includes('2026-11-01'));
    expect(subjectOf(mail.raw)).toContain('年間契約更新のご案内');
    expect(mine(await reminders.sendDue(await contracts.allStarted(), '2026-10-03'))).toEqual([]);
    const mailsToB = smtp.received.filter(
      (m) => m.to.includes(B_ADMIN.email) && subjectOf(m.raw).includes('2026-11-01'),
    );
    expect(mailsToB).toHaveLength(1);
  });

  it('is for vendor staff only: tenant users get 403 everywhere, support staff may only read', async () => {
    const c = await contract();
    const ids = { plan: plans.XS, contract: c.id, invoice: '00000000-0000-4000-8000-000000000000' };
    for (const user of [tenants.other, tenants.supervisor, tenants.operator]) {
      for (const [method, path, body] of VENDOR_ENDPOINTS(ids)) {
        const res = await user.request(method, path, body);
        expect(`${method} ${path} ${res.status}`).toBe(`${method} ${path} 403`);
      }
    }
    for (const [method, path, body] of VENDOR_ENDPOINTS(ids)) {
      const res = await vendorSupport.request(method, path, body);
      if (method === 'GET') expect(`${path} ${res.status}`).toMatch(new RegExp(`^${path} (200|404)$`));
      else expect(`${method} ${path} ${res.status}`).toBe(`${method} ${path} 403`);
    }
  });
});
