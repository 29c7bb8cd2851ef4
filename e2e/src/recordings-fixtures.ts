import { expect, request as playwrightRequest, test, type APIRequestContext, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { withApplianceProduct } from './appliance-products';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

// Shared by the recordings e2e specs: one appliance (started by run-e2e.mjs), seeded once with
// real recordings uploaded through the ingest API; the seed's ids are kept in DATA_DIR so every
// spec file of the run finds the same calls whichever runs first.

const repoRoot = path.resolve(__dirname, '..', '..');
export const SCREENSHOT_DIR = path.join(repoRoot, 'test-results', 'screenshots');
const DATA_DIR = process.env['E2E_DATA_DIR'] as string;
const SEED_FILE = () => path.join(DATA_DIR, 'recordings-e2e-seed.json');

// The same administrator appliance.e2e.spec.ts creates in the wizard, so both specs run in one suite.
export const ADMIN = { email: 'admin@example.jp', name: '管理者 太郎', password: 'Kanri#Secure2026' };
export const OPERATOR_A = { email: 'rec-op-a@example.jp', name: '録音 一郎', password: 'Ichiro-Pass#2026' };
export const OPERATOR_B = { email: 'rec-op-b@example.jp', name: '録音 二郎', password: 'Jiro-Pass#2026x' };
export const SHARE_MAX_HOURS = 48;
export const LONG_CALL_MINUTES = 60;
export const PAGING_CALLS = 130;

export interface Seed {
  shortCallId: string;
  longCallId: string;
  operatorCallId: string;
  operatorAId: string;
  longCallBytes: number;
  totalCalls: number;
}

const RATE = 8000;

// ---- audio: G.711 µ-law WAV made on the spot -------------------------------------------------

const ULAW = (() => {
  const table = new Uint8Array(65536);
  for (let i = 0; i < 65536; i++) {
    let sample = i - 32768;
    const sign = sample < 0 ? 0x80 : 0;
    if (sign) sample = -sample;
    sample = Math.min(sample, 32635) + 0x84;
    let exponent = 7;
    for (let mask = 0x4000; (sample & mask) === 0 && exponent > 0; exponent--, mask >>= 1);
    table[i] = ~(sign | (exponent << 4) | ((sample >> (exponent + 3)) & 0x0f)) & 0xff;
  }
  return table;
})();

/**
 * A conversation-like stereo (caller left, callee right) or mono 8 kHz µ-law WAV: the parties
 * take turns every `turnSeconds`, each a tone shaped into syllables, so the waveform and channel
 * solo have something to show.
 */
export function conversationWav(seconds: number, channels: 1 | 2, turnSeconds = 4): Buffer {
  const frames = Math.round(seconds * RATE);
  const header = Buffer.alloc(44);
  const dataBytes = frames * channels;
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write('WAVEfmt ', 8, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(7, 20); // WAVE_FORMAT_MULAW
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(RATE, 24);
  header.writeUInt32LE(RATE * channels, 28);
  header.writeUInt16LE(channels, 32);
  header.writeUInt16LE(8, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(dataBytes, 40);
  const data = Buffer.alloc(dataBytes);
  for (let i = 0; i < frames; i++) {
    const t = i / RATE;
    const turn = Math.floor(t / turnSeconds) % 2; // 0: caller speaks, 1: callee
    const syllables = 0.55 + 0.45 * Math.sin(2 * Math.PI * 3.5 * t);
    for (let c = 0; c < channels; c++) {
      const speaking = channels === 1 || turn === c;
      const v = speaking ? 0.45 * syllables * Math.sin(2 * Math.PI * (c ? 620 : 410) * t) : 0;
      data[i * channels + c] = ULAW[Math.round(v * 32767) + 32768];
    }
  }
  return Buffer.concat([header, data]);
}

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

// ---- API helpers ------------------------------------------------------------------------------

interface CallMeta {
  clientRecordingId: string;
  caller: string;
  callerName?: string;
  callee: string;
  direction?: 'inbound' | 'outbound' | 'internal';
  minutesAgo: number;
  /** Key presses, seconds after the answer. */
  dtmf?: { digit: string; afterAnswer: number }[];
  extra?: Record<string, unknown>;
}

async function ingest(baseURL: string, apiKey: string, meta: CallMeta, audio: Buffer, seconds: number) {
  const started = new Date(Date.now() - meta.minutesAgo * 60_000);
  const answered = new Date(started.getTime() + 4_000);
  const metadata = {
    clientRecordingId: meta.clientRecordingId,
    source: 'flexlog',
    direction: meta.direction ?? 'inbound',
    caller: { number: meta.caller, ...(meta.callerName ? { name: meta.callerName } : {}) },
    callee: { number: meta.callee },
    extension: meta.callee.length <= 4 ? meta.callee : '201',
    startedAt: started.toISOString(),
    answeredAt: answered.toISOString(),
    endedAt: new Date(answered.getTime() + seconds * 1000).toISOString(),
    disposition: 'answered',
    codec: 'PCMU',
    sha256: sha256(audio),
    // As FlexLog capture sends them (capture/src/calls/call-record.ts DtmfDigit).
    ...(meta.dtmf
      ? {
          dtmf: meta.dtmf.map((d) => ({
            digit: d.digit,
            at: new Date(answered.getTime() + d.afterAnswer * 1000).toISOString(),
            durationMs: 120,
            sender: 'caller',
          })),
        }
      : {}),
    ...meta.extra,
  };
  const form = new FormData();
  form.append('metadata', JSON.stringify(metadata));
  form.append('audio', new Blob([new Uint8Array(audio)], { type: 'audio/wav' }), 'call.wav');
  const res = await fetch(`${baseURL}/api/v1/ingest/calls`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}` },
    body: form,
  });
  const body = (await res.json()) as { callId: string; bytes: number };
  expect(res.status, JSON.stringify(body)).toBe(201);
  return body;
}

/** Completes the first-run wizard over the API when this spec runs on a fresh appliance. */
export async function signInAdmin(api: APIRequestContext): Promise<void> {
  const status = await (await api.get('/api/setup/status')).json();
  if (status.setupComplete) {
    const res = await api.post('/api/v1/auth/login', { data: { email: ADMIN.email, password: ADMIN.password } });
    expect(res.status(), 'admin sign-in (appliance.e2e.spec.ts creates this admin)').toBe(200);
    return;
  }
  const steps: [string, string, unknown][] = [
    ['post', '/api/setup/admin', { email: ADMIN.email, displayName: ADMIN.name, password: ADMIN.password }],
    [
      'put',
      '/api/setup/organization',
      {
        organizationName: '株式会社テスト商事',
        deploymentMode: 'single',
        timeZone: 'Asia/Tokyo',
        products: ['flexlog', 'ootairyoku'],
      },
    ],
    ['put', '/api/setup/storage', { driver: 'local', localPath: path.join(DATA_DIR, 'recordings') }],
    ['put', '/api/setup/encryption', { mode: 'local' }],
    ['put', '/api/setup/mail', { skip: true }],
    ['post', '/api/setup/complete', {}],
  ];
  for (const [method, url, data] of steps) {
    const res = method === 'post' ? await api.post(url, { data }) : await api.put(url, { data });
    expect(res.ok(), `${url}: ${await res.text()}`).toBe(true);
  }
}

async function createUser(api: APIRequestContext, u: { email: string; name: string; password: string }) {
  const res = await api.post('/api/v1/users', {
    data: { email: u.email, displayName: u.name, roles: ['operator'], password: u.password },
  });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { user: { id: string } }).user.id;
}

/**
 * Ingest never maps a call to a user yet (no extension-to-user table exists), so the call that
 * belongs to operator A is assigned in the database, as that mapping will do.
 */
function assignCall(callId: string, userId: string): void {
  const db = new Database(path.join(DATA_DIR, 'appliance.sqlite'));
  try {
    expect(db.prepare('UPDATE calls SET userId = ? WHERE id = ?').run(userId, callId).changes).toBe(1);
  } finally {
    db.close();
  }
}

async function parallel<T>(items: T[], width: number, run: (item: T) => Promise<unknown>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await run(item);
    }),
  );
}

export async function ensureSeeded(baseURL: string): Promise<Seed> {
  expect(DATA_DIR, 'E2E_DATA_DIR must be set by run-e2e.mjs').toBeTruthy();
  if (existsSync(SEED_FILE())) return JSON.parse(readFileSync(SEED_FILE(), 'utf8')) as Seed;
  const api = await playwrightRequest.newContext({ baseURL });
  try {
    await signInAdmin(api);
    const policy = await api.patch('/api/v1/recordings/policy', {
      data: { operatorsSeeOwnCallsOnly: true, shareLinkMaxHours: SHARE_MAX_HOURS },
    });
    expect(policy.status(), await policy.text()).toBe(200);
    const key = (
      (await (await api.post('/api/v1/api-keys', { data: { name: 'e2e capture' } })).json()) as { key: string }
    ).key;
    // A FlexLog site with a named line and a carrier line: the search shows their names, not ids.
    const site = await api.post('/api/v1/flexlog/sites', {
      data: { name: '東京本社', lines: [{ name: '東京店', numbers: ['03-1234-5678'] }] },
    });
    expect(site.status(), await site.text()).toBe(201);
    const siteId = ((await site.json()) as { id: string }).id;
    // FlexDPlayer is not among the wizard's products: its line is made with it briefly enabled.
    const carrier = await withApplianceProduct('flexdplayer', () =>
      api.post('/api/v1/flexdplayer/lines', { data: { number: '090-1111-2222', label: '営業1号' } }),
    );
    expect(carrier.status(), await carrier.text()).toBe(201);
    const carrierLineId = ((await carrier.json()) as { id: string }).id;
    const operatorAId = await createUser(api, OPERATOR_A);
    await createUser(api, OPERATOR_B);

    const short = await ingest(
      baseURL,
      key,
      {
        clientRecordingId: 'e2e-short',
        caller: '+81312345678',
        callerName: '山田 太郎',
        callee: '201',
        minutesAgo: 60,
        dtmf: [
          { digit: '1', afterAnswer: 1.5 },
          { digit: '#', afterAnswer: 3.2 },
        ],
        extra: {
          siteId,
          lineId: '東京店',
          tags: ['要折返し'],
          notes: '見積もりの件で折り返し希望。',
          quality: {
            lossPercent: 0.3,
            jitterMs: 12,
            mos: 4.2,
            rtcp: { reports: 4, fractionLostPercent: 0.2, jitterMs: 9 },
          },
        },
      },
      conversationWav(8, 2),
      8,
    );
    const longSeconds = LONG_CALL_MINUTES * 60;
    const long = await ingest(
      baseURL,
      key,
      {
        clientRecordingId: 'e2e-long',
        caller: '090-1111-2222',
        callerName: '長電話 花子',
        callee: '202',
        minutesAgo: 120,
        extra: { lineId: carrierLineId },
      },
      conversationWav(longSeconds, 2, 20),
      longSeconds,
    );
    const operatorCall = await ingest(
      baseURL,
      key,
      { clientRecordingId: 'e2e-operator-a', caller: '045-555-6666', callee: '203', minutesAgo: 180 },
      conversationWav(3, 1),
      3,
    );
    assignCall(operatorCall.callId, operatorAId);
    const tiny = conversationWav(0.5, 1);
    const numbers = Array.from({ length: PAGING_CALLS }, (_, i) => i);
    await parallel(numbers, 3, (i) =>
      ingest(
        baseURL,
        key,
        {
          clientRecordingId: `e2e-page-${i}`,
          caller: `06-6${String(i).padStart(3, '0')}-${String(i).padStart(4, '0')}`,
          callee: '204',
          minutesAgo: 240 + i,
        },
        tiny,
        0.5,
      ),
    );
    const seed: Seed = {
      shortCallId: short.callId,
      longCallId: long.callId,
      operatorCallId: operatorCall.callId,
      operatorAId,
      longCallBytes: long.bytes,
      totalCalls: 3 + PAGING_CALLS,
    };
    writeFileSync(SEED_FILE(), JSON.stringify(seed));
    return seed;
  } finally {
    await api.dispose();
  }
}

// ---- page helpers -----------------------------------------------------------------------------

// Top-level namespaces of the i18n files: one of these on screen means a missing translation.
const RAW_KEY = /\b(common|errors|nav|audit|recordings)\.[a-zA-Z]+(\.[a-zA-Z_]+)*\b/;

export async function expectNoRawKeys(page: Page): Promise<void> {
  const text = await page.locator('body').innerText();
  expect(text.match(RAW_KEY)?.[0] ?? null, 'untranslated i18n key on screen').toBeNull();
}

/**
 * A screenshot of the whole screen. The shell scrolls inside its content pane, which a full-page
 * capture cannot see, so the pane is let out to its natural height for the moment of the shot.
 */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.evaluate(() => document.fonts.ready);
  // A dialog's backdrop covers the window only: keep the window's size for those.
  if (await page.locator('.cdk-overlay-backdrop').count()) {
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), animations: 'disabled' });
    return;
  }
  const unclip = await page.addStyleTag({
    content:
      '.shell-container { height: auto !important; min-height: calc(100vh - 64px); } .mat-drawer-content { overflow: visible !important; }',
  });
  try {
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true, animations: 'disabled' });
  } finally {
    await unclip.evaluate((el) => (el as Element).remove());
  }
}

export interface ErrorTracker {
  errors: string[];
  allow: (pattern: RegExp) => void;
}

/** Uncaught exceptions and console errors, except the ones a test expects (e.g. a 404 it provokes). */
export function trackErrors(page: Page): ErrorTracker {
  const errors: string[] = [];
  const allowed: RegExp[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !allowed.some((p) => p.test(msg.text()))) errors.push(`console: ${msg.text()}`);
  });
  return { errors, allow: (p) => allowed.push(p) };
}

export async function login(page: Page, user: { email: string; password: string }): Promise<void> {
  await page.goto('/login');
  await page.getByTestId('login-email').fill(user.email);
  await page.getByTestId('login-password').fill(user.password);
  await page.getByTestId('login-submit').click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('user-menu')).toBeVisible();
}

export async function useLanguage(page: Page, lang: 'ja' | 'en'): Promise<void> {
  if ((await page.locator('html').getAttribute('lang')) === lang) return;
  await page.getByTestId('lang-menu').click();
  await page.getByTestId(`lang-${lang}`).click();
  await expect(page.locator('html')).toHaveAttribute('lang', lang);
}

/**
 * The hooks of every recordings spec: the seed (filled in before the first test; transcoding the
 * one-hour call takes a while) and, per test, no console errors or uncaught exceptions.
 */
export function useRecordingsSeed(): { seed: Seed; errors: () => ErrorTracker } {
  const seed = {} as Seed;
  let tracker: ErrorTracker = { errors: [], allow: () => undefined };
  test.beforeAll(async ({ baseURL }) => {
    test.setTimeout(600_000);
    Object.assign(seed, await ensureSeeded(baseURL as string));
  });
  test.beforeEach(({ page }) => {
    tracker = trackErrors(page);
  });
  test.afterEach(() => {
    expect(tracker.errors, 'console errors and uncaught exceptions').toEqual([]);
  });
  return { seed, errors: () => tracker };
}
