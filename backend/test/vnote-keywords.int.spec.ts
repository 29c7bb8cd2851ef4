import { KeywordAlerts } from '../src/products/vnote/search/keyword-alerts';
import { TranscriptEvents, VnoteHotwords } from '../src/products/vnote/shared/transcript-events';
import { verifyWebhookSignature } from '../src/core/webhooks/webhook-signing';
import { eventually } from './support/store-probes';
import { WebhookReceiver } from './support/webhook-receiver';
import { seedCalls } from './support/call-seed';
import { HttpClient } from './support/http-client';
import { startSmtpProcess, TestSmtpServer } from './support/smtp-server-process';
import { startTestApp, TestApp } from './support/test-app';
import { testDatabases } from './support/test-databases';
import { addUser, setupVnoteTenant, storeTranscript } from './support/vnote-fixtures';

/** Subject and text of a message as a mail client shows them (RFC 2047 words, base64 or QP body). */
function decodeMail(raw: string): { subject: string; text: string } {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const subject = (/^Subject: (.*)$/im.exec(unfolded)?.[1] ?? '').replace(
    /=\?utf-8\?([BQ])\?([^?]*)\?=\s*/gi,
    (_m, enc: string, data: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('utf8')
        : decodeURIComponent(
            data
              .replace(/_/g, ' ')
              .replace(/%/g, '%25')
              .replace(/=([0-9A-F]{2})/gi, '%$1'),
          ),
  );
  const body = rest.join('\n\n');
  const text = /content-transfer-encoding: base64/i.test(unfolded)
    ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
    : decodeURIComponent(
        body
          .replace(/=\r?\n/g, '')
          .replace(/%/g, '%25')
          .replace(/=([0-9A-F]{2})/gi, '%$1'),
      );
  return { subject, text };
}

describe.each(testDatabases())('FlexVNote keywords, alerts and metrics on $name', (db) => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let admin: HttpClient;
  let supervisor: HttpClient;
  let operator: HttpClient;
  let other: HttpClient;
  let tenantId: string;
  let receiver: WebhookReceiver;
  let hook: { id: string; secret: string };
  const ids: Record<string, string> = {};
  const dictionaries: Record<string, string> = {};

  beforeAll(async () => {
    smtp = await startSmtpProcess();
    receiver = await new WebhookReceiver().start();
    t = await startTestApp(db);
    admin = await setupVnoteTenant(t, smtp.port);
    tenantId = (await admin.get('/api/v1/auth/me')).body.tenant.id;
    supervisor = (await addUser(t, admin, 'sv@example.jp', ['supervisor'])).client;
    operator = (await addUser(t, admin, 'op@example.jp', ['operator'])).client;
    const b = await admin.post('/api/v1/tenants', {
      name: 'B社',
      products: ['flexvnote'],
      admin: { email: 'b@example.jp', displayName: 'B', password: 'Tenant-Adm1n!' },
    });
    other = t.client();
    await other.post('/api/v1/auth/login', { email: 'b@example.jp', password: 'Tenant-Adm1n!' });
    expect(b.status).toBe(201);
    const created = await admin.post('/api/v1/webhooks', {
      name: 'NG alerts',
      url: receiver.url('/vnote'),
      events: ['vnote.keyword'],
    });
    expect(created.status).toBe(201);
    hook = created.body;
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
    await receiver?.close();
  });

  it('keeps dictionaries per tenant, refusing bad entries with field errors and writing nothing', async () => {
    const bad = [
      [{ kind: 'slang', name: 'x', entries: [] }, 'kind'],
      [{ kind: 'ng', name: '', entries: [] }, 'name'],
      [{ kind: 'ng', name: 'x', entries: ['ok', '  ', '。'] }, 'entries[1]'],
      [{ kind: 'ng', name: 'x', entries: ['あ'.repeat(101)] }, 'entries'],
    ] as const;
    for (const [body, field] of bad) {
      const res = await supervisor.post('/api/v1/vnote/dictionaries', body);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect((await admin.get('/api/v1/vnote/dictionaries')).body).toEqual([]);
    expect((await operator.post('/api/v1/vnote/dictionaries', { kind: 'ng', name: 'x', entries: [] })).status).toBe(
      403,
    );

    const make = async (kind: string, name: string, entries: string[]) => {
      const res = await supervisor.post('/api/v1/vnote/dictionaries', { kind, name, entries });
      expect(res.status).toBe(201);
      dictionaries[kind] = res.body.id;
      return res.body;
    };
    // ﾊﾞｶ and バカ are one entry once normalised: the second is dropped.
    expect((await make('ng', 'NGワード', ['バカ', 'ﾊﾞｶ', 'ふざけるな'])).entries).toEqual(['バカ', 'ふざけるな']);
    await make('required', '第一声', ['お電話ありがとうございます']);
    await make('competitor', '競合', ['ﾗｲﾊﾞﾙ社']);
    await make('hotword', '製品名', ['フレックスノート']);
    expect((await operator.get('/api/v1/vnote/dictionaries')).body.map((d: { kind: string }) => d.kind)).toEqual([
      'competitor',
      'hotword',
      'ng',
      'required',
    ]);
    expect(await t.app.get(VnoteHotwords).forTenant(tenantId)).toEqual(['ﾗｲﾊﾞﾙ社', 'フレックスノート']);
  });

  it('flags calls, lists keyword hits and mails the supervisors once when an NG word is spoken', async () => {
    const [k1, k2, k3] = await seedCalls(t.dataSource, tenantId, [
      { caller: '03-1111-0001', callee: '201', startedAt: '2026-11-01T01:00:00Z' },
      { caller: '03-1111-0002', callee: '201', startedAt: '2026-11-02T01:00:00Z' },
      { caller: '03-1111-0003', callee: '201', startedAt: '2026-11-03T01:00:00Z' },
    ]);
    Object.assign(ids, { K1: k1.id, K2: k2.id, K3: k3.id });
    const k1Transcript = await storeTranscript(t, tenantId, k1.id, [
      { speaker: 'operator', startMs: 0, endMs: 3000, text: 'お電話ありがとうございます。' },
      { speaker: 'customer', startMs: 3500, endMs: 6000, text: 'ﾊﾞｶにしているのか！' },
    ]);
    await storeTranscript(t, tenantId, k2.id, [
      { speaker: 'customer', startMs: 0, endMs: 3000, text: 'ライバル社に乗り換えます。' },
    ]);
    // Hand-made timing: operator 0-4000, customer 3500-6000 (500 ms overlap), silence 6000-10000,
    // customer 10000-12000, operator 13000-20000 in two segments.
    await storeTranscript(t, tenantId, k3.id, [
      { speaker: 'operator', startMs: 0, endMs: 4000, text: 'はい、サポートです。' },
      { speaker: 'customer', startMs: 3500, endMs: 6000, text: 'すみません' },
      { speaker: 'customer', startMs: 10000, endMs: 12000, text: '解約したい' },
      { speaker: 'operator', startMs: 13000, endMs: 16000, text: 'かしこまりました' },
      { speaker: 'operator', startMs: 16000, endMs: 20000, text: '少々お待ちください' },
    ]);

    const hits = (await supervisor.get(`/api/v1/vnote/calls/${k1.id}/keyword-hits`)).body;
    expect(hits.flags).toEqual({ ng: 1, competitor: 0, missingRequired: [] });
    expect(hits.hits).toEqual([
      expect.objectContaining({
        kind: 'required',
        entry: 'お電話ありがとうございます',
        startMs: 0,
        speaker: 'operator',
      }),
      expect.objectContaining({
        dictionaryId: dictionaries.ng,
        kind: 'ng',
        entry: 'バカ',
        startMs: 3500,
        channel: 0,
        speaker: 'customer',
        text: 'ﾊﾞｶにしているのか！',
        highlights: [{ start: 0, end: 3 }],
      }),
    ]);
    const k2Hits = (await supervisor.get(`/api/v1/vnote/calls/${k2.id}/keyword-hits`)).body;
    expect(k2Hits.flags).toEqual({ ng: 0, competitor: 1, missingRequired: ['お電話ありがとうございます'] });
    expect(k2Hits.hits[0]).toMatchObject({ kind: 'competitor', entry: 'ﾗｲﾊﾞﾙ社', highlights: [{ start: 0, end: 5 }] });

    const mail = await smtp.waitFor((m) => m.to.includes('sv@example.jp'));
    const { subject, text } = decodeMail(mail.raw);
    expect(subject).toContain('NGワード検知: バカ');
    expect(text).toContain(k1.id);
    expect(text).toContain('ﾊﾞｶにしているのか！');
    // Supervisors are told; the admin is not when a supervisor exists.
    await t.app.get(KeywordAlerts).drain();
    expect(smtp.received.every((m) => !m.to.includes('admin@example.jp'))).toBe(true);

    // The same transcript announced again does not alert again.
    await storeTranscriptAgain(k1.id, k1Transcript);
    await t.app.get(KeywordAlerts).drain();
    const audit = (await admin.get('/api/v1/audit?action=vnote.keyword.alerted')).body.items;
    expect(audit).toHaveLength(1);
    const details = JSON.parse(audit[0].details);
    expect(details).toMatchObject({ mailed: ['sv@example.jp'], entries: ['バカ'] });
    expect(details.webhooks).toBe(1);

    // The webhook: one signed `vnote.keyword` event for K1 (queued once, delivered by the runner).
    const deliveries = (await admin.get(`/api/v1/webhooks/${hook.id}/deliveries`)).body;
    expect(deliveries).toHaveLength(1);
    const got = await eventually(async () => receiver.at('/vnote')[0], 'vnote.keyword delivery');
    const headers = {
      signature: got.headers['x-signature-256'] as string,
      timestamp: got.headers['x-webhook-timestamp'] as string,
    };
    expect(verifyWebhookSignature(hook.secret, headers, got.body)).toBe(true);
    expect(JSON.parse(got.body)).toMatchObject({
      type: 'vnote.keyword',
      data: {
        callId: k1.id,
        transcriptId: k1Transcript,
        hits: [{ kind: 'ng', entry: 'バカ', startMs: 3500, speaker: 'customer', text: 'ﾊﾞｶにしているのか！' }],
      },
    });
  });

  const storeTranscriptAgain = (callId: string, transcriptId: string) =>
    t.app.get(TranscriptEvents).emitSaved({ tenantId, callId, transcriptId });

  it('computes conversation metrics by hand-checked definitions', async () => {
    // Operators see only their own calls (the tenant's default policy): this one is nobody's.
    expect((await operator.get(`/api/v1/vnote/calls/${ids.K3}/metrics`)).status).toBe(404);
    const m = (await supervisor.get(`/api/v1/vnote/calls/${ids.K3}/metrics`)).body;
    expect(m).toMatchObject({
      callId: ids.K3,
      durationMs: 20000,
      silenceCount: 1,
      silenceTotalMs: 4000,
      silences: [{ startMs: 6000, endMs: 10000 }],
      overlapCount: 1,
      overlapTotalMs: 500,
      longestMonologue: { speaker: 'operator', startMs: 13000, endMs: 20000, durationMs: 7000 },
    });
    // operator 4000 + 7000 = 11000 ms, customer 2500 + 2000 = 4500 ms -> 71 % / 29 %
    expect(m.speakers.operator).toMatchObject({ talkMs: 11000, talkPercent: 71 });
    expect(m.speakers.customer).toMatchObject({ talkMs: 4500, talkPercent: 29 });
    // はいさぽーとです (8) + かしこまりました (8) + 少々お待ちください (9) = 25 chars in 11 s -> 136/min
    expect(m.speakers.operator).toMatchObject({ chars: 25, charsPerMinute: 136 });
    // + すみません (5) + 解約したい (5) = 35 chars; someone talks 0-6000, 10000-12000, 13000-20000 = 15 s -> 140/min
    expect(m.speechRate).toBe(140);
  });

  it('filters the search by flags and metric ranges', async () => {
    const found = async (query: string) =>
      ((await supervisor.get(`/api/v1/vnote/search?${query}`)).body.items as Array<{ call: { id: string } }>)
        .map((i) => Object.keys(ids).find((k) => ids[k] === i.call.id))
        .sort();
    expect(await found('flag=ng')).toEqual(['K1']);
    expect(await found('flag=competitor')).toEqual(['K2']);
    expect(await found('flag=missingRequired')).toEqual(['K2', 'K3']);
    expect(await found('flag=any')).toEqual(['K1', 'K2', 'K3']);
    expect(await found('minSilenceCount=1')).toEqual(['K3']);
    expect(await found('minOperatorTalkPercent=60&maxOperatorTalkPercent=80')).toEqual(['K3']);
    expect(await found('minOverlapCount=1')).toEqual(['K3']);
    expect(await found('minLongestMonologueSeconds=7')).toEqual(['K3']);
    expect(await found(`q=${encodeURIComponent('乗り換え')}&flag=competitor`)).toEqual(['K2']);
    expect(await found(`q=${encodeURIComponent('乗り換え')}&flag=ng`)).toEqual([]);
    const item = (await supervisor.get('/api/v1/vnote/search?flag=ng')).body.items[0];
    expect(item).toMatchObject({ hits: [], hitCount: 0, flags: { ng: 1, competitor: 0, missingRequired: [] } });
    expect(item.metrics).toMatchObject({ silenceCount: 0, overlapCount: 0 });
  });

  it('keeps every endpoint to its tenant', async () => {
    expect((await other.get(`/api/v1/vnote/calls/${ids.K1}/metrics`)).status).toBe(404);
    expect((await other.get(`/api/v1/vnote/calls/${ids.K1}/keyword-hits`)).status).toBe(404);
    expect((await other.get(`/api/v1/vnote/dictionaries/${dictionaries.ng}`)).status).toBe(404);
    expect((await other.patch(`/api/v1/vnote/dictionaries/${dictionaries.ng}`, { enabled: false })).status).toBe(404);
    expect((await other.delete(`/api/v1/vnote/dictionaries/${dictionaries.ng}`)).status).toBe(404);
    expect((await other.get('/api/v1/vnote/dictionaries')).body).toEqual([]);
    expect((await other.get('/api/v1/vnote/search?flag=any')).body.items).toEqual([]);
    const bTenant = (await other.get('/api/v1/auth/me')).body.tenant.id;
    expect(await t.app.get(VnoteHotwords).forTenant(bTenant)).toEqual([]);
    expect((await admin.get(`/api/v1/vnote/dictionaries/${dictionaries.ng}`)).body.enabled).toBe(true);
  });

  it('updates and deletes dictionaries, and answers 404 for a call without transcript', async () => {
    const patched = await supervisor.patch(`/api/v1/vnote/dictionaries/${dictionaries.hotword}`, {
      entries: ['ＦｌｅｘＶＮｏｔｅ'],
      enabled: false,
    });
    expect(patched.body).toMatchObject({ entries: ['ＦｌｅｘＶＮｏｔｅ'], enabled: false });
    expect(await t.app.get(VnoteHotwords).forTenant(tenantId)).toEqual(['ﾗｲﾊﾞﾙ社']);
    expect(
      (await supervisor.patch(`/api/v1/vnote/dictionaries/${dictionaries.hotword}`, { entries: [''] })).body.errors,
    ).toEqual([{ field: 'entries[0]', message: expect.any(String) }]);
    expect((await supervisor.delete(`/api/v1/vnote/dictionaries/${dictionaries.hotword}`)).status).toBe(204);
    expect((await supervisor.get(`/api/v1/vnote/dictionaries/${dictionaries.hotword}`)).status).toBe(404);
    const [bare] = await seedCalls(t.dataSource, tenantId, [
      { caller: '03-1111-0009', callee: '201', startedAt: '2026-11-04T01:00:00Z' },
    ]);
    const res = await supervisor.get(`/api/v1/vnote/calls/${bare.id}/metrics`);
    expect(res.status).toBe(404);
    expect(res.body.message).toBe('no transcript');
  });

  it('keeps summaries off: no provider is required or installed', async () => {
    expect((await operator.get('/api/v1/vnote/summary-settings')).body).toEqual({
      enabled: false,
      provider: 'none',
      availableProviders: [],
    });
    const on = await admin.put('/api/v1/vnote/summary-settings', { enabled: true });
    expect(on.status).toBe(400);
    expect(on.body.errors).toEqual([{ field: 'enabled', message: 'no summary provider is installed' }]);
    expect((await admin.put('/api/v1/vnote/summary-settings', { enabled: false })).status).toBe(200);
    expect((await operator.put('/api/v1/vnote/summary-settings', { enabled: false })).status).toBe(403);
  });
});
