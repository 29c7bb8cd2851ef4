import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import {
  ADMIN,
  OPERATOR_A,
  conversationWav,
  expectNoRawKeys,
  login,
  sha256,
  shot,
  useLanguage,
  useRecordingsSeed,
} from './recordings-fixtures';

// The admin screens over the recording store: storage usage with its capacity bar and policy,
// the deletion tool and the evidence export run to 100% as jobs, and support access grants.

test.describe.configure({ mode: 'serial' });

/** Calls of their own for the deletion tool, so the seed other specs rely on stays whole. */
const DELETION_EXTENSION = '299';
const DELETION_CALLS = 3;
const GIB = 1024 ** 3;
const AUDITOR = { email: 'storage-auditor@example.jp', name: '監査 花子', password: 'Kansa-Pass#2026' };

async function expectNoRawAdminKeys(page: Page): Promise<void> {
  await expectNoRawKeys(page);
  const text = await page.locator('body').innerText();
  expect(text.match(/\badmin\.(storage|support)\.[a-zA-Z.]+/)?.[0] ?? null, 'untranslated admin key').toBeNull();
}

/** A shot in Japanese, then the same screen in English (the language is switched back after). */
async function shotBoth(page: Page, name: string, settled: () => Promise<void>): Promise<void> {
  await expectNoRawAdminKeys(page);
  await shot(page, `${name}-ja`);
  await useLanguage(page, 'en');
  try {
    await settled();
    await expectNoRawAdminKeys(page);
    await shot(page, `${name}-en`);
  } finally {
    await useLanguage(page, 'ja');
  }
}

async function ingestForDeletion(page: Page, index: number): Promise<string> {
  const audio = conversationWav(1, 1);
  const started = new Date(Date.now() - (30 + index) * 60_000);
  const metadata = {
    clientRecordingId: `e2e-delete-${index}`,
    source: 'flexlog',
    direction: 'inbound',
    caller: { number: `+8139999000${index}` },
    callee: { number: DELETION_EXTENSION },
    extension: DELETION_EXTENSION,
    startedAt: started.toISOString(),
    answeredAt: started.toISOString(),
    endedAt: new Date(started.getTime() + 1000).toISOString(),
    disposition: 'answered',
    codec: 'PCMU',
    sha256: sha256(audio),
  };
  const res = await page.request.post('/api/v1/ingest/calls', {
    multipart: {
      metadata: JSON.stringify(metadata),
      audio: { name: 'call.wav', mimeType: 'audio/wav', buffer: audio },
    },
  });
  const body = await res.json();
  expect(res.status(), JSON.stringify(body)).toBeLessThan(300);
  return body.callId as string;
}

