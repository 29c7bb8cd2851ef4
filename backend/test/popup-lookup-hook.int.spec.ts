import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PopupLookupHook } from '../src/products/popup/integrations/lookup-hook.entity';
import type { Tenants } from './support/flexlog-fixtures';
import type { HttpClient } from './support/http-client';
import { eventFeeder, openPopupDesk, PopupClient, PopupDesk } from './support/popup-fixtures';
import type { TestApp } from './support/test-app';
import { testDatabases } from './support/test-databases';

/**
 * A customer's own CRM on a loopback port (the thing the hook calls; not a stand-in of any cloud
 * API): /customers?tel=<digits> answers {"records":[…]}; /broken answers 500; /slow never answers.
 */
class LocalCrm {
  readonly requests: Array<{ url: string; headers: IncomingHttpHeaders }> = [];
  private server!: Server;
  private readonly hanging = new Set<() => void>();

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.requests.push({ url: req.url ?? '', headers: req.headers });
      const url = new URL(req.url ?? '/', 'http://crm');
      if (url.pathname === '/slow') {
        this.hanging.add(() => res.destroy());
        return;
      }
      if (url.pathname === '/broken') {
        res.statusCode = 500;
        res.end('{"error":"down"}');
        return;
      }
      const tel = url.searchParams.get('tel');
      res.setHeader('content-type', 'application/json');
      if (tel !== '0312345678') {
        res.statusCode = 404;
        res.end('{"records":[]}');
        return;
      }
      res.end(
        JSON.stringify({
          records: [
            {
              顧客名: '外部 一郎',
              company: { name: '外部商事株式会社' },
              'rank.level': 'A',
              links: ['https://crm.example.jp/c/1'],
              note: null,
            },
          ],
        }),
      );
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  async close(): Promise<void> {
    for (const drop of this.hanging) drop();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const MAPPING = {
  name: '$.顧客名',
  company: '$.company.name',
  rank: "$['rank.level']",
  url: '$.links[0]',
  memo: '$.note',
};

describe.each(testDatabases())('popup external lookup hook on $name', (db) => {
  let desk: PopupDesk;
  let t: TestApp;
  let u: Tenants;
  let crm: LocalCrm;
  let feed: ReturnType<typeof eventFeeder>;
  let popup: PopupClient;

  const config = (over: Record<string, unknown> = {}) => ({
    enabled: true,
    urlTemplate: crm.url('/customers?tel={digits}'),
    headers: { Authorization: 'Bearer crm-token-123', 'X-Tenant': 'a' },
    timeoutMs: 1500,
    cacheTtlSeconds: 300,
    recordsPath: '$.records',
    mapping: MAPPING,
    ...over,
  });
  const put = (client: HttpClient, body: unknown) => client.put('/api/v1/popup/integrations/lookup-hook', body);
  const ring = async (callId: string, caller = '03-1234-5678') => {
    await feed('ringing', callId, { caller });
    return popup.next('popup:ringing', (p) => p['sipCallId'] === callId);
  };

  beforeAll(async () => {
    crm = await new LocalCrm().start();
    desk = await openPopupDesk(db);
    ({ t, u, popup, feed } = desk);
  });
  afterAll(async () => {
    await desk?.close();
    await crm?.close();
  });

  it('refuses bad settings with field errors and writes nothing', async () => {
    expect((await put(u.admin, config())).status).toBe(200);
    const before = (await u.admin.get('/api/v1/popup/integrations/lookup-hook')).body;
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ urlTemplate: crm.url('/customers') }, ['urlTemplate']],
      [{ urlTemplate: 'http://crm.example.jp/c?tel={digits}' }, ['urlTemplate']],
      [{ urlTemplate: 'https://crm.example.jp/c?tel={phone}' }, ['urlTemplate']],
      [{ timeoutMs: 60_000, cacheTtlSeconds: -1 }, ['timeoutMs', 'cacheTtlSeconds']],
      [{ mapping: { company: '$.company' } }, ['mapping.name']],
      [{ mapping: { name: '$..name', colour: '$.c' } }, ['mapping.name', 'mapping.colour']],
      [{ recordsPath: '$.records[*]' }, ['recordsPath']],
      [
        { headers: { Host: 'evil', 'X-Ok': 'line\r\nInjected: 1', 'bad name': 'x' } },
        ['headers.Host', 'headers.X-Ok', 'headers.bad name'],
      ],
    ];
    for (const [over, fields] of cases) {
      const res = await put(u.admin, config(over));
      expect([JSON.stringify(over), res.status]).toEqual([JSON.stringify(over), 400]);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(fields);
    }
    expect((await u.admin.get('/api/v1/popup/integrations/lookup-hook')).body).toEqual(before);
  });

