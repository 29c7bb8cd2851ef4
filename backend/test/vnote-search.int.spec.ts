import { FULLTEXT_MAX_DOCS, VnoteSearchService } from '../src/products/vnote/search/vnote-search.service';
import { NoteSync } from '../src/products/vnote/search/note-sync';
import { GramStatistics } from '../src/products/vnote/search/gram-statistics';
import { bigramToken } from '../src/products/vnote/search/gram-tokens';
import { TranscriptEvents } from '../src/products/vnote/shared/transcript-events';
import { seedCalls } from './support/call-seed';
import { HttpClient } from './support/http-client';
import { startTestApp, TestApp } from './support/test-app';
import { testDatabases } from './support/test-databases';
import { addUser, dialogue, setupVnoteTenant, storeTranscript } from './support/vnote-fixtures';

/**
 * A small corpus of real Japanese call lines, searched with kanji, hiragana, katakana, half-width katakana,
 * full-width alphanumerics, mixed scripts, phrases, AND/OR/NOT and single characters. Both databases must
 * give exactly the calls of the table below: the same table for each, so the answers are identical.
 */
const CORPUS: Record<string, { ext: string; notes?: string; lines: Array<['customer' | 'operator', string]> }> = {
  C1: {
    ext: '201',
    lines: [
      ['operator', 'お電話ありがとうございます。株式会社テストの佐藤でございます。'],
      ['customer', '先月の請求書について確認したいのですが。'],
      ['operator', 'かしこまりました。お客様番号をお願いいたします。'],
    ],
  },
  C2: {
    ext: '202',
    lines: [
      ['customer', '解約の手続きをしたいです。'],
      ['operator', '解約ですね。理由をお伺いしてもよろしいですか。'],
      ['customer', 'ライバル社のほうが安いので。'],
    ],
  },
  C3: {
    ext: '202',
    lines: [
      ['customer', 'パスワードを忘れてしまいました。'],
      ['operator', 'パスワードの再設定をご案内します。'],
    ],
  },
  C4: {
    ext: '203',
    lines: [
      ['operator', 'ＡＢＣ１２３の型番でよろしいですね。'],
      ['customer', 'はい、そうです。'],
    ],
  },
  C5: {
    ext: '203',
    lines: [
      ['customer', '商品を返品したいのですが。'],
      ['operator', '承知しました。返品の送り先をご案内します。'],
    ],
  },
  C6: {
    ext: '201',
    notes: '返金対応済み、解約希望なし',
    lines: [
      ['customer', '請求金額が間違っています。'],
      ['operator', '大変失礼いたしました。返金の手続きをいたします。'],
    ],
  },
};

const EXPECTED: Array<[string, string, string[]]> = [
  ['kanji', '請求', ['C1', 'C6']],
  ['hiragana', 'かしこまりました', ['C1']],
  ['hiragana finds katakana', 'ぱすわーど', ['C3']],
  ['katakana', 'パスワード', ['C3']],
  ['half-width katakana', 'ﾊﾟｽﾜｰﾄﾞ', ['C3']],
  ['half-width katakana with long vowel', 'ﾗｲﾊﾞﾙ', ['C2']],
  ['full-width alphanumerics', 'ＡＢＣ１２３', ['C4']],
  ['ASCII finds full-width', 'abc123', ['C4']],
  ['mixed kanji and kana', 'お客様番号', ['C1']],
  ['mixed latin, digits and kanji', 'ABC１２３の型番', ['C4']],
  ['phrase', '"解約の手続き"', ['C2']],
  ['phrase must be contiguous', '"解約 手続き"', []],
  ['AND across segments and notes', '解約 手続き', ['C2', 'C6']],
  ['OR', 'パスワード OR 返品', ['C3', 'C5']],
  ['full-width bar as OR', '型番｜佐藤', ['C1', 'C4']],
  ['NOT', '手続き -返金', ['C2']],
  ['NOT keyword with group', '(返品 OR 返金) NOT 請求', ['C5']],
  ['single kanji', '様', ['C1']],
  ['single kanji in two calls', '金', ['C6']],
  ['single hiragana', 'ぱ', ['C3']],
  ['notes only', '返金対応', ['C6']],
  ['punctuation ignored', '請求、金額', ['C6']],
  ['nothing', '存在しない言葉', []],
];