test.describe('admin-storage', () => {
  const { errors } = useRecordingsSeed();

  test('usage with a capacity bar, the monthly chart, and the policy form saves a capacity', async ({ page }) => {
    await login(page, ADMIN);
    await page.getByTestId('nav-storage').click();
    await expect(page).toHaveURL(/\/admin\/storage$/);
    await expect(page.getByTestId('storage-usage')).toBeVisible();
    await expect(page.getByTestId('usage-no-limit')).toBeVisible();

    // A small capacity (0.01 GB, ~10 MB) so the seeded calls fill a visible part of the bar.
    await page.getByTestId('policy-capacity').fill('0.01');
    await page.getByTestId('policy-save').click();
    const bar = page.getByTestId('usage-bar');
    await expect(bar).toBeVisible();
    expect((await (await page.request.get('/api/v1/recordings/policy')).json()).capacityBytes).toBe(
      Math.round(0.01 * GIB),
    );
    const usage = await (await page.request.get('/api/v1/recordings/usage')).json();
    expect(usage.percent).toBeGreaterThan(5);
    await expect(bar).toHaveAttribute('aria-valuenow', String(Math.min(100, usage.percent)));
    await expect(page.getByTestId('usage-forecast')).toBeVisible();
    await expect(page.locator('app-usage-chart canvas')).toBeVisible();
    await shotBoth(page, 'admin-storage', () => expect(page.getByText('Retention and capacity policy')).toBeVisible());
    // No capacity again, so the other specs' ingests are never refused.
    const reset = await page.request.patch('/api/v1/recordings/policy', { data: { capacityBytes: null } });
    expect(reset.status()).toBe(200);
  });

  test('the deletion tool previews, confirms, runs to 100% and the calls are gone from search', async ({ page }) => {
    await login(page, ADMIN);
    for (let i = 0; i < DELETION_CALLS; i++) await ingestForDeletion(page, i);
    await page.goto('/admin/storage');
    await page.getByTestId('deletion-extension').fill(DELETION_EXTENSION);
    await page.getByTestId('deletion-preview').click();
    const preview = page.getByTestId('deletion-preview-result');
    await expect(preview).toContainText(`削除対象: ${DELETION_CALLS} 件`);
    await page.getByTestId('deletion-start').click();
    await expect(page.getByTestId('confirm-ok')).toBeVisible();
    await shot(page, 'admin-storage-deletion-confirm-ja');
    await page.getByTestId('confirm-ok').click();

    const progress = page.getByTestId('deletion-progress');
    await expect(progress.locator('mat-progress-bar')).toBeVisible();
    await expect(progress).toHaveAttribute('data-status', 'succeeded', { timeout: 30_000 });
    await expect(progress.locator('mat-progress-bar')).toHaveAttribute('aria-valuenow', '100');
    await expect(page.getByTestId('deletion-done')).toContainText(`${DELETION_CALLS} 件`);
    await shotBoth(page, 'admin-storage-deletion', () =>
      expect(page.getByTestId('deletion-done')).toContainText(`Calls deleted: ${DELETION_CALLS}`),
    );

    const left = await (await page.request.get(`/api/v1/calls?extension=${DELETION_EXTENSION}`)).json();
    expect(left.total.value).toBe(0);
    await page.goto(`/recordings?period=all&extension=${DELETION_EXTENSION}`);
    await expect(page.getByTestId('search-empty')).toBeVisible();
  });

  test('an evidence export of a number runs to 100% and downloads a ZIP', async ({ page }) => {
    await login(page, ADMIN);
    await page.goto('/admin/storage');
    await page.getByTestId('export-number').fill('03-1234-5678');
    await page.getByTestId('export-start').click();
    const progress = page.getByTestId('export-progress');
    await expect(progress.locator('mat-progress-bar')).toBeVisible();
    await expect(progress).toHaveAttribute('data-status', 'succeeded', { timeout: 60_000 });
    await expect(progress.locator('mat-progress-bar')).toHaveAttribute('aria-valuenow', '100');
    await expect(page.getByTestId('export-done')).toContainText('1 件の通話');

    const downloaded = page.waitForEvent('download');
    await page.getByTestId('export-download').click();
    const zip = readFileSync(await (await downloaded).path());
    expect(zip.subarray(0, 2).toString('latin1')).toBe('PK');
    await expect(page.getByTestId('export-sha256')).toHaveText(sha256(zip));
    await expect(page.getByTestId('export-public-key')).toHaveAttribute(
      'href',
      '/api/v1/evidence/public-key?format=pem',
    );
    // The same ZIP, uploaded to the verify form, is reported intact.
    await page
      .getByTestId('verify-file')
      .setInputFiles({ name: 'export.zip', mimeType: 'application/zip', buffer: zip });
    await expect(page.getByTestId('verify-report')).toHaveAttribute('data-ok', 'true', { timeout: 30_000 });
    await shotBoth(page, 'admin-storage-export', () => expect(page.getByText('How to verify it')).toBeVisible());
  });

  test('a support grant is created and revoked', async ({ page }) => {
    await login(page, ADMIN);
    await page.getByTestId('nav-support').click();
    await expect(page).toHaveURL(/\/admin\/support$/);
    await expect(page.getByTestId('support-table')).toBeVisible();
    await page.getByTestId('support-grant').click();
    await page.getByTestId('grant-reason').fill('短い');
    await page.getByTestId('grant-hours').fill('200');
    await page.getByTestId('grant-save').click();
    await expect(page.getByText('1〜168 時間で入力してください。')).toBeVisible();
    await page.getByTestId('grant-reason').fill('問い合わせ #123 の録音停止の調査');
    await page.getByTestId('grant-hours').fill('4');
    await shot(page, 'admin-support-grant-dialog-ja');
    await page.getByTestId('grant-save').click();

    const grants = await (await page.request.get('/api/v1/support-grants')).json();
    const grant = grants.find((g: { reason: string }) => g.reason === '問い合わせ #123 の録音停止の調査');
    expect(grant?.active).toBe(true);
    await expect(page.getByTestId(`grant-state-${grant.id}`)).toHaveText('有効');
    await page.getByTestId(`grant-revoke-${grant.id}`).click();
    await page.getByTestId('confirm-ok').click();
    await expect(page.getByTestId(`grant-state-${grant.id}`)).toHaveText('取り消し済み');
    expect((await (await page.request.get('/api/v1/support-grants')).json())[0].revokedAt).toBeTruthy();
    await shotBoth(page, 'admin-support', () =>
      expect(page.getByTestId(`grant-state-${grant.id}`)).toHaveText('Revoked'),
    );
    expect(errors().errors).toEqual([]);
  });

  test("a user's extensions are edited in the users screen", async ({ page }) => {
    await login(page, ADMIN);
    await page.goto('/admin/users');
    await page.getByTestId(`user-actions-${OPERATOR_A.email}`).click();
    await page.getByTestId('user-edit').click();
    // The dialog focuses its first field once open: typing before that would land there instead.
    await expect(page.getByTestId('user-display-name')).toBeFocused();
    await page.getByTestId('user-extensions').fill('20x');
    await page.getByTestId('user-dialog-save').click();
    await expect(page.getByText('「20x」は内線番号として使えません')).toBeVisible();
    // Extensions no seeded call uses, so other specs' operator visibility stays as seeded.
    await page.getByTestId('user-extensions').fill('２９１、292 292');
    await page.getByTestId('user-dialog-save').click();
    await expect(page.getByTestId(`user-extensions-${OPERATOR_A.email}`)).toHaveText('291, 292');
    const users = await (await page.request.get('/api/v1/users')).json();
    const operator = users.find((u: { email: string }) => u.email === OPERATOR_A.email);
    expect([...operator.extensions].sort()).toEqual(['291', '292']);
    await shot(page, 'admin-users-extensions-ja');
  });

  test('an auditor reads storage and support access but changes nothing', async ({ page }) => {
    await login(page, ADMIN);
    const created = await page.request.post('/api/v1/users', {
      data: { email: AUDITOR.email, displayName: AUDITOR.name, roles: ['auditor'], password: AUDITOR.password },
    });
    expect(created.status(), await created.text()).toBe(201);
    await page.getByTestId('user-menu').click();
    await page.getByTestId('logout').click();
    await login(page, AUDITOR);
    await page.getByTestId('nav-storage').click();
    await expect(page.getByTestId('storage-usage')).toBeVisible();
    await expect(page.getByTestId('storage-read-only')).toBeVisible();
    await expect(page.getByTestId('policy-retention')).toBeDisabled();
    await expect(page.getByTestId('policy-save')).toHaveCount(0);
    await expect(page.getByTestId('deletion-preview')).toHaveCount(0);
    await page.getByTestId('nav-support').click();
    await expect(page.getByTestId('support-read-only')).toBeVisible();
    await expect(page.getByTestId('support-grant')).toHaveCount(0);
    await expect(page.getByTestId('support-table')).toContainText('取り消し済み');
    await shot(page, 'admin-support-auditor-ja');
  });
});
