import { defineConfig, devices } from '@playwright/test';
import * as path from 'node:path';

// Run through e2e/run-e2e.mjs, which starts a fresh appliance and sets BASE_URL / E2E_DATA_DIR.
const repoRoot = path.resolve(__dirname, '..');
const baseURL = process.env['BASE_URL'];
if (!baseURL) {
  throw new Error('BASE_URL is not set: run the suite with `node e2e/run-e2e.mjs` (or `npm run e2e`).');
}

const chromiumUse = {
  ...devices['Desktop Chrome'],
  viewport: { width: 1280, height: 720 },
  // Debian's Chromium: no browser downloads (never `npx playwright install`).
  launchOptions: {
    executablePath: process.env['CHROMIUM_PATH'] || '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  },
};

export default defineConfig({
  testDir: './src',
  testMatch: '**/*.e2e.spec.ts',
  outputDir: path.join(repoRoot, 'test-results', 'e2e'),
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env['CI'],
  reporter: 'list',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    viewport: { width: 1280, height: 720 },
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
    trace: 'retain-on-failure',
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
  },
  projects: [
    // The wizard must meet a fresh appliance, so its file runs first and alone; the other files
    // (which complete the setup through the API when they find it undone) depend on it.
    { name: 'setup-wizard', testMatch: 'appliance.e2e.spec.ts', use: chromiumUse },
    { name: 'chromium', testIgnore: 'appliance.e2e.spec.ts', dependencies: ['setup-wizard'], use: chromiumUse },
  ],
});
