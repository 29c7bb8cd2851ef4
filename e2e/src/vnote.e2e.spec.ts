import { expect, request as playwrightRequest, test, type APIRequestContext } from '@playwright/test';
import { addApplianceProduct } from './appliance-products';
import { createHash } from 'node:crypto';
import {
  ADMIN,
  expectNoRawKeys,
  login,
  shot,
  signInAdmin,
  trackErrors,
  useLanguage,
  type ErrorTracker,
} from './recordings-fixtures';
// eslint-disable-next-line @nx/enforce-module-boundaries -- test tooling: the call the backend's transcription test measures, not a copy of it.
import { spokenStereoCall } from '../../backend/test/support/vnote-spoken-call';

// FlexVNote end to end with the real recogniser: a stereo call spoken by espeak-ng goes in through
// the ingest API and is transcribed by pocketsphinx inside the appliance; an NG-word dictionary
// made from what was recognised marks the call on a re-transcription; then the transcript search
// finds it, a click on the hit opens the call at that moment, the player plays from there and the
// transcript panel highlights the segment being played.

test.describe.configure({ mode: 'serial' });

// The sentences the backend's transcription test measures pocketsphinx on (docs/benchmarks.md).
const CUSTOMER = 'hello i would like to check my order number four five six please';
const OPERATOR = 'thank you for calling the number is seven eight nine and it ships today';

interface Segment {
  speaker: 'customer' | 'operator';
  startMs: number;
  endMs: number;
  text: string;
}

async function settled(api: APIRequestContext, callId: string, after: string | null): Promise<{ segments: Segment[] }> {
  let body: { status: string; updatedAt: string; segments: Segment[] } | null = null;
  await expect
    .poll(
      async () => {
        const res = await api.get(`/api/v1/vnote/calls/${callId}/transcript`);
        body = res.status() === 200 ? await res.json() : null;
        return body && (body.status === 'done' || body.status === 'failed') && body.updatedAt !== after
          ? body.status
          : 'pending';
      },
      { timeout: 180_000, intervals: [500] },
    )
    .toBe('done');
  return body as unknown as { segments: Segment[] };
}

