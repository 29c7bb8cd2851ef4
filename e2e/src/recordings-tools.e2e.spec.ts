import { expect, request as playwrightRequest, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import {
  ADMIN,
  SHARE_MAX_HOURS,
  expectNoRawKeys,
  login,
  shot,
  useLanguage,
  useRecordingsSeed,
} from './recordings-fixtures';

// The working tools around a call: notes and tags, legal hold, who listened, share links, CSV
// export with progress, saved searches, and the error state with its retry.

test.describe.configure({ mode: 'serial' });

test.describe('recordings tools', () => {
  const { seed, errors } = useRecordingsSeed();

  test('tags and notes are saved; the legal hold is set after a confirmation', async ({ page }) => {
    await login(page, ADMIN);
    await page.goto(`/recordings/calls/${seed.shortCallId}`);
    await expect(page.getByTestId('tag-要折返し')).toBeVisible();
    await page.getByTestId('tag-input').fill('クレーム');
    await page.getByTestId('tag-input').press('Enter');
    await page.getByTestId('notes-input').fill('折り返し済み。次回は担当者から連絡。');
    await page.getByTestId('notes-save').click();
    await expect(page.getByTestId('notes-save')).toBeDisabled();
    const saved = await (await page.request.get(`/api/v1/calls/${seed.shortCallId}`)).json();
    expect(saved.tags.sort()).toEqual(['クレーム', '要折返し'].sort());
    expect(saved.notes).toBe('折り返し済み。次回は担当者から連絡。');

    await page.getByTestId('hold-toggle').click();
    await expect(page.getByTestId('confirm-ok')).toBeVisible();
    await shot(page, 'recordings-hold-confirm-ja');
    await page.getByTestId('confirm-ok').click();
    await expect(page.getByTestId('call-held')).toBeVisible();
    expect((await (await page.request.get(`/api/v1/calls/${seed.shortCallId}`)).json()).legalHold).toBe(true);
    // Lift it again so the deletion tools of other specs are not held back by this call.
    await page.getByTestId('hold-toggle').click();
    await page.getByTestId('confirm-ok').click();
    await expect(page.getByTestId('call-held')).toHaveCount(0);
  });

  test('the access history lists who played and downloaded the call', async ({ page }) => {
    await login(page, ADMIN);
    await page.goto(`/recordings/calls/${seed.shortCallId}`);
    await expect(page.getByTestId('player-play')).toBeEnabled({ timeout: 20_000 });
    await page.getByTestId('player-play').click();
    await expect
      .poll(() => page.getByTestId('player-audio').evaluate((a: HTMLAudioElement) => a.currentTime))
      .toBeGreaterThan(0.2);
    await page.getByTestId('player-play').click();
    const downloaded = page.waitForEvent('download');
    await page.getByTestId('player-download').click();
    await page.getByTestId('player-download-wav').click();
    expect((await downloaded).suggestedFilename()).toBe(`call-${seed.shortCallId}.wav`);

    await page.reload();
    const log = page.getByTestId('access-log');
    await expect(log).toContainText(ADMIN.email);
    await expect(log).toContainText('再生');
    await expect(log).toContainText('ダウンロード');
    await expectNoRawKeys(page);
    await shot(page, 'recordings-call-access-ja');
  });

  test('a share link is limited by the policy and plays without signing in', async ({ page, baseURL }) => {
    await login(page, ADMIN);
    await page.goto(`/recordings/calls/${seed.shortCallId}`);
    await page.getByTestId('player-share').click();
    await expect(page.getByText(`組織の上限は ${SHARE_MAX_HOURS} 時間です。`)).toBeVisible();
    await page.getByTestId('share-hours').fill(String(SHARE_MAX_HOURS + 1));
    await page.getByTestId('share-create').click();
    await expect(page.getByText(`1〜${SHARE_MAX_HOURS} 時間で指定してください。`)).toBeVisible();
    await page.getByTestId('share-hours').fill('24');
    await page.getByTestId('share-create').click();
    const url = await page.getByTestId('share-url').inputValue();
    expect(url).toMatch(/\/api\/v1\/shared\/.+\/audio$/);
    await expectNoRawKeys(page);
    await shot(page, 'recordings-share-ja');

    const anonymous = await playwrightRequest.newContext({ baseURL });
    try {
      const res = await anonymous.get(url, { headers: { range: 'bytes=0-99' } });
      expect(res.status()).toBe(206);
      expect((await res.body()).subarray(0, 4).toString('latin1')).toBe('OggS');
    } finally {
      await anonymous.dispose();
    }
  });

  test('CSV export streams the result set with progress', async ({ page }) => {
    await login(page, ADMIN);
    await page.goto('/recordings?period=all');
    await expect(page.getByTestId('call-total')).toHaveText(`${seed.totalCalls} 件`);
    const downloaded = page.waitForEvent('download');
    await page.getByTestId('export-csv').click();
    const download = await downloaded;
    expect(download.suggestedFilename()).toMatch(/^calls-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv.charCodeAt(0), 'UTF-8 BOM for Excel').toBe(0xfeff);
    const lines = csv.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'id,startedAt,direction,caller,callerName,callee,calleeName,extension,talkSeconds,disposition,source,site,line,tags,legalHold',
    );
    expect(lines).toHaveLength(seed.totalCalls + 1);
    expect(csv).toContain('03-1234-5678');
    await expect(page.getByTestId('export-status')).toHaveAttribute('data-phase', 'done');
    await expect(page.getByTestId('export-status')).toContainText(`${seed.totalCalls} 件`);
    await shot(page, 'recordings-export-ja');
  });

  test('a saved search comes back after a reload and applies its filters', async ({ page }) => {
    await login(page, ADMIN);
    await page.goto('/recordings');
    await page.getByTestId('filter-number').fill('090-1111-2222');
    await page.getByTestId('search-submit').click();
    await expect(page.getByTestId('call-row')).toHaveCount(1);
    await page.getByTestId('saved-search-open').click();
    await page.getByTestId('saved-search-name').fill('長電話の件');
    await page.getByTestId('saved-search-save').click();
    await expect(page.getByTestId('saved-search-長電話の件')).toBeVisible();

    await page.goto('/recordings');
    await expect(page.getByTestId('call-total')).toHaveText(`${seed.totalCalls} 件`);
    await page.getByTestId('saved-search-長電話の件').click();
    await expect(page.getByTestId('filter-number')).toHaveValue('090-1111-2222');
    await expect(page.getByTestId('call-row')).toHaveCount(1);
    await expect(page.getByTestId('call-row').first()).toHaveAttribute('data-call-id', seed.longCallId);
  });

  test('a failed search says so and retries', async ({ page }) => {
    errors().allow(/500/);
    await login(page, ADMIN);
    await page.route('**/api/v1/calls?*', (route) =>
      route.fulfill({
        status: 500,
        contentType: 'application/json',
        body: '{"statusCode":500,"message":"database unavailable"}',
      }),
    );
    await page.goto('/recordings');
    await expect(page.getByTestId('search-error')).toContainText('通話を検索できませんでした。');
    await expect(page.getByTestId('search-error')).toContainText('database unavailable');
    await expectNoRawKeys(page);
    await shot(page, 'recordings-search-error-ja');
    await useLanguage(page, 'en');
    try {
      await expect(page.getByTestId('search-error')).toContainText('The search failed.');
      await shot(page, 'recordings-search-error-en');
    } finally {
      await useLanguage(page, 'ja');
    }
    await page.unroute('**/api/v1/calls?*');
    await page.getByTestId('search-retry').click();
    await expect(page.getByTestId('call-total')).toHaveText(`${seed.totalCalls} 件`);
  });
});
