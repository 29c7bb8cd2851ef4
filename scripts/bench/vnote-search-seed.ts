// Corpus and bulk load of the FlexVNote search benchmark (scripts/bench-vnote-search.ts).
import { randomUUID } from 'node:crypto';
import mysql from 'mysql2/promise';
import { indexTokens } from '../../backend/src/products/vnote/search/gram-tokens';
import { normaliseText } from '../../backend/src/products/vnote/search/japanese-normaliser';

export const log = (...a: unknown[]) => console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...a);

/** Deterministic random numbers (mulberry32): the same seed, the same corpus. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const OPERATOR = [
  'お電話ありがとうございます',
  '株式会社テストサポートセンターでございます',
  'かしこまりました',
  '少々お待ちください',
  'お待たせいたしました',
  '確認いたします',
  'お客様番号をお願いいたします',
  '申し訳ございません',
  'ご請求金額についてご説明します',
  'パスワードの再設定をご案内します',
  '担当部署におつなぎします',
  '本日中に折り返しご連絡いたします',
  'ご契約内容を確認しました',
  'ほかにご不明な点はございますか',
  '解約のお手続きを承ります',
  '返品の送り先をご案内します',
  'メールでお送りします',
  'ありがとうございました',
];
const CUSTOMER = [
  'すみません',
  'ちょっとお聞きしたいのですが',
  '先月の請求書について確認したいのですが',
  'はい',
  'そうです',
  'パスワードを忘れてしまいました',
  'ログインできません',
  '解約したいと思っています',
  '商品を返品したいのですが',
  '届いた商品が壊れていました',
  'いつごろ届きますか',
  'よろしくお願いします',
  '料金プランを変更したいです',
  '支払い方法を変えたいのですが',
  'わかりました',
  'ありがとうございます',
  'ﾊﾟｽﾜｰﾄﾞの件です',
  'ええ、そうですね',
];
const NAMES = [
  '佐藤',
  '鈴木',
  '高橋',
  '田中',
  '伊藤',
  '渡辺',
  '山本',
  '中村',
  '小林',
  '加藤',
  '吉田',
  '山田',
  '松本',
  '井上',
  '木村',
];

function segmentText(r: () => number, speaker: 'operator' | 'customer'): string {
  const pool = speaker === 'operator' ? OPERATOR : CUSTOMER;
  const parts = [pool[Math.floor(r() * pool.length)]];
  if (r() < 0.5) parts.push(pool[Math.floor(r() * pool.length)]);
  if (r() < 0.05) parts.push(`${NAMES[Math.floor(r() * NAMES.length)]}と申します`);
  if (r() < 0.02) parts.push(`型番はＸＺ${100 + Math.floor(r() * 900)}です`);
  return parts.join('、') + '。';
}

export async function seed(tenantId: string, conn: mysql.Connection, calls: number, segments: number): Promise<void> {
  await conn.query('CREATE TABLE IF NOT EXISTS _bench_vnote_seed (done INT)');
  const [marker] = (await conn.query('SELECT done FROM _bench_vnote_seed')) as [Array<{ done: number }>, unknown];
  if (marker.length) return log('seed: already present');
  const r = rng(7);
  const t0 = Date.now();
  const perCall = Math.ceil(segments / calls);
  const start = Date.UTC(2026, 9, 1);
  const callRows: unknown[][] = [];
  const analysisRows: unknown[][] = [];
  for (let i = 0; i < calls; i++) {
    const id = randomUUID();
    const startedAt = new Date(start + Math.floor((i / calls) * 30 * 86_400_000));
    const ext = String(200 + (i % 40));
    const caller = `03${String(10_000_000 + i).slice(-8)}`;
    callRows.push([
      id,
      tenantId,
      randomUUID(),
      'flexlog',
      'tokyo',
      null,
      'inbound',
      caller,
      null,
      caller,
      [...caller].reverse().join(''),
      null,
      ext,
      null,
      ext,
      [...ext].reverse().join(''),
      null,
      ext,
      null,
      startedAt,
      startedAt,
      startedAt,
      3,
      300,
      'answered',
      'PCMU',
      'stereo',
      null,
      null,
      null,
      0,
      startedAt,
    ]);
    analysisRows.push([
      randomUUID(),
      tenantId,
      id,
      randomUUID(),
      0,
      0,
      0,
      '[]',
      Math.floor(r() * 4),
      Math.floor(r() * 3),
      30 + Math.floor(r() * 50),
      300 + Math.floor(r() * 200),
      10_000 + Math.floor(r() * 50_000),
      '{}',
      startedAt,
    ]);
  }
  for (let i = 0; i < callRows.length; i += 1000) {
    await conn.query(
      'INSERT INTO calls (id, tenantId, clientRecordingId, source, siteId, lineId, direction, callerDialled, callerE164, ' +
        'callerDigits, callerDigitsReversed, callerName, calleeDialled, calleeE164, calleeDigits, calleeDigitsReversed, ' +
        'calleeName, extension, userId, startedAt, answeredAt, endedAt, ringSeconds, talkSeconds, disposition, codec, ' +
        'channelLayout, quality, dtmf, notes, legalHold, createdAt) VALUES ?',
      [callRows.slice(i, i + 1000)],
    );
    await conn.query(
      'INSERT INTO vnote_call_analyses (id, tenantId, callId, transcriptId, ngCount, competitorCount, ' +
        'missingRequiredCount, missingRequired, silenceCount, overlapCount, operatorTalkPercent, speechRate, ' +
        'longestMonologueMs, metrics, computedAt) VALUES ?',
      [analysisRows.slice(i, i + 1000)],
    );
  }
  log(`seed: ${calls} calls in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  await conn.query('ALTER TABLE vnote_search_docs DROP INDEX ft_vnote_search_docs_grams');
  const cache = new Map<string, [string, string]>();
  let batch: unknown[][] = [];
  let written = 0;
  const t1 = Date.now();
  for (let c = 0; c < calls && written + batch.length < segments; c++) {
    const callId = callRows[c][0];
    for (let s = 0; s < perCall && written + batch.length < segments; s++) {
      const speaker = s % 2 ? 'customer' : 'operator';
      const text = segmentText(r, speaker);
      let entry = cache.get(text);
      if (!entry) {
        const norm = normaliseText(text);
        entry = [norm, indexTokens(norm)];
        cache.set(text, entry);
      }
      batch.push([
        tenantId,
        callId,
        'segment',
        randomUUID(),
        s * 4000,
        s * 4000 + 3500,
        s % 2 ? 0 : 1,
        speaker,
        text,
        ...entry,
      ]);
      if (batch.length === 2000) {
        await insertDocs(conn, batch);
        written += batch.length;
        batch = [];
        if (written % 100_000 === 0) log(`seed: ${written} segments`);
      }
    }
  }
  if (batch.length) await insertDocs(conn, batch);
  written += batch.length;
  log(`seed: ${written} segments in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
  await rebuildStatistics(conn, tenantId);

  const t2 = Date.now();
  await buildFulltext(conn);
  log(`seed: FULLTEXT index built in ${((Date.now() - t2) / 1000).toFixed(1)} s`);
  await conn.query('ANALYZE TABLE calls, vnote_search_docs, vnote_call_analyses');
  await conn.query('INSERT INTO _bench_vnote_seed VALUES (1)');
}

/** Token statistics as the indexer keeps them (GramStatistics), counted from the stored texts. */
export async function rebuildStatistics(conn: mysql.Connection, tenantId: string): Promise<void> {
  const grams = new Map<string, number>();
  for (let last = 0; ;) {
    const [rows] = (await conn.query(
      'SELECT id, grams FROM vnote_search_docs WHERE tenantId = ? AND id > ? ORDER BY id LIMIT 50000',
      [tenantId, last],
    )) as unknown as [Array<{ id: number; grams: string }>];
    if (!rows.length) break;
    for (const row of rows) for (const t of row.grams.split(' ')) grams.set(t, (grams.get(t) ?? 0) + 1);
    last = rows[rows.length - 1].id;
  }
  await conn.query('DELETE FROM vnote_search_grams WHERE tenantId = ?', [tenantId]);
  const rows = [...grams].map(([token, n]) => [tenantId, token, n]);
  for (let i = 0; i < rows.length; i += 5000) {
    await conn.query('INSERT INTO vnote_search_grams (tenantId, token, docs) VALUES ?', [rows.slice(i, i + 5000)]);
  }
  log(`seed: statistics of ${rows.length} tokens`);
}

