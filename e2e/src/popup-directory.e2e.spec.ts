import { expect, request as playwrightRequest, test, type APIRequestContext, type Page } from '@playwright/test';
import * as iconv from 'iconv-lite';
import WebSocket from 'ws';
import {
  ADMIN,
  expectNoRawKeys,
  login,
  shot,
  trackErrors,
  useLanguage,
  type ErrorTracker,
} from './recordings-fixtures';

// 応対力 end to end: the customer directory (create, search), the CSV import wizard with a
// Shift_JIS file (detected encoding, a row error, duplicates, confirm, result) and the incoming-call
// popup driven by call events on the capture's real event stream (/api/v1/flexlog/events).

test.describe.configure({ mode: 'serial' });

const SATO = { email: 'popup-sato@example.jp', name: '佐藤 花子', password: 'Sato-Popup#2026' };
const HEADER = '顧客ID,氏名,フリガナ,会社名,電話番号,ランク,メモ';
const ROWS = [
  'C-001,山田 太郎,ヤマダ タロウ,株式会社山田商事,03-1234-5678,VIP,請求書は月末締め。担当は経理部の田中様',
  'C-002,{name2},スズキ ハナコ,鈴木工務店,06-6123-4567,A,',
  'C-003,佐々木 次郎,ササキ ジロウ,佐々木物産,090-1111-2222,B,折り返し希望',
];
const csv = (name2: string) => iconv.encode([HEADER, ...ROWS].join('\r\n').replace('{name2}', name2) + '\r\n', 'cp932');

/** The capture box's side of the call-event stream: one WebSocket per site key, events acked in order. */
class CaptureStream {
  private seq = 0;
  private readonly waiting = new Map<number, () => void>();
  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const m = JSON.parse(data.toString()) as { type: string; seq?: number };
      if (m.type === 'ack' && m.seq !== undefined) this.waiting.get(m.seq)?.();
    });
  }

  static async open(baseURL: string, key: string): Promise<CaptureStream> {
    const socket = new WebSocket(
      `${baseURL.replace(/^http/, 'ws')}/api/v1/flexlog/events?key=${encodeURIComponent(key)}`,
    );
    await new Promise<void>((resolve, reject) => {
      socket.once('message', () => resolve()); // hello
      socket.once('error', reject);
    });
    return new CaptureStream(socket);
  }

  async send(type: 'ringing' | 'answered' | 'ended', callId: string, over: Record<string, unknown> = {}) {
    const seq = ++this.seq;
    const acked = new Promise<void>((resolve) => this.waiting.set(seq, resolve));
    this.socket.send(
      JSON.stringify({
        seq,
        type,
        callId,
        at: new Date().toISOString(),
        caller: '03-1234-5678',
        callee: '0312340000',
        extension: '201',
        direction: 'inbound',
        lineName: '東京店',
        ...over,
      }),
    );
    await acked;
  }

  close(): void {
    this.socket.close();
  }
}

let api: APIRequestContext;
let capture: CaptureStream;
let tracker: ErrorTracker;

test.beforeAll(async ({ baseURL }) => {
  api = await playwrightRequest.newContext({ baseURL });
  expect((await api.post('/api/v1/auth/login', { data: { email: ADMIN.email, password: ADMIN.password } })).ok()).toBe(
    true,
  );
  // The recordings seed (run by earlier specs) already has a site named 東京本社: site names are unique.
  const site = await api.post('/api/v1/flexlog/sites', {
    data: { name: '応対力 東京本社', lines: [{ name: '東京店', numbers: ['0312340000'] }] },
  });
  expect(site.status(), await site.text()).toBe(201);
  const siteId = ((await site.json()) as { id: string }).id;
  const key = await api.post(`/api/v1/flexlog/sites/${siteId}/api-keys`, { data: { name: 'popup e2e box' } });
  expect(key.status(), await key.text()).toBe(201);
  const me = (await (await api.get('/api/v1/auth/me')).json()) as { id: string };
  expect((await api.patch(`/api/v1/users/${me.id}`, { data: { extensions: ['201'] } })).ok()).toBe(true);
  const sato = await api.post('/api/v1/users', {
    data: {
      email: SATO.email,
      displayName: SATO.name,
      roles: ['operator'],
      password: SATO.password,
      extensions: ['202'],
    },
  });
  expect(sato.status(), await sato.text()).toBe(201);
  capture = await CaptureStream.open(baseURL as string, ((await key.json()) as { key: string }).key);
});

test.afterAll(async () => {
  capture?.close();
  await api?.dispose();
});

