import { expect, request as playwrightRequest, test, type APIRequestContext, type Page } from '@playwright/test';
import { addApplianceProduct, setApplianceProducts } from './appliance-products';
import {
  ADMIN,
  OPERATOR_A,
  conversationWav,
  expectNoRawKeys,
  login,
  shot,
  useLanguage,
  useRecordingsSeed,
} from './recordings-fixtures';

// FlexDPlayer's screens end to end: a push connector made in the UI, recordings pushed with its
// token (one of a known line, one of an unknown number, one corrupt), the quarantine released by a
// new line, the failed file with its reason, the mapping profile tester and the opening test.

test.describe.configure({ mode: 'serial' });

const KNOWN_LINE = '090-1234-5678';
const KNOWN = '09012345678_0312345678_20261124093000_out';
const UNKNOWN = '08055556666_0667778888_20261124094500_in';
const CORRUPT = '09012345678_0311112222_20261124100000_in';

/** A sidecar as the default profile reads it (docs/flexdplayer.md): a header row and a value row. */
function sidecarCsv(own: string, other: string, direction: string, start: string, seconds: number, callId: string) {
  return `own_number,other_number,direction,start_time,duration,call_id\n${own},${other},${direction},${start},${seconds},${callId}\n`;
}

async function push(baseURL: string, connectorId: string, token: string, name: string, audio: Buffer, csv?: string) {
  const form = new FormData();
  form.append('audio', new Blob([new Uint8Array(audio)], { type: 'audio/wav' }), `${name}.wav`);
  if (csv) form.append('metadata', new Blob([csv], { type: 'text/csv' }), `${name}.csv`);
  const res = await fetch(`${baseURL}/api/v1/flexdplayer/push/${connectorId}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  return { status: res.status, body: (await res.json()) as { status: string; reason: string | null; fileId: string } };
}

/** The calls this spec imported are deleted again: the recordings specs count the seeded calls. */
async function deleteImportedCalls(api: APIRequestContext): Promise<void> {
  const filter = { source: 'flexdplayer' };
  const preview = await api.post('/api/v1/recordings/deletions/preview', { data: { filter } });
  expect(preview.status(), await preview.text()).toBe(200);
  const { confirmToken, count } = (await preview.json()) as { confirmToken: string; count: number };
  if (!count) return;
  const started = await api.post('/api/v1/recordings/deletions', { data: { filter, confirmToken } });
  expect(started.ok(), await started.text()).toBe(true);
  const job = (await started.json()) as { id: string };
  await expect
    .poll(async () => ((await (await api.get(`/api/v1/jobs/${job.id}`)).json()) as { status: string }).status, {
      timeout: 60_000,
    })
    .toBe('succeeded');
}

async function openTab(page: Page, tab: 'connectors' | 'profiles' | 'lines' | 'files'): Promise<void> {
  await page.getByTestId(`flexd-tab-${tab}`).click();
  await expect(page).toHaveURL(new RegExp(`/flexdplayer/${tab}$`));
}

test.describe('FlexDPlayer', () => {
  const { errors } = useRecordingsSeed();
  const state = { connectorId: '', token: '', products: [] as string[] };

  test.beforeAll(() => {
    state.products = addApplianceProduct('flexdplayer');
  });

  test.afterAll(async ({ baseURL }) => {
    const api = await playwrightRequest.newContext({ baseURL });
    try {
      const res = await api.post('/api/v1/auth/login', { data: { email: ADMIN.email, password: ADMIN.password } });
      expect(res.status()).toBe(200);
      await deleteImportedCalls(api);
    } finally {
      await api.dispose();
      setApplianceProducts(() => state.products);
    }
  });

  test('an https-push connector is created and its token shown once; a line is added', async ({ page }) => {
    await login(page, ADMIN);
    await useLanguage(page, 'ja');
    await page.getByTestId('nav-flexdplayer-settings').click();
    await expect(page).toHaveURL(/\/flexdplayer\/connectors$/);
    await expect(page.getByTestId('flexd-opening-state')).toHaveText('受信待ち');
    await expect(page.getByTestId('connectors-empty')).toBeVisible();

    await page.getByTestId('connector-create').click();
    await page.getByTestId('connector-save').click();
    // Required name, checked before the server is asked.
    await expect(page.locator('mat-error')).toContainText('入力してください');
    await page.getByTestId('connector-name').fill('ドコモ ビジネス通話録音');
    await shot(page, 'flexdplayer-connector-form-ja');
    await page.getByTestId('connector-save').click();
    const token = page.getByTestId('detail-push-token');
    await expect(token).toHaveText(/\S{20,}/);
    state.token = (await token.textContent())?.trim() ?? '';
    const url = (await page.getByTestId('detail-push-url').textContent())?.trim() ?? '';
    state.connectorId = url.split('/').pop() ?? '';
    expect(url).toMatch(/\/api\/v1\/flexdplayer\/push\/[0-9a-f-]{36}$/);
    await expect(page.getByTestId('detail-push-token-copy')).toBeVisible();
    await expectNoRawKeys(page);
    await shot(page, 'flexdplayer-connector-token-ja');
    await page.getByTestId('connector-details-close').click();
    await expect(page.getByTestId(`connector-row-${state.connectorId}`)).toContainText('HTTPS プッシュ');
    // The token is not shown again: the list has no trace of it.
    await expect(page.locator('body')).not.toContainText(state.token);

    await openTab(page, 'lines');
    await page.getByTestId('line-create').click();
    // The server's 400 names the field; the browser logs the response as an error.
    errors().allow(/status of 400/);
    await page.getByTestId('line-number').fill('abc');
    await page.getByTestId('line-save').click();
    await expect(page.locator('mat-error')).toContainText('abc is not a phone number');
    // Full-width digits and hyphens, as people type them.
    await page.getByTestId('line-number').fill('０９０－１２３４－５６７８');
    await page.getByTestId('line-label').fill('営業 山田');
    await page.getByTestId('line-save').click();
    await expect(page.getByTestId('lines-table')).toContainText(KNOWN_LINE);
    await expect(page.getByTestId('lines-table')).toContainText('営業 山田');

    // The line's calls become a user's: chosen from the users API.
    const row = page.getByTestId('lines-table').locator('tr', { hasText: KNOWN_LINE });
    await row.getByRole('button', { name: '編集' }).click();
    await expect(page.getByTestId('line-number')).toBeDisabled();
    await page.getByTestId('line-user').click();
    await page.getByRole('option', { name: new RegExp(OPERATOR_A.name) }).click();
    await page.getByTestId('line-save').click();
    await expect(row).toContainText(OPERATOR_A.name);
  });

  test('pushed files: imported, quarantined until a new line, and a corrupt one failed with its reason', async ({
    page,
    baseURL,
  }) => {
    const audio = conversationWav(3, 1);
    const known = await push(
      baseURL as string,
      state.connectorId,
      state.token,
      KNOWN,
      audio,
      sidecarCsv('090-1234-5678', '03-1234-5678', '発信', '2026/11/24 09:30:00', 3, 'docomo-e2e-1'),
    );
    expect(known.status, JSON.stringify(known.body)).toBe(201);
    const unknown = await push(
      baseURL as string,
      state.connectorId,
      state.token,
      UNKNOWN,
      conversationWav(2, 1),
      sidecarCsv('080-5555-6666', '06-6777-8888', '着信', '2026/11/24 09:45:00', 2, 'docomo-e2e-2'),
    );
    expect(unknown.status, JSON.stringify(unknown.body)).toBe(202);
    expect(unknown.body.status).toBe('quarantined');
    const corrupt = Buffer.concat([Buffer.from('RIFF\x10\x00\x00\x00WAVEjunk', 'latin1'), Buffer.alloc(64, 7)]);
    const failed = await push(baseURL as string, state.connectorId, state.token, CORRUPT, corrupt);
    expect(failed.status, JSON.stringify(failed.body)).toBe(422);

    await login(page, ADMIN);
    await useLanguage(page, 'ja');
    await page.goto('/flexdplayer/files');
    await expect(page.getByTestId('files-quarantined')).toContainText(`${UNKNOWN}.wav`);
    await expect(page.getByTestId('files-quarantined')).toContainText('080-5555-6666');
    await expect(page.getByTestId(`file-reason-${failed.body.fileId}`)).not.toBeEmpty();
    await expect(page.getByTestId(`file-retry-${failed.body.fileId}`)).toBeVisible();
    await expect(page.getByTestId('files-imported')).toContainText(`${KNOWN}.wav`);
    await expectNoRawKeys(page);
    await shot(page, 'flexdplayer-files-ja');

    // Retrying the corrupt file fails again, with the same kind of reason shown.
    await page.getByTestId(`file-retry-${failed.body.fileId}`).click();
    await expect(page.getByTestId('file-outcome')).toContainText('取り込めませんでした');

    await page.getByTestId(`file-assign-${unknown.body.fileId}`).click();
    await expect(page.getByTestId('assign-line')).toBeVisible();
    await shot(page, 'flexdplayer-assign-ja');
    await page.getByTestId('assign-new-line').click();
    await expect(page.getByTestId('line-number')).toHaveValue('+818055556666');
    await page.getByTestId('line-label').fill('営業 佐藤');
    await page.getByTestId('line-save').click();
    await expect(page.getByTestId('files-empty-quarantined')).toBeVisible();
    await expect(page.getByTestId('files-imported')).toContainText(`${UNKNOWN}.wav`);
    const released = await (await page.request.get(`/api/v1/flexdplayer/files/${unknown.body.fileId}`)).json();
    expect(released.status).toBe('imported');

    // The imported file links to its call, which plays like any other.
    await page.getByTestId(`file-call-${unknown.body.fileId}`).click();
    await expect(page).toHaveURL(new RegExp(`/recordings/calls/${released.callId}$`));
    await expect(page.locator('body')).toContainText('06-6777-8888');
  });

  test('the mapping profile tester shows the fields read from a file name and a sidecar', async ({ page }) => {
    await login(page, ADMIN);
    await useLanguage(page, 'ja');
    await page.goto('/flexdplayer/profiles');
    await expect(page.getByTestId('profile-builtin-note')).toBeVisible();
    await page.getByTestId('profile-test-file-name').fill(`${KNOWN}.wav`);
    await page.getByTestId('profile-test-sidecar-name').fill(`${KNOWN}.csv`);
    await page
      .getByTestId('profile-test-sidecar-content')
      .fill(sidecarCsv('090-1234-5678', '03-1234-5678', 'out', '2026/11/24 09:30:00', 75, 'docomo-77'));
    await page.getByTestId('profile-test-run').click();
    const result = page.getByTestId('profile-test-result');
    await expect(result).toContainText('すべての項目を読み取れました');
    await expect(page.getByTestId('profile-test-field-ownNumber')).toContainText('+819012345678');
    await expect(page.getByTestId('profile-test-field-direction')).toContainText('発信');
    await expect(page.getByTestId('profile-test-field-startedAt')).toContainText('2026/11/24 09:30:00');
    await expect(page.getByTestId('profile-test-field-durationSeconds')).toContainText('75');
    await expect(page.getByTestId('profile-test-field-callId')).toContainText('docomo-77');
    await shot(page, 'flexdplayer-profiles-ja');

    // A name the pattern cannot read and no sidecar: the missing fields are named.
    await page.getByTestId('profile-test-sidecar-content').fill('');
    await page.getByTestId('profile-test-file-name').fill('recording-1.wav');
    await page.getByTestId('profile-test-run').click();
    await expect(result).toContainText('読み取れない項目があります');
    await expect(page.getByTestId('profile-test-field-ownNumber').locator('.danger-text')).not.toBeEmpty();
  });

  test('the opening test proposed by the first file is confirmed after a dialog', async ({ page }) => {
    await login(page, ADMIN);
    await useLanguage(page, 'ja');
    await page.goto('/flexdplayer/connectors');
    await expect(page.getByTestId('flexd-opening-state')).toHaveText('確認待ち');
    await expect(page.getByTestId('flexd-opening-candidate')).toContainText(`${KNOWN}.wav`);
    await page.getByTestId('flexd-opening-confirm').click();
    await expect(page.getByTestId('confirm-ok')).toBeVisible();
    await shot(page, 'flexdplayer-opening-confirm-ja');
    await page.getByTestId('confirm-cancel').click();
    await expect(page.getByTestId('flexd-opening-state')).toHaveText('確認待ち');
    await page.getByTestId('flexd-opening-confirm').click();
    await page.getByTestId('confirm-ok').click();
    await expect(page.getByTestId('flexd-opening-state')).toHaveText('確認済み');
    await expect(page.getByTestId('flexd-opening-confirm')).toHaveCount(0);
    await shot(page, 'flexdplayer-connectors-ja');
    const test = await (await page.request.get('/api/v1/flexdplayer/opening-test')).json();
    expect(test.state).toBe('confirmed');
  });

  test('every screen in English', async ({ page }) => {
    await login(page, ADMIN);
    await page.goto('/flexdplayer/connectors');
    await useLanguage(page, 'en');
    await expect(page.getByTestId('flexd-opening-state')).toHaveText('Confirmed');
    await expectNoRawKeys(page);
    await shot(page, 'flexdplayer-connectors-en');
    for (const tab of ['profiles', 'lines', 'files'] as const) {
      await openTab(page, tab);
      await expect(page.locator('mat-progress-bar')).toHaveCount(0);
      await expectNoRawKeys(page);
      await shot(page, `flexdplayer-${tab}-en`);
    }
    await openTab(page, 'files');
    await expect(page.getByTestId('files-failed')).toContainText(`${CORRUPT}.wav`);
    await openTab(page, 'lines');
    await useLanguage(page, 'ja');
    await expect(page.getByTestId('lines-table')).toContainText('営業 佐藤');
    await shot(page, 'flexdplayer-lines-ja');
  });
});
