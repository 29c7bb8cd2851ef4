import { KintoneHistory } from '../src/products/popup/integrations/kintone/kintone-history';
import { PopupKintoneConnector } from '../src/products/popup/integrations/kintone/kintone-connector.entity';
import type { Tenants } from './support/flexlog-fixtures';
import type { HttpClient } from './support/http-client';
import { KintoneStandIn } from './support/kintone-stand-in';
import { eventFeeder, openPopupDesk, PopupClient, PopupDesk } from './support/popup-fixtures';
import { eventually } from './support/store-probes';
import type { TestApp } from './support/test-app';
import { testDatabases } from './support/test-databases';

const CUSTOMERS_APP = 12;
const HISTORY_APP = 34;
const VIEW_TOKEN = 'ViewToken0123456789';
const ADD_TOKEN = 'AddToken0123456789';
const KINTONE = '/api/v1/popup/integrations/kintone';

describe.each(testDatabases())('popup kintone connector on $name (against kintone-stand-in)', (db) => {
  let desk: PopupDesk;
  let t: TestApp;
  let u: Tenants;
  let kintone: KintoneStandIn;
  let feed: ReturnType<typeof eventFeeder>;
  let popup: PopupClient;

  const settings = (over: Record<string, unknown> = {}) => ({
    enabled: true,
    baseUrl: kintone.baseUrl,
    appId: CUSTOMERS_APP,
    apiToken: VIEW_TOKEN,
    phoneField: '電話番号',
    mapping: { name: '顧客名', company: '会社名', rank: 'ランク', memo: 'メモ' },
    historyEnabled: true,
    historyAppId: HISTORY_APP,
    historyApiToken: ADD_TOKEN,
    historyMapping: {
      number: '電話番号',
      customerName: '顧客名',
      direction: '方向',
      answeredBy: '対応者',
      endedAt: '終了日時',
      talkSeconds: '通話秒数',
      callKey: '通話キー',
    },
    ...over,
  });
  const test = (client: HttpClient, number: string) => client.post(`${KINTONE}/test`, { number });

  beforeAll(async () => {
    kintone = await new KintoneStandIn().start();
    kintone.addApp({
      id: CUSTOMERS_APP,
      fields: {
        電話番号: 'LINK',
        顧客名: 'SINGLE_LINE_TEXT',
        会社名: 'SINGLE_LINE_TEXT',
        ランク: 'DROP_DOWN',
        メモ: 'MULTI_LINE_TEXT',
      },
      tokens: { [VIEW_TOKEN]: ['view'], [ADD_TOKEN]: ['add'] },
    });
    kintone.addApp({
      id: HISTORY_APP,
      fields: {
        電話番号: 'LINK',
        顧客名: 'SINGLE_LINE_TEXT',
        方向: 'SINGLE_LINE_TEXT',
        対応者: 'SINGLE_LINE_TEXT',
        終了日時: 'DATETIME',
        通話秒数: 'NUMBER',
        通話キー: 'SINGLE_LINE_TEXT',
      },
      tokens: { [ADD_TOKEN]: ['add'] },
    });
    kintone.seed(CUSTOMERS_APP, {
      電話番号: '03-1234-5678',
      顧客名: '金 統子',
      会社名: 'キントーン商事',
      ランク: 'A',
      メモ: '折返し希望',
    });
    // Holds the number only as part of a longer one: `like` finds it, the connector must drop it.
    kintone.seed(CUSTOMERS_APP, { 電話番号: '0312345678-9', 顧客名: '別人' });

    desk = await openPopupDesk(db);
    ({ t, u, popup, feed } = desk);
  });
  afterAll(async () => {
    await desk?.close();
    await kintone?.close();
  });

  it('refuses bad settings with field errors and writes nothing', async () => {
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ baseUrl: 'http://example.cybozu.com' }, ['baseUrl']],
      [{ appId: 0, phoneField: '電話 番号' }, ['appId', 'phoneField']],
      [{ mapping: { company: '会社名', colour: '色' } }, ['mapping.colour', 'mapping.name']],
      [{ apiToken: undefined }, ['apiToken']],
      [{ apiToken: 'not a token!' }, ['apiToken']],
      [
        { historyAppId: null, historyApiToken: undefined, historyMapping: {} },
        ['historyAppId', 'historyApiToken', 'historyMapping'],
      ],
      [{ historyMapping: { rating: '評価' } }, ['historyMapping.rating', 'historyMapping']],
      [{ timeoutMs: 10, cacheTtlSeconds: 100_000 }, ['timeoutMs', 'cacheTtlSeconds']],
    ];
    for (const [over, fields] of cases) {
      const res = await u.admin.put(KINTONE, settings(over));
      expect([JSON.stringify(over), res.status]).toEqual([JSON.stringify(over), 400]);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(fields);
    }
    expect((await u.admin.get(KINTONE)).body).toEqual(expect.objectContaining({ configured: false }));
    expect(await t.dataSource.getRepository(PopupKintoneConnector).count()).toBe(0);
  });

  it('seals the API tokens: shown as set, never returned, kept when omitted', async () => {
    const saved = await u.admin.put(KINTONE, settings());
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual(
      expect.objectContaining({ configured: true, apiTokenSet: true, historyApiTokenSet: true }),
    );
    expect(JSON.stringify(saved.body)).not.toContain(VIEW_TOKEN);
    const row = await t.dataSource.getRepository(PopupKintoneConnector).findOneByOrFail({ tenantId: u.tenantId });
    expect(row.tokens).not.toContain(VIEW_TOKEN);
    const withoutTokens: Record<string, unknown> = settings();
    delete withoutTokens['apiToken'];
    delete withoutTokens['historyApiToken'];
    expect((await u.admin.put(KINTONE, withoutTokens)).body.apiTokenSet).toBe(true);
    const audit = await u.admin.get('/api/v1/audit?action=popup.kintone.*');
    expect(audit.body.items.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit.body.items)).not.toContain(VIEW_TOKEN);
  });

  it('test button: looks the number up with the documented request and maps the exact match only', async () => {
    await u.admin.put(KINTONE, settings());
    const res = await test(u.admin, '0312345678');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(
      expect.objectContaining({
        ok: true,
        error: null,
        kintoneCode: null,
        cards: [
          {
            source: 'kintone',
            name: '金 統子',
            company: 'キントーン商事',
            rank: 'A',
            memo: '折返し希望',
            recordId: '1',
          },
        ],
      }),
    );
    const sent = kintone.requests.filter((r) => r.method === 'GET').at(-1);
    expect(sent?.token).toBe(VIEW_TOKEN);
    const params = new URL(sent?.url ?? '', kintone.baseUrl).searchParams;
    expect(params.get('app')).toBe(String(CUSTOMERS_APP));
    expect(params.get('query')).toBe('電話番号 like "0312345678" or 電話番号 like "03-1234-5678" limit 10');
    expect(params.get('fields[0]')).toBe('$id');
    expect((await test(u.admin, '06-0000-0000')).body).toEqual(expect.objectContaining({ ok: true, cards: [] }));
  });

  it("shows kintone's own error codes from its error JSON", async () => {
    await u.admin.put(KINTONE, settings({ appId: 999 }));
    expect((await test(u.admin, '0312345678')).body).toEqual(
      expect.objectContaining({ ok: false, kintoneCode: 'GAIA_AP01', cards: [] }),
    );
    await u.admin.put(KINTONE, settings({ apiToken: 'WrongToken000' }));
    expect((await test(u.admin, '0312345678')).body).toEqual(
      expect.objectContaining({ ok: false, kintoneCode: 'GAIA_IA02' }),
    );
    await u.admin.put(KINTONE, settings({ apiToken: ADD_TOKEN }));
    const refused = (await test(u.admin, '0312345678')).body;
    expect(refused).toEqual(expect.objectContaining({ ok: false, kintoneCode: 'GAIA_NO01' }));
    expect(refused.error).toContain('このAPIトークンでは');
    await u.admin.put(KINTONE, settings({ baseUrl: 'http://127.0.0.1:1' }));
    expect((await test(u.admin, '0312345678')).body).toEqual(expect.objectContaining({ ok: false, kintoneCode: null }));
  });

  it('pops up the kintone card and writes the ended call to the history app', async () => {
    await u.admin.put(KINTONE, settings());
    await feed('ringing', 'kintone-1@pbx');
    const shown = await popup.next('popup:ringing', (p) => p['sipCallId'] === 'kintone-1@pbx');
    expect(shown['externalCards']).toEqual([
      expect.objectContaining({ source: 'kintone', name: '金 統子', recordId: '1' }),
    ]);
    await feed('answered', 'kintone-1@pbx');
    await feed('ended', 'kintone-1@pbx');
    await t.app.get(KintoneHistory).idle();
    const [written] = await eventually(
      async () => (kintone.records(HISTORY_APP).length ? kintone.records(HISTORY_APP) : undefined),
      'history record',
    );
    const value = (code: string) => written[code]?.value;
    expect(value('電話番号')).toBe('03-1234-5678');
    expect(value('顧客名')).toBe('金 統子');
    expect(value('方向')).toBe('inbound');
    expect(value('対応者')).toBe('佐藤');
    expect(value('終了日時')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(value('通話秒数')).toMatch(/^\d+$/);
    expect(value('通話キー')).toMatch(/:kintone-1@pbx$/);
    const posted = kintone.requests.filter((r) => r.method === 'POST');
    expect(posted.map((r) => r.token)).toEqual([ADD_TOKEN]);
    await eventually(async () => {
      const view = (await u.admin.get(KINTONE)).body;
      return view.lastWriteBackAt && view.lastWriteBackError === null ? view : undefined;
    }, 'write-back noted');
  });

  it('retries a history record through the job queue while kintone is unavailable', async () => {
    await u.admin.put(KINTONE, settings());
    const before = kintone.records(HISTORY_APP).length;
    const posts = () => kintone.requests.filter((r) => r.method === 'POST').length;
    const postsBefore = posts();
    await feed('ringing', 'kintone-retry@pbx');
    await popup.next('popup:ringing', (p) => p['sipCallId'] === 'kintone-retry@pbx');
    kintone.failNext(2);
    await feed('ended', 'kintone-retry@pbx');
    await t.app.get(KintoneHistory).idle();
    const records = await eventually(
      async () => (kintone.records(HISTORY_APP).length > before ? kintone.records(HISTORY_APP) : undefined),
      'history record after retries',
    );
    expect(records.at(-1)?.['通話キー']?.value).toMatch(/:kintone-retry@pbx$/);
    expect(posts() - postsBefore).toBe(3);
    await eventually(
      async () => ((await u.admin.get(KINTONE)).body.lastWriteBackError === null ? true : undefined),
      'ok',
    );
  });

  it("keeps kintone's refusal of a history record on the settings page, writing nothing", async () => {
    await u.admin.put(KINTONE, settings());
    kintone.addApp({
      id: 56,
      fields: { 電話番号: 'LINK', 担当部署: 'SINGLE_LINE_TEXT' },
      required: ['担当部署'],
      tokens: { [ADD_TOKEN]: ['add'] },
    });
    await u.admin.put(KINTONE, settings({ historyAppId: 56, historyMapping: { number: '電話番号' } }));
    await feed('ringing', 'kintone-2@pbx');
    await feed('ended', 'kintone-2@pbx');
    await t.app.get(KintoneHistory).idle();
    const view = await eventually(async () => {
      const body = (await u.admin.get(KINTONE)).body;
      return body.lastWriteBackError ? body : undefined;
    }, 'write-back error');
    expect(view.lastWriteBackError).toContain('CB_VA01');
    expect(kintone.records(56)).toEqual([]);
  });

  it("keeps tenants apart: another tenant neither sees nor changes nor runs this tenant's connector", async () => {
    await u.admin.put(KINTONE, settings());
    expect((await u.other.get(KINTONE)).body).toEqual(expect.objectContaining({ configured: false }));
    expect((await test(u.other, '0312345678')).status).toBe(400);
    const theirs = await u.other.put(KINTONE, settings({ appId: 77 }));
    expect(theirs.status).toBe(200);
    expect((await u.other.delete(KINTONE)).status).toBe(204);
    expect((await u.admin.get(KINTONE)).body.appId).toBe(CUSTOMERS_APP);
    for (const client of [u.operator, u.supervisor, u.auditor]) {
      expect((await client.get(KINTONE)).status).toBe(403);
      expect((await client.put(KINTONE, settings())).status).toBe(403);
      expect((await test(client, '0312345678')).status).toBe(403);
    }
  });
});