test.beforeEach(async ({ page }) => {
  tracker = trackErrors(page);
  // The user said "not now" to desktop notifications earlier: the in-app fallback banner shows.
  await page.addInitScript(() => localStorage.setItem('popup.notifications.refused', '1'));
});

test.afterEach(() => expect(tracker.errors).toEqual([]));

async function openDirectory(page: Page) {
  await page.getByTestId('nav-ootairyoku').click();
  await expect(page).toHaveURL(/\/popup\/customers$/);
  await expect(page.getByTestId('customers-table')).toBeVisible();
}

test('customer directory: create with several numbers, search by kana and number fragment', async ({ page }) => {
  await login(page, ADMIN);
  await expect(page.getByTestId('presence-toggle')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('notification-fallback')).toBeVisible();
  await openDirectory(page);
  await expect(page.getByTestId('customers-empty')).toBeVisible();

  await page.getByTestId('customer-create').click();
  await page.getByTestId('customer-form-name').fill('山田 太郎');
  await page.getByTestId('customer-form-kana').fill('やまだ たろう');
  await page.getByTestId('customer-form-company').fill('株式会社山田商事');
  await page.getByTestId('customer-form-phone-0').fill('03-1234-5678');
  await page.getByTestId('customer-form-phone-add').click();
  await page.getByTestId('customer-form-phone-1').fill('090-9999-8888');
  await page.getByTestId('customer-form-tags').fill('得意先');
  await page.getByTestId('customer-form-save').click();
  await expect(page.getByTestId('customer-saved')).toBeVisible();
  await expect(page.getByTestId('customer-row')).toHaveCount(1);

  await page.getByTestId('customer-search').fill('ヤマダ');
  await expect(page.getByTestId('customer-name')).toHaveText(['山田 太郎']);
  await page.getByTestId('customer-search').fill('9999');
  await expect(page.getByTestId('customer-name')).toHaveText(['山田 太郎']);
  await page.getByTestId('customer-search').fill('5555');
  await expect(page.getByTestId('customers-empty')).toBeVisible();
  await page.getByTestId('customer-search').fill('');
  await expect(page.getByTestId('customer-row')).toHaveCount(1);
});

test('CSV import: Shift_JIS detected, a row error blocks, the fixed file imports all rows', async ({ page }) => {
  await login(page, ADMIN);
  await openDirectory(page);
  await page.getByTestId('popup-tab-import').click();
  await page.getByTestId('import-file').setInputFiles({ name: '顧客一覧.csv', mimeType: 'text/csv', buffer: csv('') });
  await expect(page.getByTestId('import-encoding')).toHaveAttribute('data-encoding', 'shift_jis');
  await expect(page.getByTestId('import-row-count')).toContainText('3');
  await expect(page.getByTestId('import-map-1')).toHaveValue('name');
  await expect(page.getByTestId('import-map-4')).toHaveValue('phone');
  await page.getByTestId('import-save-as').fill('基幹システム');
  await page.getByTestId('import-preview').click();
  const errorRow = page.getByTestId('import-error-row');
  await expect(errorRow).toHaveCount(1);
  await expect(errorRow.locator('td').first()).toHaveText('3');
  await expect(errorRow.locator('td').nth(1)).toHaveText('氏名');
  await expect(page.getByTestId('import-duplicate-row')).toHaveAttribute('data-kind', 'existing');
  await expect(page.getByTestId('import-confirm')).toBeDisabled();
  await shot(page, 'popup-import-preview-ja');

  // The corrected file, with the mapping saved a moment ago.
  await page.getByTestId('import-back').click();
  await page.getByTestId('import-restart').click();
  await page
    .getByTestId('import-file')
    .setInputFiles({ name: '顧客一覧.csv', mimeType: 'text/csv', buffer: csv('鈴木 花子') });
  await page.getByTestId('import-saved-mapping').selectOption('基幹システム');
  await page.getByTestId('import-preview').click();
  await expect(page.getByTestId('import-error-count')).toContainText('0');
  await expect(page.getByTestId('import-create-count')).toContainText('2');
  await expect(page.getByTestId('import-update-count')).toContainText('1');
  await page.getByTestId('import-confirm').click();
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('import-result')).toBeVisible();

  await page.getByTestId('import-to-directory').click();
  await expect(page.getByTestId('customer-row')).toHaveCount(3);
  await page.getByTestId('notification-fallback').getByRole('button').click();
  await shot(page, 'popup-directory-ja');
  await useLanguage(page, 'en');
  await expect(page.getByTestId('customer-row')).toHaveCount(3);
  await expectNoRawKeys(page);
  await shot(page, 'popup-directory-en');
  await useLanguage(page, 'ja');
});