describe.each(testDatabases())('FlexVNote Japanese search on $name', (db) => {
  let t: TestApp;
  let admin: HttpClient;
  let other: HttpClient;
  let operator: HttpClient;
  const callIds = new Map<string, string>();
  const names = new Map<string, string>();
  let otherCallId: string;
  let tenantA: string;
  const transcripts = new Map<string, string>();

  beforeAll(async () => {
    t = await startTestApp(db);
    // Notes edited through the recordings API are re-indexed before every search here, not every 10 s.
    t.app.get(NoteSync).minIntervalMs = 0;
    admin = await setupVnoteTenant(t);
    const tenantId = (await admin.get('/api/v1/auth/me')).body.tenant.id;
    tenantA = tenantId;
    const op = await addUser(t, admin, 'op@example.jp', ['operator']);
    operator = op.client;
    const keys = Object.keys(CORPUS);
    const calls = await seedCalls(
      t.dataSource,
      tenantId,
      keys.map((k, i) => ({
        caller: `03-1234-000${i}`,
        callee: CORPUS[k].ext,
        extension: CORPUS[k].ext,
        startedAt: `2026-11-0${i + 1}T01:00:00Z`,
        notes: CORPUS[k].notes ?? null,
        userId: k === 'C1' ? op.id : null,
      })),
    );
    for (const [i, k] of keys.entries()) {
      callIds.set(k, calls[i].id);
      names.set(calls[i].id, k);
      transcripts.set(k, await storeTranscript(t, tenantId, calls[i].id, dialogue(CORPUS[k].lines)));
    }
    // Tenant B says the same words: none of it may show in tenant A.
    const b = await admin.post('/api/v1/tenants', {
      name: 'B社',
      products: ['flexvnote'],
      admin: { email: 'b@example.jp', displayName: 'B', password: 'Tenant-Adm1n!' },
    });
    const [bCall] = await seedCalls(t.dataSource, b.body.tenant.id, [
      { caller: '03-9999-0000', callee: '301', startedAt: '2026-11-02T00:00:00Z', notes: '請求の件' },
    ]);
    otherCallId = bCall.id;
    await storeTranscript(
      t,
      b.body.tenant.id,
      bCall.id,
      dialogue([['customer', '請求書のパスワードを教えてください']]),
    );
    other = t.client();
    await other.post('/api/v1/auth/login', { email: 'b@example.jp', password: 'Tenant-Adm1n!' });
  });
  afterAll(async () => t?.close());

  const found = async (c: HttpClient, query: string) => {
    const res = await c.get(`/api/v1/vnote/search?${query}`);
    expect(res.status).toBe(200);
    return (res.body.items as Array<{ call: { id: string } }>).map((i) => names.get(i.call.id) ?? i.call.id).sort();
  };

  it.each(EXPECTED)('%s: %s', async (_label, q, expected) => {
    expect(await found(admin, `q=${encodeURIComponent(q)}`)).toEqual(expected);
  });

  // The plan for common terms (walk calls newest first, check each) must answer exactly the same.
  it.each(EXPECTED)('walking calls instead of asking the full-text index, %s: %s', async (_label, q, expected) => {
    const service = t.app.get(VnoteSearchService);
    service.fulltextMaxDocs = -1;
    try {
      expect(await found(admin, `q=${encodeURIComponent(q)}`)).toEqual(expected);
    } finally {
      service.fulltextMaxDocs = FULLTEXT_MAX_DOCS;
    }
  });

  it('returns hits with segment, time, speaker and highlights in the original text', async () => {
    const res = await admin.get(`/api/v1/vnote/search?q=${encodeURIComponent('ﾊﾟｽﾜｰﾄﾞ')}`);
    const [item] = res.body.items;
    expect(item.hitCount).toBe(2);
    expect(item.hits[0]).toMatchObject({
      kind: 'segment',
      startMs: 0,
      endMs: 3000,
      channel: 0,
      speaker: 'customer',
      text: 'パスワードを忘れてしまいました。',
      highlights: [{ start: 0, end: 5 }],
    });
    expect(typeof item.hits[0].segmentId).toBe('string');
    expect(item.hits[1]).toMatchObject({ startMs: 3500, speaker: 'operator', channel: 1 });
    expect(item.call).toMatchObject({ id: callIds.get('C3'), extension: '202' });
    const notes = (await admin.get(`/api/v1/vnote/search?q=${encodeURIComponent('返金対応')}`)).body.items[0];
    expect(notes.hits).toEqual([
      expect.objectContaining({ kind: 'note', segmentId: null, startMs: null, highlights: [{ start: 0, end: 4 }] }),
    ]);
  });

  it('combines with every call filter of the recordings search, and pages with a cursor', async () => {
    expect(await found(admin, `q=${encodeURIComponent('請求')}&extension=201`)).toEqual(['C1', 'C6']);
    expect(await found(admin, `q=${encodeURIComponent('請求')}&from=2026-11-05`)).toEqual(['C6']);
    expect(await found(admin, `q=${encodeURIComponent('ご案内')}&extension=203`)).toEqual(['C5']);
    expect(await found(admin, `q=${encodeURIComponent('ご案内')}&hasNotes=true`)).toEqual([]);
    const first = await admin.get(`/api/v1/vnote/search?q=${encodeURIComponent('ます')}&limit=2`);
    expect(first.body.items.map((i: { call: { id: string } }) => names.get(i.call.id))).toEqual(['C6', 'C5']);
    const next = await admin.get(
      `/api/v1/vnote/search?q=${encodeURIComponent('ます')}&limit=2&cursor=${first.body.nextCursor}`,
    );
    // C2 says です but never ます.
    expect(next.body.items.map((i: { call: { id: string } }) => names.get(i.call.id))).toEqual(['C3', 'C1']);
    if (next.body.nextCursor) {
      const last = await admin.get(
        `/api/v1/vnote/search?q=${encodeURIComponent('ます')}&limit=2&cursor=${next.body.nextCursor}`,
      );
      expect(last.body).toEqual({ items: [], nextCursor: null });
    }
  });

  it('sees notes edited after indexing', async () => {
    await admin.patch(`/api/v1/calls/${callIds.get('C4')}`, { notes: 'ｶﾀﾛｸﾞ送付予定' });
    expect(await found(admin, `q=${encodeURIComponent('カタログ')}`)).toEqual(['C4']);
    await admin.patch(`/api/v1/calls/${callIds.get('C4')}`, { notes: '' });
    expect(await found(admin, `q=${encodeURIComponent('カタログ')}`)).toEqual([]);
  });

  it('shows operators only their own calls when the tenant policy says so', async () => {
    expect((await admin.patch('/api/v1/recordings/policy', { operatorsSeeOwnCallsOnly: false })).status).toBe(200);
    expect(await found(operator, `q=${encodeURIComponent('請求')}`)).toEqual(['C1', 'C6']);
    expect((await admin.patch('/api/v1/recordings/policy', { operatorsSeeOwnCallsOnly: true })).status).toBe(200);
    expect(await found(operator, `q=${encodeURIComponent('請求')}`)).toEqual(['C1']);
  });

  it('keeps per-tenant token statistics exact when a transcript is indexed again', async () => {
    const statistics = t.app.get(GramStatistics);
    const token = bigramToken('請', '求');
    const count = async (tenantId: string) => (await statistics.frequencies(tenantId, [token])).get(token);
    expect(await count(tenantA)).toBe(2); // C1 and C6, one segment each
    await t.app
      .get(TranscriptEvents)
      .emitSaved({ tenantId: tenantA, callId: callIds.get('C1') ?? '', transcriptId: transcripts.get('C1') ?? '' });
    expect(await count(tenantA)).toBe(2);
    const tenantB = (await other.get('/api/v1/auth/me')).body.tenant.id;
    expect(await count(tenantB)).toBe(2); // B's segment and B's note
  });

  it('keeps tenants apart', async () => {
    expect(await found(other, `q=${encodeURIComponent('請求')}`)).toEqual([otherCallId]);
    expect(await found(other, `q=${encodeURIComponent('パスワード')}`)).toEqual([otherCallId]);
    expect(await found(admin, `q=${encodeURIComponent('教えてください')}`)).toEqual([]);
  });

  it.each([
    ['q=%22%E8%AB%8B%E6%B1%82', 'q', 'unbalanced quotes'],
    ['q=', 'q', 'is empty'],
    [`q=${'あ'.repeat(201)}`, 'q', 'too long'],
    ['q=-%E8%AB%8B%E6%B1%82', 'q', 'needs at least one word'],
    ['q=(%E8%AB%8B%E6%B1%82', 'q', 'unbalanced parentheses'],
    ['q=x&flag=bad', 'flag', ''],
    ['q=x&minSilenceCount=-1', 'minSilenceCount', ''],
    ['q=x&maxOperatorTalkPercent=101', 'maxOperatorTalkPercent', ''],
    ['q=x&cursor=!!', 'cursor', ''],
    ['q=x&from=yesterday', 'from', ''],
  ])('refuses %s with a field error on %s', async (query, field, message) => {
    const res = await admin.get(`/api/v1/vnote/search?${query}`);
    expect(res.status).toBe(400);
    const problem = res.body.errors.find((e: { field: string }) => e.field === field);
    expect(problem).toBeDefined();
    expect(problem.message).toContain(message);
  });
});