/**
 * Rebuilds the FULLTEXT index after the load and checks it with a probe: on this MariaDB (10.11) an
 * in-place build once came back empty while the app held the table open; a second build (or a copying
 * one) fills it.
 */
async function buildFulltext(conn: mysql.Connection): Promise<void> {
  const [[first]] = (await conn.query('SELECT grams FROM vnote_search_docs ORDER BY id LIMIT 1')) as unknown as [
    [{ grams: string }],
  ];
  const probe = first.grams.split(' ')[0];
  for (const algorithm of ['INPLACE', 'INPLACE', 'COPY']) {
    await conn.query(
      `ALTER TABLE vnote_search_docs ADD FULLTEXT INDEX ft_vnote_search_docs_grams (grams), ALGORITHM=${algorithm}`,
    );
    const [[{ n }]] = (await conn.query(
      'SELECT COUNT(*) AS n FROM vnote_search_docs WHERE MATCH(grams) AGAINST (? IN BOOLEAN MODE)',
      [`+${probe}`],
    )) as unknown as [[{ n: number }]];
    if (Number(n) > 0) return;
    log(`seed: FULLTEXT index (${algorithm}) came back empty, building it again`);
    await conn.query('ALTER TABLE vnote_search_docs DROP INDEX ft_vnote_search_docs_grams');
  }
  throw new Error('the FULLTEXT index stays empty');
}

const insertDocs = (conn: mysql.Connection, rows: unknown[][]) =>
  conn.query(
    'INSERT INTO vnote_search_docs (tenantId, callId, kind, segmentId, startMs, endMs, channel, speaker, text, norm, grams) VALUES ?',
    [rows],
  );