test.describe('FlexVNote', () => {
  let api: APIRequestContext;
  let callId: string;
  let word: string;
  let ngWord: string;
  let hitMs: number;
  let tracker: ErrorTracker;

  test.beforeAll(async ({ baseURL }) => {
    test.setTimeout(400_000);
    api = await playwrightRequest.newContext({ baseURL });
    await signInAdmin(api);
    addApplianceProduct('flexvnote');
    // A transcribing tenant keeps wideband audio: the only local model (en-US) is a wideband one.
    const quality = await api.patch('/api/v1/recordings/policy', { data: { audioQuality: 'wideband' } });
    expect(quality.status(), await quality.text()).toBe(200);
    const key = (await (await api.post('/api/v1/api-keys', { data: { name: 'vnote e2e' } })).json()).key as string;
    const { audio } = spokenStereoCall(CUSTOMER, OPERATOR);
    const started = new Date(Date.now() - 10 * 60_000);
    const form = new FormData();
    form.append(
      'metadata',
      JSON.stringify({
        clientRecordingId: `vnote-e2e-${Date.now()}`,
        source: 'flexlog',
        direction: 'inbound',
        caller: { number: '0312345678', name: '音声 太郎' },
        callee: { number: '205' },
        extension: '205',
        startedAt: started.toISOString(),
        answeredAt: started.toISOString(),
        endedAt: new Date(started.getTime() + 12_000).toISOString(),
        disposition: 'answered',
        sha256: createHash('sha256').update(audio).digest('hex'),
      }),
    );
    form.append('audio', new Blob([new Uint8Array(audio)], { type: 'audio/wav' }), 'call.wav');
    const res = await fetch(`${baseURL}/api/v1/ingest/calls`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
      body: form,
    });
    expect(res.status).toBe(201);
    callId = ((await res.json()) as { callId: string }).callId;

    // A call stored after FlexVNote is on is queued by itself; what pocketsphinx heard decides the words.
    const first = await settled(api, callId, null);
    // Recognition of synthetic speech is rough: search for what the operator side really produced, and
    // make an NG word of what the customer side produced, so both kinds of marks are exercised.
    const wordsOf = (speaker: Segment['speaker']) =>
      first.segments
        .filter((s) => s.speaker === speaker)
        .flatMap((s) => s.text.split(/\s+/))
        .filter((w) => w.length >= 3);
    const operatorWords = wordsOf('operator');
    expect(operatorWords.length, JSON.stringify(first.segments)).toBeGreaterThan(0);
    word = [...operatorWords].sort((a, b) => b.length - a.length)[0];
    ngWord = wordsOf('customer').find((w) => w !== word) ?? word;

    // An NG word applies from the next transcription: make the dictionary, then transcribe again.
    const dict = await api.post('/api/v1/vnote/dictionaries', {
      data: { kind: 'ng', name: 'e2e NG', entries: [ngWord] },
    });
    expect(dict.status(), await dict.text()).toBe(201);
    const before = (await (await api.get(`/api/v1/vnote/calls/${callId}/transcript`)).json()).updatedAt as string;
    const again = await api.post(`/api/v1/vnote/calls/${callId}/transcribe`, { data: {} });
    expect(again.status(), await again.text()).toBe(202);
    const second = await settled(api, callId, before);
    const hitSegment = second.segments.find((s) => s.speaker === 'operator' && s.text.split(/\s+/).includes(word));
    expect(hitSegment, JSON.stringify(second.segments)).toBeDefined();
    hitMs = (hitSegment as Segment).startMs;
  });

  test.afterAll(async () => {
    await api?.patch('/api/v1/recordings/policy', { data: { audioQuality: 'telephone' } });
    await api?.dispose();
  });
  test.beforeEach(({ page }) => {
    tracker = trackErrors(page);
  });
  test.afterEach(() => expect(tracker.errors, 'console errors and uncaught exceptions').toEqual([]));

  test('search -> click a hit -> the call plays from that segment with the panel following', async ({ page }) => {
    await page.setViewportSize({ width: 1600, height: 1000 });
    await login(page, ADMIN);
    await useLanguage(page, 'ja');
    await page.getByTestId('nav-flexvnote').click();
    await expect(page).toHaveURL(/\/vnote\/search/);

    // The syntax help explains the query before it is sent.
    await page.getByTestId('vnote-help-toggle').click();
    await expect(page.getByTestId('vnote-help')).toBeVisible();
    await page.getByTestId('vnote-query').fill(`${word} -zzzzz`);
    await expect(page.getByTestId('vnote-query-explain')).toContainText('含まない: zzzzz');
    await page.getByTestId('vnote-search-submit').click();

    const result = page.locator(`[data-testid=vnote-result][data-call-id="${callId}"]`);
    await expect(result).toBeVisible();
    await expect(result.getByTestId('flag-ng')).toBeVisible();
    const hit = result.locator(`[data-testid=vnote-hit][data-start-ms="${hitMs}"]`);
    await expect(hit.locator('mark').first()).toHaveText(new RegExp(`^${word}$`, 'i'));
    await expectNoRawKeys(page);
    await shot(page, 'vnote-search-ja');

    await hit.click();
    await expect(page).toHaveURL(new RegExp(`/recordings/calls/${callId}\\?t=${hitMs}$`));
    // The player started at the hit and plays.
    const media = page.locator('app-call-player audio');
    await expect
      .poll(() =>
        media.evaluate((m: HTMLAudioElement, at: number) => !m.paused && m.currentTime >= at - 0.05, hitMs / 1000),
      )
      .toBe(true);
    // The panel highlights the segment being played, and the NG word is marked.
    const panel = page.getByTestId('call-transcript');
    await expect(panel.locator('[data-current="true"]')).toHaveAttribute('data-start-ms', String(hitMs));
    await expect(panel.locator('mark.kw-ng').first()).toHaveText(new RegExp(ngWord, 'i'));
    await expect(page.getByTestId('call-metrics')).toBeVisible();
    await media.evaluate((m: HTMLAudioElement) => m.pause());
    await expectNoRawKeys(page);
    await shot(page, 'vnote-call-ja');

    // A click on another bubble seeks there.
    const first = panel.getByTestId('transcript-segment').first();
    await first.click();
    await expect.poll(() => media.evaluate((m: HTMLAudioElement) => m.currentTime)).toBeLessThan(hitMs / 1000);
  });

  test('English: call detail, jobs and dictionaries', async ({ page }) => {
    await page.setViewportSize({ width: 1600, height: 1000 });
    await login(page, ADMIN);
    await useLanguage(page, 'en');
    await page.goto(`/recordings/calls/${callId}?t=${hitMs}`);
    const panel = page.getByTestId('call-transcript');
    await expect(panel.locator('[data-current="true"]')).toHaveAttribute('data-start-ms', String(hitMs));
    await page.locator('app-call-player audio').evaluate((m: HTMLAudioElement) => m.pause());
    await expectNoRawKeys(page);
    await shot(page, 'vnote-call-en');

    await page.goto('/vnote/jobs');
    await expect(page.getByTestId(`job-status-${callId}`)).toHaveText('Done');
    await expectNoRawKeys(page);
    await shot(page, 'vnote-jobs-en');

    await page.goto('/vnote/dictionaries');
    await expect(page.getByTestId('dict-kind-ng')).toContainText(ngWord);
    await shot(page, 'vnote-dictionaries-en');

    // Settings: the default engine with its languages; pocketsphinx needs no options.
    await page.getByTestId('vnote-tab-settings').click();
    await expect(page.getByTestId('vnote-engine')).toContainText('PocketSphinx');
    await expect(page.getByTestId('vnote-summary-toggle').locator('button[role=switch]')).toHaveAttribute(
      'aria-checked',
      'false',
    );
    await expectNoRawKeys(page);
    await shot(page, 'vnote-settings-en');
    await useLanguage(page, 'ja');
  });
});
