import { expect, test, type Page } from '@playwright/test';
import { ADMIN, expectNoRawKeys, login, shot, useLanguage, useRecordingsSeed } from './recordings-fixtures';

// Two admin screens: FlexLog sites with their live capture status and site API keys (a heartbeat
// sent with the site's key turns the site online on screen), and the audit log viewer with its
// filters and the hash-chain verification.

test.describe.configure({ mode: 'serial' });

const SITE = '大阪支店 e2e';
const AUDITOR = { email: 'sites-auditor@example.jp', name: '監査 次郎', password: 'Kansa-Pass#2026b' };
const KEY_NAME = '2F キャプチャ装置';
const MIB = 1024 ** 2;
const HEARTBEAT = {
  packetsPerSecond: 1234,
  kernelDrops: 5,
  interfaceDrops: 2,
  activeCalls: 3,
  spoolBytes: 50 * MIB,
  spoolCapacityBytes: 200 * MIB,
  version: '1.4.0',
  uptimeSeconds: 3600,
  pendingUploads: 0,
};

/**
 * No untranslated key on screen. The audit table's action codes are data that can look like keys
 * (`recordings.deleted`), so the audit screen is checked while it shows flexlog.* actions only.
 */
async function expectNoRawScreenKeys(page: Page): Promise<void> {
  await expectNoRawKeys(page);
  const text = await page.locator('body').innerText();
  expect(text.match(/\badmin\.flexlogSites\.[a-zA-Z.]+/)?.[0] ?? null, 'untranslated key').toBeNull();
}

/** A shot in Japanese, then the same screen in English (switched back after). */
async function shotBoth(page: Page, name: string, settled: () => Promise<void>): Promise<void> {
  await shot(page, `${name}-ja`);
  await useLanguage(page, 'en');
  try {
    await settled();
    await shot(page, `${name}-en`);
  } finally {
    await useLanguage(page, 'ja');
  }
}