test('incoming call: customer card, memo, answered elsewhere, stacking, 非通知, 該当者なし and a pick-list', async ({
  page,
}) => {
  await login(page, ADMIN);
  await openDirectory(page);
  const stack = page.getByTestId('popup-stack');
  // The socket is up once the shell has rendered; the call rings after that.
  await expect(stack).toHaveAttribute('data-connection', 'connected');

  await capture.send('ringing', 'e2e-known@pbx');
  const known = stack.locator('[data-testid="popup-call"][data-call-id="e2e-known@pbx"]');
  await expect(known.getByTestId('popup-caller-number')).toHaveText('03-1234-5678');
  await expect(known.getByTestId('popup-line-name')).toHaveText('東京店');
  await expect(known.getByTestId('popup-customer-name')).toHaveText('山田 太郎');
  await expect(known.getByTestId('popup-customer-company')).toContainText('株式会社山田商事');

  // A second call stacks on top; its number is in no customer: 該当者なし, registered in one click.
  await capture.send('ringing', 'e2e-unknown@pbx', { caller: '045-222-3333' });
  const unknown = stack.locator('[data-testid="popup-call"][data-call-id="e2e-unknown@pbx"]');
  await expect(stack.getByTestId('popup-call').first()).toHaveAttribute('data-call-id', 'e2e-unknown@pbx');
  await expect(unknown.getByTestId('popup-no-match')).toBeVisible();
  await unknown.getByTestId('popup-register-customer').click();
  await expect(page.getByTestId('customer-form-phone-0')).toHaveValue('045-222-3333');
  await page.getByTestId('customer-form-name').fill('新規 顧客');
  await page.getByTestId('customer-form-save').click();
  await expect(unknown.getByTestId('popup-customer-name')).toHaveText('新規 顧客');

  await known.getByTestId('popup-memo').fill('見積りの件で折り返し');
  await known.getByTestId('popup-memo-save').click();
  await expect(known.getByTestId('popup-memo-saved')).toBeVisible();

  await capture.send('answered', 'e2e-known@pbx', { extension: '202' });
  await expect(known.getByTestId('popup-answered-by')).toContainText(SATO.name);
  await unknown.getByTestId('popup-dismiss').click();
  await expect(unknown).toHaveCount(0);
  await shot(page, 'popup-call-ja');
  await useLanguage(page, 'en');
  await expect(known.getByTestId('popup-answered-by')).toContainText(`${SATO.name} answered`);
  await shot(page, 'popup-call-en');
  await useLanguage(page, 'ja');

  await capture.send('ended', 'e2e-known@pbx');
  await known.getByTestId('popup-dismiss').click();
  await expect(known).toHaveCount(0);

  await capture.send('ringing', 'e2e-withheld@pbx', { caller: 'anonymous' });
  const withheld = stack.locator('[data-testid="popup-call"][data-call-id="e2e-withheld@pbx"]');
  await expect(withheld.getByTestId('popup-withheld')).toHaveText('非通知');
  await expect(withheld.getByTestId('popup-register-customer')).toHaveCount(0);
  await capture.send('ended', 'e2e-withheld@pbx');
  await withheld.getByTestId('popup-dismiss').click();

  // Two customers share a number: the popup offers a pick-list.
  const shared = await api.post('/api/v1/popup/customers', {
    data: { name: '山田 花子', company: '山田工務店', numbers: ['03-1234-5678'] },
  });
  expect(shared.status(), await shared.text()).toBe(201);
  await capture.send('ringing', 'e2e-shared@pbx');
  const sharedCall = stack.locator('[data-testid="popup-call"][data-call-id="e2e-shared@pbx"]');
  await expect(sharedCall.getByTestId('popup-customer-choice')).toHaveCount(2);
  await sharedCall.getByTestId('popup-customer-choice').filter({ hasText: '山田 花子' }).click();
  await expect(sharedCall.getByTestId('popup-customer-name')).toHaveText('山田 花子');
  await expect(sharedCall.getByTestId('popup-customer-company')).toContainText('山田工務店');
  await capture.send('ended', 'e2e-shared@pbx');
  await sharedCall.getByTestId('popup-dismiss').click();

  // 離席: no popup; back to 受付中.
  await page.getByTestId('presence-toggle').click();
  await expect(page.getByTestId('presence-toggle')).toHaveAttribute('aria-pressed', 'false');
  await capture.send('ringing', 'e2e-away@pbx');
  await capture.send('ended', 'e2e-away@pbx');
  await page.getByTestId('presence-toggle').click();
  await expect(page.getByTestId('presence-toggle')).toHaveAttribute('aria-pressed', 'true');
  await expect(stack.getByTestId('popup-call')).toHaveCount(0);
});
