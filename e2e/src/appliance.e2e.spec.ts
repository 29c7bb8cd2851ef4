import { expect, request as playwrightRequest, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';

// One fresh appliance (started by e2e/run-e2e.mjs) walked through in order: the tests share its
// server-side state (setup done, users created), so they run serially; each has its own browser
// context and signs in as it needs.

const repoRoot = path.resolve(__dirname, '..', '..');
const SCREENSHOT_DIR = path.join(repoRoot, 'test-results', 'screenshots');
const DATA_DIR = process.env['E2E_DATA_DIR'];

const ADMIN = { email: 'admin@example.jp', name: '管理者 太郎', password: 'Kanri#Secure2026' };
const OPERATOR = { email: 'operator@example.jp', name: 'オペレーター 花子', password: 'Hanako-Pass#2026' };
const THROWAWAY = { email: 'lockme@example.jp', name: 'ロック 確認', password: 'Throwaway#2026x' };
const ORG_NAME = '株式会社テスト商事';

// Top-level namespaces of frontend/public/i18n/*.json: a raw key such as "setup.admin.title" on
// screen means a missing translation.
const RAW_KEY =
  /\b(app|lang|common|errors|password|fields|roles|deploymentMode|products|productLanding|login|setup|nav|home|users|apiKeys|audit|settings|profile|tenants)\.[a-zA-Z]+(\.[a-zA-Z]+)*\b/;

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true, animations: 'disabled' });
}

/**
 * The global stylesheet must be active: a `media="print"` link switched by an inline onload
 * handler (Angular's critical-CSS inlining) is blocked by the server's CSP and leaves the
 * layout unstyled.
 */
async function expectGlobalStyles(page: Page): Promise<void> {
  await expect(page.locator('link[rel=stylesheet][media=print]')).toHaveCount(0);
  const grow = await page.evaluate(() => {
    const probe = document.createElement('span');
    probe.className = 'spacer';
    document.body.appendChild(probe);
    const value = getComputedStyle(probe).flexGrow;
    probe.remove();
    return value;
  });
  expect(grow, '.spacer from frontend/src/styles.scss').toBe('1');
}

async function expectNoRawKeys(page: Page): Promise<void> {
  const text = await page.locator('body').innerText();
  expect(text.match(RAW_KEY)?.[0] ?? null, 'untranslated i18n key on screen').toBeNull();
}

/** Fails the test on uncaught exceptions in the page. */
function trackPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  return errors;
}

async function login(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('user-menu')).toBeVisible();
}

async function logout(page: Page): Promise<void> {
  await page.getByTestId('user-menu').click();
  await page.getByTestId('logout').click();
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByTestId('login-submit')).toBeVisible();
}

test.describe.configure({ mode: 'serial' });