async function sendHeartbeat(page: Page, key: string, body: Record<string, unknown>): Promise<number> {
  // Node's fetch, not the page's request context: the capture box has no session cookie, only its key.
  const res = await fetch(new URL('/api/v1/flexlog/heartbeat', page.url()), {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return res.status;
}

test.describe('admin-flexlog-audit', () => {
  const { errors } = useRecordingsSeed();
  let apiKey = '';

  test('creates a site, shows field errors, makes a key and goes online on its heartbeat', async ({ page }) => {
    await login(page, ADMIN);
    await page.getByTestId('nav-flexlog-sites').click();
    await expect(page).toHaveURL(/\/admin\/flexlog-sites$/);
    await expect(page.getByTestId('sites-table')).toBeVisible();

    await page.getByTestId('site-create').click();
    // The dialog puts the cursor in the name once it has opened (typing before that would land there too).
    await expect(page.getByTestId('site-name')).toBeFocused();
    await page.getByTestId('site-name').fill(SITE);
    await page.getByTestId('site-location').fill('大阪府大阪市北区 5F');
    await page.getByTestId('site-networks').fill('192.168.10.0/24\n10.0.0.0/33');
    await page.getByTestId('site-extensions').fill('200-299, 3xxx');
    await page.getByTestId('site-line-add').click();
    await page.getByTestId('site-line-name-0').fill('大阪代表');
    await page.getByTestId('site-line-numbers-0').fill('06-1234-5678');
    errors().allow(/status of 400/);
    await page.getByTestId('site-save').click();
    // The API names `internalNetworks[1]`; the error shows under the networks field.
    const networksField = page.locator('mat-form-field', { has: page.getByTestId('site-networks') });
    await expect(networksField.locator('mat-error')).toContainText('10.0.0.0/33');
    await expectNoRawScreenKeys(page);
    await shot(page, 'flexlog-site-form-error-ja');
    await page.getByTestId('site-networks').fill('192.168.10.0/24\n10.0.0.0/8');
    await page.getByTestId('site-save').click();
    await expect(page.locator('mat-dialog-container')).toHaveCount(0);

    const row = page.getByTestId(`site-row-${SITE}`);
    await expect(row).toBeVisible();
    await expect(page.getByTestId(`site-state-${SITE}`)).toHaveText('未接続');

    await page.getByTestId(`site-keys-${SITE}`).click();
    await expect(page.getByTestId('site-keys-empty')).toBeVisible();
    await expect(page.getByTestId('site-key-name')).toBeFocused();
    await page.getByTestId('site-key-name').fill(KEY_NAME);
    await page.getByTestId('site-key-create').click();
    await expect(page.getByTestId('site-key-created')).toBeVisible();
    apiKey = (await page.getByTestId('secret-value').innerText()).trim();
    expect(apiKey).toMatch(/^ak_/);
    await expect(page.getByTestId(`site-key-row-${KEY_NAME}`)).toBeVisible();
    await expectNoRawScreenKeys(page);
    await shot(page, 'flexlog-site-key-ja');
    await page.getByTestId('site-keys-close').click();

    const lastUploadAt = new Date(Date.now() - 90_000).toISOString();
    expect(await sendHeartbeat(page, apiKey, { ...HEARTBEAT, lastUploadAt })).toBe(200);
    // No reload: the page polls the status.
    await expect(page.getByTestId(`site-state-${SITE}`)).toHaveText('オンライン', { timeout: 15_000 });
    await expect(page.getByTestId(`site-pps-${SITE}`)).toHaveText('1,234');
    await expect(page.getByTestId(`site-calls-${SITE}`)).toHaveText('3');
    await expect(page.getByTestId(`site-drops-${SITE}`)).toContainText('5 / 2');
    await expect(page.getByTestId(`site-spool-${SITE}`)).toContainText('50.0 MB');
    await expect(page.getByTestId(`site-spool-${SITE}`).getByRole('meter')).toHaveAttribute('aria-valuenow', '25');
    await expect(page.getByTestId(`site-upload-${SITE}`)).not.toHaveText('—');
    await expect(page.getByTestId(`site-last-seen-${SITE}`)).toContainText('秒前');
    await expectNoRawScreenKeys(page);
    await shotBoth(page, 'flexlog-sites', async () => {
      await expect(page.getByTestId(`site-state-${SITE}`)).toHaveText('Online');
      await expectNoRawScreenKeys(page);
    });
  });

  test('an auditor sees the sites and their keys but cannot change them', async ({ page }) => {
    await login(page, ADMIN);
    const made = await page.request.post('/api/v1/users', {
      data: { email: AUDITOR.email, displayName: AUDITOR.name, roles: ['auditor'], password: AUDITOR.password },
    });
    expect(made.status(), await made.text()).toBe(201);
    await page.getByTestId('user-menu').click();
    await page.getByTestId('logout').click();
    await login(page, AUDITOR);
    await page.getByTestId('nav-flexlog-sites').click();
    await expect(page.getByTestId('sites-read-only')).toBeVisible();
    await expect(page.getByTestId(`site-state-${SITE}`)).toBeVisible();
    await expect(page.getByTestId('site-create')).toHaveCount(0);
    await expect(page.getByTestId(`site-edit-${SITE}`)).toHaveCount(0);
    await page.getByTestId(`site-keys-${SITE}`).click();
    await expect(page.getByTestId(`site-key-row-${KEY_NAME}`)).toBeVisible();
    await expect(page.getByTestId(`site-key-revoke-${KEY_NAME}`)).toHaveCount(0);
    await expect(page.getByTestId('site-key-create')).toHaveCount(0);
  });

  test('revokes the site key after a confirmation; the capture box is refused from then on', async ({ page }) => {
    expect(apiKey, 'the previous test made the key').toMatch(/^ak_/);
    await login(page, ADMIN);
    await page.getByTestId('nav-flexlog-sites').click();
    await page.getByTestId(`site-keys-${SITE}`).click();
    await page.getByTestId(`site-key-revoke-${KEY_NAME}`).click();
    await expect(page.locator('mat-dialog-container').last()).toContainText(KEY_NAME);
    await page.getByTestId('confirm-ok').click();
    await expect(page.getByTestId('site-keys-empty')).toBeVisible();
    await page.getByTestId('site-keys-close').click();
    expect(await sendHeartbeat(page, apiKey, HEARTBEAT)).toBe(401);
  });

  test('filters the audit log and shows the chain verification', async ({ page }) => {
    await login(page, ADMIN);
    await page.getByTestId('nav-audit').click();
    await expect(page).toHaveURL(/\/admin\/audit$/);
    const verify = page.getByTestId('audit-verify');
    await expect(verify).toContainText('正常');
    await expect(verify).toContainText(/\d+ 件を検証/);

    await page.getByTestId('audit-filter-action').fill('flexlog.*');
    await page.getByTestId('audit-filter-actor').fill(ADMIN.email.toUpperCase());
    await page.getByTestId('audit-filter-action').press('Enter');
    const table = page.getByTestId('audit-table');
    await expect(table).toContainText('flexlog.site.created');
    const actions = await table.locator('td.mat-column-action').allInnerTexts();
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.every((a) => a.startsWith('flexlog.'))).toBe(true);

    // The key's audit trail: filter on its target from a row of the apiKey actions.
    await page.getByTestId('audit-filter-action').fill('apiKey.*');
    await page.getByTestId('audit-search').click();
    await expect(table).toContainText('apiKey.revoked');
    await table
      .locator('tr', { hasText: 'apiKey.revoked' })
      .first()
      .locator('td.mat-column-target button.target-link')
      .click();
    await expect(table.locator('td.mat-column-action')).toHaveText(['apiKey.revoked', 'apiKey.created']);
    await table.locator('details summary').first().click();
    await expect(table.locator('details pre').first()).toContainText(KEY_NAME);

    await page.getByTestId('audit-filter-action').fill('no.such.action');
    await page.getByTestId('audit-search').click();
    await expect(page.getByTestId('audit-empty')).toBeVisible();
    await page.getByTestId('audit-filter-action').fill('flexlog.*');
    await page.getByTestId('audit-filter-target').fill('');
    await page.getByTestId('audit-search').click();
    await expect(table).toContainText('flexlog.site.created');
    await expectNoRawScreenKeys(page);
    await shotBoth(page, 'audit', async () => {
      await expect(verify).toContainText('OK');
    });
  });
});