  it('keeps header values sealed: the settings show their names only', async () => {
    const saved = await put(u.admin, config());
    expect(saved.body).toEqual(expect.objectContaining({ headerNames: ['Authorization', 'X-Tenant'] }));
    expect(JSON.stringify(saved.body)).not.toContain('crm-token-123');
    const row = await t.dataSource.getRepository(PopupLookupHook).findOneByOrFail({ tenantId: u.tenantId });
    expect(row.headers).not.toContain('crm-token-123');
    // Saving without `headers` keeps them.
    const withoutHeaders: Record<string, unknown> = config();
    delete withoutHeaders['headers'];
    expect((await put(u.admin, withoutHeaders)).body.headerNames).toEqual(['Authorization', 'X-Tenant']);
    const audit = await u.admin.get('/api/v1/audit?action=popup.lookupHook.*');
    expect(audit.body.items.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit.body.items)).not.toContain('crm-token-123');
  });

  it('test button: runs the saved hook for a number and shows the mapped card', async () => {
    await put(u.admin, config());
    const res = await u.admin.post('/api/v1/popup/integrations/lookup-hook/test', { number: '03-1234-5678' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(
      expect.objectContaining({
        ok: true,
        httpStatus: 200,
        error: null,
        cards: [
          {
            source: 'lookup-hook',
            name: '外部 一郎',
            company: '外部商事株式会社',
            rank: 'A',
            url: 'https://crm.example.jp/c/1',
            memo: null,
          },
        ],
      }),
    );
    const last = crm.requests.at(-1);
    expect(last?.url).toBe('/customers?tel=0312345678');
    expect(last?.headers['authorization']).toBe('Bearer crm-token-123');
    const unknown = await u.admin.post('/api/v1/popup/integrations/lookup-hook/test', { number: '06-0000-0000' });
    expect(unknown.body).toEqual(expect.objectContaining({ ok: true, httpStatus: 404, cards: [] }));
    const bad = await u.admin.post('/api/v1/popup/integrations/lookup-hook/test', { number: 'anonymous' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('number');
  });

  it('shows the external card on the popup, and asks the CRM once per number within the TTL', async () => {
    await put(u.admin, config());
    const asked = () => crm.requests.filter((r) => r.url === '/customers?tel=0312345678').length;
    const first = await ring('hook-1@pbx');
    expect(first['customers']).toEqual([]);
    expect(first['externalCards']).toEqual([expect.objectContaining({ source: 'lookup-hook', name: '外部 一郎' })]);
    const afterFirst = asked();
    const second = await ring('hook-2@pbx');
    expect(second['externalCards']).toEqual(first['externalCards']);
    expect(asked()).toBe(afterFirst);
    // New settings: the cache is dropped and the CRM is asked again.
    await put(u.admin, config({ cacheTtlSeconds: 0 }));
    await ring('hook-3@pbx');
    expect(asked()).toBe(afterFirst + 1);
    // A number the CRM does not know: no external card at all.
    expect((await ring('hook-4@pbx', '06-0000-0000'))['externalCards']).toBeUndefined();
  });

  it('a failing or silent CRM costs the popup nothing but its card; the test button shows why', async () => {
    await put(u.admin, config({ urlTemplate: crm.url('/broken?tel={e164}') }));
    expect((await ring('broken@pbx'))['externalCards']).toBeUndefined();
    const broken = await u.admin.post('/api/v1/popup/integrations/lookup-hook/test', { number: '03-1234-5678' });
    expect(broken.body).toEqual(expect.objectContaining({ ok: false, httpStatus: 500, error: 'answered HTTP 500' }));
    expect(crm.requests.at(-1)?.url).toBe('/broken?tel=%2B81312345678');

    await put(u.admin, config({ urlTemplate: crm.url('/slow?tel={national}'), timeoutMs: 200 }));
    const slowPopup = await ring('slow@pbx');
    expect(slowPopup['externalCards']).toBeUndefined();
    expect(slowPopup['number']).toEqual(expect.objectContaining({ e164: '+81312345678' }));
    const slow = await u.admin.post('/api/v1/popup/integrations/lookup-hook/test', { number: '03-1234-5678' });
    expect(slow.body).toEqual(
      expect.objectContaining({ ok: false, httpStatus: null, error: 'no answer within 200 ms' }),
    );
    expect(crm.requests.at(-1)?.url).toBe('/slow?tel=03-1234-5678');

    await put(u.admin, config({ enabled: false }));
    const before = crm.requests.length;
    expect((await ring('disabled@pbx'))['externalCards']).toBeUndefined();
    expect(crm.requests.length).toBe(before);
  });

  it("keeps tenants apart: another tenant neither sees nor changes nor runs this tenant's hook", async () => {
    await put(u.admin, config());
    const theirs = await u.other.get('/api/v1/popup/integrations/lookup-hook');
    expect(theirs.status).toBe(200);
    expect(theirs.body).toEqual(expect.objectContaining({ enabled: false, urlTemplate: '', headerNames: [] }));
    const test = await u.other.post('/api/v1/popup/integrations/lookup-hook/test', { number: '03-1234-5678' });
    expect(test.status).toBe(400);
    expect((await put(u.other, config({ urlTemplate: 'https://b.example.jp/c?tel={digits}' }))).status).toBe(200);
    expect((await u.other.delete('/api/v1/popup/integrations/lookup-hook')).status).toBe(204);
    expect((await u.admin.get('/api/v1/popup/integrations/lookup-hook')).body.urlTemplate).toBe(
      crm.url('/customers?tel={digits}'),
    );
    for (const client of [u.operator, u.supervisor, u.auditor]) {
      expect((await client.get('/api/v1/popup/integrations/lookup-hook')).status).toBe(403);
      expect((await put(client, config())).status).toBe(403);
    }
  });
});