test.describe('call-recording appliance', () => {
  let pageErrors: string[] = [];

  test.beforeEach(({ page }) => {
    pageErrors = trackPageErrors(page);
  });

  test.afterEach(() => {
    expect(pageErrors, 'uncaught errors in the page').toEqual([]);
  });

  test('(a) a fresh appliance opens the setup wizard, which completes through the UI', async ({ page }) => {
    expect(DATA_DIR, 'E2E_DATA_DIR must be set by run-e2e.mjs').toBeTruthy();

    await page.goto('/');
    await expect(page).toHaveURL(/\/setup\/admin$/);
    await expectGlobalStyles(page);

    // 1. Administrator account
    await expect(page.getByTestId('setup-admin-email')).toBeVisible();
    await page.getByTestId('setup-admin-email').fill(ADMIN.email);
    await page.getByTestId('setup-admin-name').fill(ADMIN.name);
    await page.getByTestId('setup-admin-password').fill(ADMIN.password);
    await page.getByTestId('setup-admin-password-confirm').fill(ADMIN.password);
    await expectNoRawKeys(page);
    await shot(page, 'wizard-1-admin');
    await page.getByTestId('setup-next').click();
    await expect(page).toHaveURL(/\/setup\/organization$/);
    // The admin was created in this browser: no "sign in to continue" warning.
    await expect(page.getByText('続行するには管理者でログインしてください')).toHaveCount(0);

    // 2. Organization: single mode, FlexLog + 応対力 only
    await page.getByTestId('setup-org-name').fill(ORG_NAME);
    await page.getByTestId('setup-org-mode-single').click();
    await expect(page.getByTestId('setup-org-mode-single').locator('input')).toBeChecked();
    const product = (p: string) => page.getByTestId(`setup-org-product-${p}`).locator('input[type=checkbox]');
    await product('flexlog').check();
    await product('ootairyoku').check();
    await product('flexdplayer').uncheck();
    await product('flexvnote').uncheck();
    await expect(product('flexlog')).toBeChecked();
    await expect(product('ootairyoku')).toBeChecked();
    await expect(product('flexdplayer')).not.toBeChecked();
    await expect(product('flexvnote')).not.toBeChecked();
    await expectNoRawKeys(page);
    await shot(page, 'wizard-2-organization');
    await page.getByTestId('setup-next').click();
    await expect(page).toHaveURL(/\/setup\/storage$/);

    // 3. Storage: local directory inside this run's DATA_DIR, connection test first
    const recordings = path.join(DATA_DIR as string, 'recordings');
    await page.getByTestId('setup-storage-driver-local').click();
    await page.getByTestId('setup-storage-local-path').fill(recordings);
    await page.getByTestId('setup-storage-test').click();
    const storageResult = page.getByTestId('setup-storage-test-result').locator('.banner');
    await expect(storageResult).toBeVisible();
    await expect(storageResult).toHaveClass(/\bok\b/);
    await expectNoRawKeys(page);
    await shot(page, 'wizard-3-storage');
    await page.getByTestId('setup-next').click();
    await expect(page).toHaveURL(/\/setup\/encryption$/);

    // 4. Encryption: local master key, tested
    await page.getByTestId('setup-encryption-mode-local').click();
    await expect(page.getByTestId('setup-encryption-mode-local').locator('input')).toBeChecked();
    await page.getByTestId('setup-encryption-test').click();
    const encResult = page.getByTestId('setup-encryption-test-result').locator('.banner');
    await expect(encResult).toBeVisible();
    await expect(encResult).toHaveClass(/\bok\b/);
    await expectNoRawKeys(page);
    await shot(page, 'wizard-4-encryption');
    await page.getByTestId('setup-next').click();
    await expect(page).toHaveURL(/\/setup\/mail$/);

    // 5. Mail: skipped
    await expect(page.getByTestId('setup-mail-host')).toBeVisible();
    await expectNoRawKeys(page);
    await shot(page, 'wizard-5-mail');
    await page.getByTestId('setup-mail-skip').click();
    await expect(page).toHaveURL(/\/setup\/review$/);

    // 6. Review what the server stored, then complete
    const review = page.getByTestId('setup-review');
    await expect(review).toContainText(ORG_NAME);
    await expect(review).toContainText('FlexLog（通話録音）');
    await expect(review).toContainText('応対力（着信ポップアップ）');
    await expect(review).not.toContainText('FlexDPlayer');
    await expect(review).not.toContainText('FlexVNote');
    await expect(review).toContainText(recordings);
    await expect(review).toContainText('後で設定する（スキップ）');
    await expect(review).not.toContainText('undefined');
    await expectNoRawKeys(page);
    await shot(page, 'wizard-6-review');
    await page.getByTestId('setup-complete').click();

    // The admin's session from step 1 is still valid: straight into the app.
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByTestId('org-name')).toHaveText(ORG_NAME);
    const status = await page.request.get('/api/setup/status');
    expect(await status.json()).toEqual({ setupComplete: true });

    // The wizard is closed now.
    await page.goto('/setup/admin');
    await expect(page).not.toHaveURL(/\/setup/);
  });

  test('(b) the admin signs in and sees only the enabled products', async ({ page }) => {
    await page.goto('/');
    await expect(page).toHaveURL(/\/login/);
    await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
    await expect(page.getByTestId('login-submit')).toHaveText(/ログイン/);
    await expectNoRawKeys(page);
    await shot(page, 'login-ja');

    await login(page, ADMIN.email, ADMIN.password);
    await expect(page.getByTestId('org-name')).toHaveText(ORG_NAME);
    await expect(page.getByTestId('user-menu')).toContainText(ADMIN.name);

    await expect(page.getByTestId('nav-flexlog')).toBeVisible();
    await expect(page.getByTestId('nav-flexlog')).toContainText('FlexLog');
    await expect(page.getByTestId('nav-ootairyoku')).toBeVisible();
    await expect(page.getByTestId('nav-ootairyoku')).toContainText('応対力');
    await expect(page.getByTestId('nav-flexdplayer')).toHaveCount(0);
    await expect(page.getByTestId('nav-flexvnote')).toHaveCount(0);
    const nav = page.locator('.shell-nav');
    await expect(nav).not.toContainText('FlexDPlayer');
    await expect(nav).not.toContainText('FlexVNote');

    // Administrator entries are there for a tenant admin.
    for (const id of ['nav-users', 'nav-api-keys', 'nav-audit', 'nav-settings']) {
      await expect(page.getByTestId(id)).toBeVisible();
    }
    await expectNoRawKeys(page);
    await shot(page, 'admin-home');

    // A disabled product's page is not reachable either.
    await page.goto('/vnote');
    await expect(page).toHaveURL(/\/$/);
  });

  test('(c) the admin creates an operator user', async ({ page }) => {
    await login(page, ADMIN.email, ADMIN.password);
    await page.getByTestId('nav-users').click();
    await expect(page).toHaveURL(/\/admin\/users$/);
    await expect(page.getByTestId('users-table')).toContainText(ADMIN.email);

    await page.getByTestId('user-create').click();
    await page.getByTestId('user-email').fill(OPERATOR.email);
    await page.getByTestId('user-display-name').fill(OPERATOR.name);
    await page.getByTestId('user-roles').click();
    // Exactly the operator role (the dialog may preselect it: click only what must change).
    const options = page.getByRole('listbox').getByRole('option');
    await expect(page.getByTestId('user-role-operator')).toBeVisible();
    for (const option of await options.all()) {
      const isOperator = (await option.getAttribute('data-testid')) === 'user-role-operator';
      const selected = (await option.getAttribute('aria-selected')) === 'true';
      if (selected !== isOperator) await option.click();
    }
    await expect(page.getByTestId('user-role-operator')).toHaveAttribute('aria-selected', 'true');
    await expect(options.and(page.locator('[aria-selected="true"]'))).toHaveCount(1);
    await page.keyboard.press('Escape'); // close the multi-select panel, not the dialog
    await expect(page.getByTestId('user-role-operator')).toBeHidden();
    await expect(page.getByTestId('user-roles')).toContainText('オペレーター');
    await page.getByTestId('user-password').fill(OPERATOR.password);
    await expectNoRawKeys(page);
    await shot(page, 'users-create-dialog');
    await page.getByTestId('user-dialog-save').click();

    // A password was given, so no temporary password is shown and the dialog closes.
    await expect(page.getByTestId('user-dialog-save')).toBeHidden();
    const row = page.getByTestId('users-table').locator('tr', { hasText: OPERATOR.email });
    await expect(row).toBeVisible();
    await expect(row).toContainText(OPERATOR.name);
    await expect(row).toContainText('オペレーター');
    await expect(page.getByTestId(`user-status-${OPERATOR.email}`)).toContainText('有効');
    await expectNoRawKeys(page);
    await shot(page, 'users-list');
  });

  test('(d) an operator sees no administration and is refused the users API', async ({ page }) => {
    await login(page, ADMIN.email, ADMIN.password);
    await logout(page);
    // The session is really gone.
    await page.goto('/admin/users');
    await expect(page).toHaveURL(/\/login/);

    await login(page, OPERATOR.email, OPERATOR.password);
    await expect(page.getByTestId('user-menu')).toContainText(OPERATOR.name);
    await expect(page.getByTestId('nav-flexlog')).toBeVisible();
    await expect(page.getByTestId('nav-ootairyoku')).toBeVisible();
    for (const id of ['nav-users', 'nav-api-keys', 'nav-audit', 'nav-settings', 'nav-tenants']) {
      await expect(page.getByTestId(id)).toHaveCount(0);
    }
    await expect(page.locator('.shell-nav')).not.toContainText('管理');
    await expectNoRawKeys(page);
    await shot(page, 'operator-home');

    // Typing the address does not open the users page.
    await page.goto('/admin/users');
    await expect(page).not.toHaveURL(/\/admin\/users/);
    await expect(page.getByTestId('users-table')).toHaveCount(0);
    await expect(page.getByTestId('user-create')).toHaveCount(0);

    // And the API refuses the operator's session.
    const status = await page.evaluate(async () => {
      const res = await fetch('/api/v1/users', { credentials: 'include' });
      return res.status;
    });
    expect(status).toBe(403);
    await shot(page, 'operator-admin-users-refused');
  });

  test('(e) switching to English translates the shell and the login page', async ({ page }) => {
    await login(page, OPERATOR.email, OPERATOR.password);
    await expect(page.locator('html')).toHaveAttribute('lang', 'ja');

    await page.getByTestId('lang-menu').click();
    await page.getByTestId('lang-en').click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByTestId('nav-home')).toContainText('Home');
    await expect(page.getByTestId('nav-ootairyoku')).toContainText('Ootairyoku');
    await expect(page.getByTestId('lang-menu')).toContainText('English');
    await expectNoRawKeys(page);
    await shot(page, 'shell-en');

    await logout(page);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByTestId('login-submit')).toHaveText(/Sign in/);
    await expect(page.locator('mat-card-title')).toHaveText('Sign in');
    await expectNoRawKeys(page);
    await shot(page, 'login-en');

    // The choice was saved to the operator's profile.
    await login(page, OPERATOR.email, OPERATOR.password);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByTestId('nav-home')).toContainText('Home');
  });

  test('(f) five wrong passwords lock the account (423)', async ({ page, baseURL }) => {
    // A throwaway account created over the API, so the admin and operator stay usable.
    const api = await playwrightRequest.newContext({ baseURL });
    try {
      const signIn = await api.post('/api/v1/auth/login', { data: { email: ADMIN.email, password: ADMIN.password } });
      expect(signIn.status()).toBe(200);
      const created = await api.post('/api/v1/users', {
        data: {
          email: THROWAWAY.email,
          displayName: THROWAWAY.name,
          roles: ['operator'],
          password: THROWAWAY.password,
        },
      });
      expect(created.status(), await created.text()).toBe(201);
    } finally {
      await api.dispose();
    }

    await page.goto('/login');
    await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
    await page.getByTestId('login-email').fill(THROWAWAY.email);
    for (let i = 1; i <= 5; i++) {
      await page.getByTestId('login-password').fill(`Wrong-password-${i}`);
      const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'));
      await page.getByTestId('login-submit').click();
      expect((await answer).status(), `attempt ${i}`).toBe(401);
      await expect(page.getByTestId('login-error')).toContainText('メールアドレスまたはパスワードが正しくありません');
    }

    // Locked now: even the right password is refused with 423 and the locked message.
    await page.getByTestId('login-password').fill(THROWAWAY.password);
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'));
    await page.getByTestId('login-submit').click();
    expect((await answer).status()).toBe(423);
    const error = page.getByTestId('login-error');
    await expect(error).toContainText('アカウントはロックされています');
    // "{{until}}" is filled with a local date, not left empty or raw.
    await expect(error).not.toContainText('{{');
    await expect(error).toContainText(/\d{4}\/\d{1,2}\/\d{1,2}/);
    await expect(page).toHaveURL(/\/login/);
    await expectNoRawKeys(page);
    await shot(page, 'login-locked');

    // The lock is per account: the admin still signs in.
    await login(page, ADMIN.email, ADMIN.password);
    await page.getByTestId('nav-users').click();
    await expect(page.getByTestId(`user-status-${THROWAWAY.email}`)).toContainText('ロック中');
    await expect(page.getByTestId(`user-status-${OPERATOR.email}`)).toContainText('有効');
  });
});
