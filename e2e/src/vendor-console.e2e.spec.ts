import { expect, request as playwrightRequest, test, type Browser, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { login, shot, trackErrors, useLanguage, type ErrorTracker } from './recordings-fixtures';
import { startMultiAppliance, VENDOR_ADMIN, type MultiAppliance } from './multi-appliance';

// The vendor console on a multi-tenant appliance of its own (see multi-appliance.ts): a plan, a
// contract for a customer tenant, its opening test, a past month's invoices (PDF), a payment, the
// receivables, a quote and the dashboard. Each screen is photographed in Japanese and English.

const TENANT = { name: 'ベータ商事株式会社', email: 'admin@beta.example.jp', password: 'Kokyaku#Pass2026' };
const RAW_VENDOR_KEY = /\bvendor\.[a-zA-Z]+(\.[a-zA-Z]+)+\b/;

const tokyoToday = () =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Tokyo',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());
/** `YYYY-MM` of the month `back` months before today's (Japan). */
const monthsBack = (back: number): string => {
  const [y, m] = tokyoToday().split('-').map(Number);
  const index = y * 12 + (m - 1) - back;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
};

// The opening test two months ago on the 14th: billing from the 15th, that month's invoice due at the
// end of the next month, so overdue today whatever today is.
const BILLED_MONTH = monthsBack(2);
const OPENING_TEST = `${BILLED_MONTH}-14`;

test.describe.configure({ mode: 'serial' });

test.describe('vendor console (multi-tenant appliance)', () => {
  let appliance: MultiAppliance;
  let page: Page;
  let tracker: ErrorTracker;
  let invoiceNumber = '';

  /** A screenshot of the current screen in Japanese and English, then back to Japanese. */
  const shots = async (name: string) => {
    for (const lang of ['ja', 'en'] as const) {
      await useLanguage(page, lang);
      const text = await page.locator('body').innerText();
      expect(text.match(RAW_VENDOR_KEY)?.[0] ?? null, 'untranslated i18n key on screen').toBeNull();
      await shot(page, `${name}-${lang}`);
    }
    await useLanguage(page, 'ja');
  };
  const choose = async (testId: string, option: string | RegExp) => {
    await page.getByTestId(testId).click();
    await page.getByRole('option', { name: option }).click();
  };

  test.beforeAll(async ({ browser }: { browser: Browser }) => {
    test.setTimeout(120_000);
    appliance = await startMultiAppliance();
    const context = await browser.newContext({ baseURL: appliance.baseURL, locale: 'ja-JP' });
    page = await context.newPage();
    await login(page, VENDOR_ADMIN);
    // The customer tenant, through the existing tenants screen's API.
    const created = await page.request.post('/api/v1/tenants', {
      data: {
        name: TENANT.name,
        products: ['flexlog'],
        admin: { email: TENANT.email, displayName: 'ベータ 管理者', password: TENANT.password },
      },
    });
    expect(created.status(), await created.text()).toBe(201);
    // The customer's admin lets the vendor's support in for a while: the dashboard lists the grant.
    const customer = await playwrightRequest.newContext({ baseURL: appliance.baseURL });
    const signedIn = await customer.post('/api/v1/auth/login', {
      data: { email: TENANT.email, password: TENANT.password },
    });
    expect(signedIn.status(), await signedIn.text()).toBe(200);
    const grant = await customer.post('/api/v1/support-grants', {
      data: { scope: 'read', reason: 'お問い合わせ #1024: 録音が再生できない', expiresInHours: 24 },
    });
    expect(grant.status(), await grant.text()).toBe(201);
    await customer.dispose();
  });

  test.afterAll(async () => {
    await page?.context().close();
    await appliance?.stop();
  });

  // One page for the whole walk: each test watches it with a tracker of its own.
  test.beforeEach(() => {
    tracker = trackErrors(page);
  });

  test.afterEach(() => {
    expect(tracker.errors, 'console errors and uncaught exceptions').toEqual([]);
  });

  test('the 販売元 section lists the console for the vendor admin', async () => {
    await expect(page.getByTestId('nav-vendor-dashboard')).toBeVisible();
    await expect(page.getByTestId('nav-vendor-contract-end')).toBeVisible();
    await expect(page.getByText('販売元', { exact: true })).toBeVisible();
  });

  test('creates a plan in the catalogue', async () => {
    const savePlan = async (
      plan: Record<'code' | 'name-ja' | 'name-en' | 'capacity' | 'monthly-fee' | 'initial-fee', string>,
    ) => {
      for (const [field, value] of Object.entries(plan)) await page.getByTestId(`plan-${field}`).fill(value);
      await page.getByTestId('plan-save').click();
    };
    const S = {
      code: 'S',
      'name-ja': 'スタンダード',
      'name-en': 'Standard',
      capacity: '100',
      'monthly-fee': '10000',
      'initial-fee': '30000',
    };
    await page.getByTestId('nav-vendor-plans').click();
    await expect(page.getByTestId('plans-empty')).toBeVisible();
    await savePlan(S);
    await expect(page.getByTestId('plans-table')).toContainText('スタンダード / Standard');
    await expect(page.getByTestId('plans-table')).toContainText('¥10,000');
    // The same code again: the backend's 409 names the code field, shown under it.
    tracker.allow(/status of 409/);
    await savePlan({ ...S, 'name-ja': '重複', 'name-en': 'Duplicate' });
    await expect(page.locator('mat-error')).toContainText('plan code S is already taken');
    await savePlan({
      code: 'M',
      'name-ja': 'ミドル',
      'name-en': 'Middle',
      capacity: '500',
      'monthly-fee': '20000',
      'initial-fee': '10000',
    });
    await expect(page.getByTestId('plans-table')).toContainText('ミドル / Middle');
    await shots('vendor-plans');
  });

  test('creates a contract for the tenant and enters its opening test', async () => {
    await page.getByTestId('nav-vendor-contracts').click();
    await choose('contract-tenant', TENANT.name);
    await expect(page.getByTestId('contracts-empty')).toBeVisible();
    await choose('contract-plan', /^S/);
    await page.getByTestId('contract-equipment').fill('FL-0001');
    await page.getByTestId('contract-applied-on').fill(`${BILLED_MONTH}-01`);
    await page.getByTestId('contract-create').click();
    await expect(page).toHaveURL(/\/vendor\/contracts\/[0-9a-f-]{36}$/);
    await expect(page.getByTestId('contract-service-start')).toHaveText('—');

    await page.getByTestId('opening-test-date').fill(OPENING_TEST);
    await page.getByTestId('opening-test-save').click();
    await expect(page.getByTestId('contract-service-start')).toHaveText(OPENING_TEST);
    await expect(page.getByTestId('contract-billing-start')).toHaveText(`${BILLED_MONTH}-15`);
    // Three months from the 15th end on the 14th.
    await expect(page.getByTestId('contract-minimum-term')).toHaveText(`${monthsBack(-1)}-14`);
    await shots('vendor-contract');
  });

  test('issues the past month, downloads the PDF and records a payment', async () => {
    await page.getByTestId('nav-vendor-invoices').click();
    await page.getByTestId('issuer-name').fill('株式会社コールレコード');
    await page.getByTestId('issuer-number').fill('T1234567890123');
    await page.getByTestId('issuer-save').click();
    await expect(page.getByTestId('issuer-panel')).toContainText('T1234567890123');

    await page.getByTestId('run-month').fill(BILLED_MONTH);
    await page.getByTestId('run-submit').click();
    await expect(page.getByTestId('run-result')).toContainText('1 件発行');
    const table = page.getByTestId('invoices-table');
    await expect(table).toContainText(TENANT.name);
    invoiceNumber = (await table.locator('tbody tr td').first().innerText()).trim();
    expect(invoiceNumber).toMatch(/^INV-\d{4}-\d{6}$/);
    await expect(page.getByTestId(`invoice-status-${invoiceNumber}`)).toHaveText('期日超過');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId(`invoice-pdf-${invoiceNumber}`).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${invoiceNumber}.pdf`);
    const pdf = readFileSync(await download.path());
    expect(pdf.subarray(0, 4).toString('latin1')).toBe('%PDF');

    await page.getByTestId('payment-invoice').fill(invoiceNumber);
    await page.getByTestId('payment-amount').fill('10000');
    await page.getByTestId('payment-payer').fill('ベータショウジ（カ');
    await page.getByTestId('payment-save').click();
    await expect(page.getByText('入金を記録しました。')).toBeVisible();

    // A bank statement: one transfer recorded, one for more than is owed refused with its line.
    const csv = `date,amount,payerName,invoiceNumber\n${tokyoToday()},"1,000",ベータショウジ（カ,${invoiceNumber}\n${tokyoToday()},9999999,ベータショウジ（カ,${invoiceNumber}\n`;
    await page.getByTestId('payment-csv').fill(csv);
    await page.getByTestId('payment-import').click();
    await expect(page.getByTestId('import-summary')).toHaveText('記録 1 行、拒否 1 行');
    await expect(page.getByTestId('import-rows')).toContainText('3 行目（amount）');
    await shots('vendor-invoices');
  });

  test('shows the receivables: the rest of the invoice, overdue', async () => {
    await page.getByTestId('nav-vendor-receivables').click();
    const row = page.getByTestId('receivables-table').locator('tbody tr', { hasText: invoiceNumber });
    // 10,000 by hand + 1,000 from the bank statement
    await expect(row).toContainText('¥11,000');
    await expect(row).toContainText('日超過');
    await expect(page.getByTestId('receivables-totals')).toContainText('1');
    await shots('vendor-receivables');
  });

  test('runs a quote through the simulator', async () => {
    await page.getByTestId('nav-vendor-quote').click();
    await choose('quote-plan', /^S/);
    await page.getByTestId('quote-opening-test').fill('2026-03-14');
    await page.getByTestId('quote-until').fill('2026-05-31');
    await page.getByTestId('quote-submit').click();
    const invoices = page.getByTestId('quote-invoices');
    // billing-rules.md: 30,000 + 17/31 of 10,000 = 5,483 in March; whole months after.
    await expect(invoices).toContainText('¥5,483');
    await expect(invoices).toContainText('¥39,031');
    await expect(invoices).toContainText('2026-05');
    await shots('vendor-quote');
  });

  test('the dashboard shows the tenant, its plan and the overdue invoice', async () => {
    await page.getByTestId('nav-vendor-dashboard').click();
    await expect(page.getByTestId('vendor-tenants-table')).toContainText(TENANT.name);
    await expect(page.getByTestId('vendor-tenants-table')).toContainText('FlexLog S');
    await expect(page.getByTestId('vendor-mrr')).toHaveText('¥10,000');
    await expect(page.getByTestId('vendor-overdue')).toContainText(invoiceNumber);
    await expect(page.getByTestId('vendor-support-grants')).toContainText('お問い合わせ #1024');
    await expect(page.locator('app-dashboard-chart canvas').first()).toBeVisible();
    await shots('vendor-dashboard');
  });

  test('cancels the contract after a preview and a confirmation', async () => {
    await page.getByTestId('nav-vendor-contracts').click();
    await choose('contract-tenant', TENANT.name);
    await page.getByTestId('contract-open').first().click();
    // Asked on the 20th of the billed month: the service ended at the end of the next month, inside
    // the three-month minimum term, so the final invoice carries the adjustment.
    await page.getByTestId('cancel-date').fill(`${BILLED_MONTH}-20`);
    await page.getByTestId('cancel-preview').click();
    const preview = page.getByTestId('cancel-preview-box');
    await expect(preview).toContainText(`サービス終了日: ${monthsBack(1)}-`);
    await expect(page.getByTestId('cancel-adjustment')).toContainText(`${monthsBack(1)} 分の請求に加算`);
    await shots('vendor-cancel-preview');
    await page.getByTestId('cancel-confirm').click();
    await expect(page.getByTestId('confirm-ok')).toBeVisible();
    await shot(page, 'vendor-cancel-confirm-ja');
    await page.getByTestId('confirm-ok').click();
    await expect(page.getByTestId('cancellation-done')).toBeVisible();
    await expect(page.getByTestId('contract-service-end')).toContainText(monthsBack(1));
  });

  test('contract end deletes the data, issues the certificate and tracks the equipment', async () => {
    test.setTimeout(120_000);
    await page.getByTestId('nav-vendor-contract-end').click();
    await expect(page.getByTestId('contract-ends-empty')).toBeVisible();
    await page.getByTestId(`contract-end-preview-${TENANT.name}`).click();
    await expect(page.getByTestId('contract-end-preview')).toContainText(`${monthsBack(1)}-`);
    await expect(page.getByTestId('contract-end-preview')).toContainText('users: 1');
    await page.getByTestId('contract-end-run').click();
    await page.getByTestId('confirm-ok').click();
    const table = page.getByTestId('contract-ends-table');
    await expect(table).toContainText(TENANT.name);
    // The page reads the progress again every few seconds until the shredder is done.
    await expect(table).toContainText('完了', { timeout: 60_000 });
    const [certificate] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('certificate-json').click(),
    ]);
    const document = JSON.parse(readFileSync(await certificate.path(), 'utf8')) as { tenant: { name: string } };
    expect(document.tenant.name).toBe(TENANT.name);
    const [view] = await Promise.all([
      page.context().waitForEvent('page'),
      page.getByTestId('certificate-view').click(),
    ]);
    await expect(view.locator('body')).toContainText(TENANT.name);
    await view.close();

    // The rental box is due back 14 days after the service end; it arrives today.
    const equipment = page.getByTestId('equipment-table');
    await expect(equipment).toContainText('FL-0001');
    await shots('vendor-contract-end');
    await page.getByTestId('equipment-return-FL-0001').click();
    await expect(equipment).toContainText(tokyoToday());
  });
});
