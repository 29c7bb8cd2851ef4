import { expect, test, type Page } from '@playwright/test';
import { copyFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import {
  ADMIN,
  SCREENSHOT_DIR,
  conversationWav,
  expectNoRawKeys,
  login,
  sha256,
  shot,
  useLanguage,
  useRecordingsSeed,
} from './recordings-fixtures';

// The dashboard over the seeded calls plus two missed calls of its own: one followed up by a later
// outbound call, one still open. Its figures are checked against the search API over the same days.

test.describe.configure({ mode: 'serial' });

const EXTENSION = '288';
const FOLLOWED_UP = '+81352001001';
const OPEN = '+81352001002';

async function ingest(page: Page, id: string, meta: Record<string, unknown>, minutesAgo: number): Promise<string> {
  const audio = conversationWav(0.5, 1);
  const started = new Date(Date.now() - minutesAgo * 60_000);
  const metadata = {
    clientRecordingId: id,
    source: 'flexlog',
    extension: EXTENSION,
    startedAt: started.toISOString(),
    endedAt: new Date(started.getTime() + 500).toISOString(),
    codec: 'PCMU',
    sha256: sha256(audio),
    ...meta,
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

/** The number of calls the search API finds over the same tenant-local days. */
async function searchTotal(page: Page, query: string): Promise<number> {
  const res = await page.request.get(`/api/v1/calls?limit=1&${query}`);
  const body = await res.json();
  expect(body.total.exact).toBe(true);
  return body.total.value as number;
}

const tokyoDay = (offsetDays: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(new Date(Date.now() + offsetDays * 86_400_000));

test.describe('dashboard', () => {
  const { errors } = useRecordingsSeed();

  // The calls made here go again afterwards, so the shared seed the search specs count stays whole.
  test.afterAll(async ({ playwright, baseURL }) => {
    const api = await playwright.request.newContext({ baseURL });
    try {
      await api.post('/api/v1/auth/login', { data: { email: ADMIN.email, password: ADMIN.password } });
      const filter = { extension: EXTENSION, from: tokyoDay(-8) };
      const preview = await (await api.post('/api/v1/recordings/deletions/preview', { data: { filter } })).json();
      if (!preview.count) return;
      const started = await api.post('/api/v1/recordings/deletions', {
        data: { filter, confirmToken: preview.confirmToken },
      });
      expect(started.status(), await started.text()).toBeLessThan(300);
      await expect
        .poll(async () => (await (await api.get(`/api/v1/calls?extension=${EXTENSION}`)).json()).items.length, {
          timeout: 60_000,
        })
        .toBe(0);
    } finally {
      await api.dispose();
    }
  });

  test('charts, totals matching the search, and the missed calls to follow up (ja and en)', async ({ page }) => {
    await login(page, ADMIN);
    const missedId = await ingest(
      page,
      'e2e-dash-missed-1',
      { direction: 'inbound', caller: { number: FOLLOWED_UP }, callee: { number: EXTENSION }, disposition: 'missed' },
      50,
    );
    await ingest(
      page,
      'e2e-dash-missed-2',
      { direction: 'inbound', caller: { number: OPEN }, callee: { number: EXTENSION }, disposition: 'missed' },
      45,
    );
    await ingest(
      page,
      'e2e-dash-callback',
      {
        direction: 'outbound',
        caller: { number: EXTENSION },
        callee: { number: FOLLOWED_UP },
        answeredAt: new Date(Date.now() - 20 * 60_000).toISOString(),
        disposition: 'answered',
      },
      20,
    );

    await page.getByTestId('nav-dashboard').click();
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByTestId('dashboard-figures')).toBeVisible();
    // Seven days, so calls made shortly after midnight still fall inside.
    await page.getByTestId('range-week').click();
    const week = `from=${tokyoDay(-6)}&to=${tokyoDay(0)}`;
    const total = await searchTotal(page, week);
    const missed = await searchTotal(page, `${week}&disposition=missed`);
    expect(missed).toBeGreaterThanOrEqual(2);
    await expect(page.getByTestId('dashboard-total')).toHaveText(total.toLocaleString('en-US'));
    await expect(page.getByTestId('dashboard-missed')).toHaveText(String(missed));

    const rows = page.getByTestId('missed-row');
    await expect(rows).toHaveCount(missed);
    const followedUp = rows.filter({ hasText: '03-5200-1001' });
    const open = rows.filter({ hasText: '03-5200-1002' });
    await expect(followedUp.getByTestId('missed-called-back')).toContainText('対応済み');
    await expect(open.getByTestId('missed-waiting')).toHaveText('未対応');
    for (const chart of ['chart-calls', 'chart-lines', 'chart-extensions', 'chart-talk-time', 'chart-storage']) {
      await expect(page.getByTestId(chart).locator('canvas')).toBeVisible();
    }
    // The busiest lines are labelled by name (the seeded site's line, a carrier line), not by id.
    const lineLabels = page.getByTestId('chart-lines').locator('table');
    await expect(lineLabels).toContainText('東京本社 / 東京店');
    await expect(lineLabels).toContainText('営業1号');
    await expect(lineLabels).toContainText('拠点・回線なし');
    // The hidden table under the calls chart holds the same numbers as the bars: its missed column adds up.
    const missedCells = await page
      .getByTestId('chart-calls')
      .locator('table tr')
      .evaluateAll((trs) => trs.slice(1).map((tr) => Number(tr.querySelectorAll('td')[3]?.textContent ?? 0)));
    expect(missedCells.reduce((a, b) => a + b, 0)).toBe(missed);

    await expectNoRawKeys(page);
    await shot(page, 'dashboard-ja');
    mkdirSync(path.join(__dirname, '..', '..', 'docs', 'images'), { recursive: true });
    copyFileSync(
      path.join(SCREENSHOT_DIR, 'dashboard-ja.png'),
      path.join(__dirname, '..', '..', 'docs', 'images', 'dashboard-ja.png'),
    );
    await useLanguage(page, 'en');
    try {
      await expect(page.getByText('Missed calls to follow up')).toBeVisible();
      await expect(open.getByTestId('missed-waiting')).toHaveText('Open');
      await expectNoRawKeys(page);
      await shot(page, 'dashboard-en');
    } finally {
      await useLanguage(page, 'ja');
    }

    await followedUp.getByTestId('missed-number').click();
    await expect(page).toHaveURL(new RegExp(`/recordings/calls/${missedId}$`));
  });

  test('a failed load says so and retries', async ({ page }) => {
    await login(page, ADMIN);
    errors().allow(/500|Internal Server Error/);
    let fail = true;
    await page.route('**/api/v1/recordings/dashboard**', (route) =>
      fail ? route.fulfill({ status: 500, json: { statusCode: 500, message: 'boom' } }) : route.continue(),
    );
    await page.goto('/dashboard');
    await expect(page.getByTestId('dashboard-retry')).toBeVisible();
    fail = false;
    await page.getByTestId('dashboard-retry').click();
    await expect(page.getByTestId('dashboard-figures')).toBeVisible();
  });
});
