import { SiteHealth } from '../src/products/flexlog/health/site-health.entity';
import { RecordingUsage } from '../src/products/recordings/retention/recording-usage.entity';
import { heartbeat, postHeartbeat, setupTenants, siteWithKey, Tenants } from './support/flexlog-fixtures';
import { startTestApp, TestApp } from './support/test-app';
import { testDatabases } from './support/test-databases';
import { createPlans, ISSUER, issueMonth, ok } from './support/vendor-billing-fixtures';

const CONTRACTS = '/api/v1/vendor/contracts';
const DASHBOARD = '/api/v1/vendor/dashboard';
const SUPPORT_ACCESS = '/api/v1/vendor/support-access';

/**
 * The vendor dashboard on a small book: tenant Beta with a monthly FlexLog contract on S (10,000 yen,
 * 100 GB) and an annual FlexDPlayer contract on M (20,000 yen, 500 GB), both running; one pending
 * contract (no opening test) that sells nothing yet; an unpaid invoice long overdue; one offline site.
 */
describe.each(testDatabases())('vendor dashboard on $name', (db) => {
  let t: TestApp;
  let tenants: Tenants;

  beforeAll(async () => {
    t = await startTestApp(db);
    tenants = await setupTenants(t);
    const { admin, otherTenantId: tenantId } = tenants;
    const plans = await createPlans(admin);
    const base = { tenantId, appliedOn: '2026-01-05', equipment: [] };
    await ok(
      admin.post(CONTRACTS, {
        ...base,
        product: 'FlexLog',
        planId: plans.S,
        billingCycle: 'monthly',
        openingTestOn: '2026-01-09',
      }),
    );
    await ok(
      admin.post(CONTRACTS, {
        ...base,
        product: 'FlexDPlayer',
        planId: plans.M,
        billingCycle: 'annual',
        openingTestOn: '2026-01-20',
      }),
    );
    await ok(admin.post(CONTRACTS, { ...base, product: 'FlexLog', planId: plans.XS, billingCycle: 'monthly' }));
    await ok(admin.put('/api/v1/vendor/invoice-issuer', ISSUER), 200);
    // January: both contracts billed, due 2026-02-28, never paid: overdue ever since.
    await issueMonth(admin, '2026-01');
    await t.dataSource
      .getRepository(RecordingUsage)
      .upsert({ tenantId, usedBytes: 123_000_000_000, countedAt: new Date() }, ['tenantId']);

    const quiet = await siteWithKey(tenants.other, { name: '大阪支店', offlineAfterSeconds: 60 });
    const alive = await siteWithKey(tenants.other, { name: '東京本社' });
    expect((await postHeartbeat(t, quiet.key, heartbeat())).status).toBe(200);
    expect((await postHeartbeat(t, alive.key, heartbeat())).status).toBe(200);
    // The Osaka box last reported ten minutes ago: past its 60 s offline threshold.
    await t.dataSource
      .getRepository(SiteHealth)
      .update({ siteId: quiet.site.id }, { lastSeenAt: new Date(Date.now() - 600_000) });
    await ok(
      tenants.other.post('/api/v1/support-grants', {
        scope: 'read',
        reason: 'チケット #42: 再生の調査',
        expiresInHours: 2,
      }),
    );
    const revoked = await ok(
      tenants.other.post('/api/v1/support-grants', { scope: 'admin', reason: '設定の確認 #43', expiresInHours: 1 }),
    );
    await ok(tenants.other.delete(`/api/v1/support-grants/${revoked.id}`), 200);
  });
  afterAll(() => t?.close());

  it('counts contracts by product and plan, MRR, storage, offline sites and overdue invoices', async () => {
    const d = await ok(tenants.admin.get(DASHBOARD), 200);
    expect(d.tenantCount).toBe(1);
    expect(d.byProductAndPlan).toEqual([
      { product: 'FlexDPlayer', planCode: 'M', contracts: 1, tenants: 1 },
      { product: 'FlexLog', planCode: 'S', contracts: 1, tenants: 1 },
      { product: 'FlexLog', planCode: 'XS', contracts: 1, tenants: 1 },
    ]);
    // monthly S 10,000 + annual M: 11 x 20,000 / 12 = 18,333.33 -> 18,333; the pending XS adds nothing
    expect(d.monthlyRecurringRevenue).toBe(28_333);
    // sold: 100 GB + 500 GB of the running contracts
    expect(d.storage).toEqual({ usedBytes: 123_000_000_000, soldBytes: 600_000_000_000 });
    expect(d.sitesOffline).toHaveLength(1);
    expect(d.sitesOffline[0]).toMatchObject({ tenantName: 'Beta', siteName: '大阪支店' });
    // January's two first invoices (S monthly; M annual with its first year), due 2026-02-28, unpaid.
    expect(d.overdue.count).toBe(2);
    expect(d.overdue.invoices.every((i: { daysLate: number }) => i.daysLate > 0)).toBe(true);
    const beta = d.tenants[0];
    expect(beta).toMatchObject({ name: 'Beta', sitesOffline: 1, overdueInvoices: 2, usedBytes: 123_000_000_000 });
    expect(beta.overdueOutstanding).toBe(d.overdue.outstanding);
    expect(beta.contracts.map((c: { planCode: string; state: string }) => `${c.planCode}:${c.state}`).sort()).toEqual([
      'M:running',
      'S:running',
      'XS:pending',
    ]);
  });

  it('lists the support grants in force across tenants, not the revoked one', async () => {
    const grants = await ok(tenants.admin.get(SUPPORT_ACCESS), 200);
    expect(grants).toHaveLength(1);
    expect(grants[0]).toMatchObject({
      tenantName: 'Beta',
      scope: 'read',
      reason: 'チケット #42: 再生の調査',
      grantee: null,
      grantedBy: 'admin@beta.example.jp',
    });
  });

  it('answers 403 to every tenant user, the vendor tenant included', async () => {
    for (const user of [tenants.other, tenants.supervisor, tenants.auditor, tenants.operator])
      for (const path of [DASHBOARD, SUPPORT_ACCESS])
        expect([path, (await user.get(path)).status]).toEqual([path, 403]);
  });
});
