import { INestApplication } from '@nestjs/common';
import { RequestContext } from '../src/core/tenancy/request-context';
import { CustomersService } from '../src/products/popup/customers/customers.service';
import { startTestApp, TestApp } from './support/test-app';
import { directoryTenants, DirectoryTenants } from './support/popup-customer-fixtures';
import { testDatabases } from './support/test-databases';

/** matchNumber as the popup calls it: in a tenant's context, from outside any HTTP request. */
const matchAs = (app: INestApplication, tenantId: string, number: string) =>
  app.get(RequestContext).runAsTenant(tenantId, () => app.get(CustomersService).matchNumber(number));

describe.each(testDatabases())('customer directory on $name', (db) => {
  let t: TestApp;
  let u: DirectoryTenants;
  let tenantA: string;
  let tenantB: string;
  let yamada: { id: string };

  beforeAll(async () => {
    t = await startTestApp(db);
    u = await directoryTenants(t);
    tenantA = (await u.admin.get('/api/v1/auth/me')).body.tenant.id;
    tenantB = (await u.other.get('/api/v1/auth/me')).body.tenant.id;
    await u.admin.put('/api/v1/popup/customer-fields', {
      fields: [
        { key: 'memberNo', label: '会員番号', type: 'text' },
        { key: 'birthday', label: '誕生日', type: 'date' },
      ],
    });
    const created = await u.supervisor.post('/api/v1/popup/customers', {
      name: '山田 太郎',
      kana: 'やまだ たろう',
      company: '株式会社山田商事',
      department: '営業部',
      rank: 'vip',
      tags: ['得意先', '得意先', '要折返し'],
      memo: '午前中に連絡',
      numbers: ['03-1234-5678', '０９０（１１１１）２２２２'],
      customFields: { memberNo: 'M-001', birthday: '1980/4/1' },
      externalId: 'C-0001',
    });
    expect(created.status).toBe(201);
    yamada = created.body;
  });
  afterAll(async () => t?.close());

  it('stores a customer with normalised numbers, its rank colour and checked custom fields', async () => {
    const got = (await u.operator.get(`/api/v1/popup/customers/${yamada.id}`)).body;
    expect(got).toMatchObject({
      name: '山田 太郎',
      kana: 'やまだ たろう',
      rank: { code: 'VIP', label: 'VIP', colour: '#C62828' },
      tags: ['得意先', '要折返し'],
      customFields: { memberNo: 'M-001', birthday: '1980-04-01' },
      externalId: 'C-0001',
    });
    expect(got.numbers.map((n: { e164: string }) => n.e164)).toEqual(['+81312345678', '+819011112222']);
    expect(got.numbers[0].display).toBe('03-1234-5678');
  });

  it('finds the customer by a number typed in another format, and only in its own tenant', async () => {
    for (const typed of ['+81312345678', '0312345678', '03 1234 5678', '(03)1234-5678']) {
      const cards = await matchAs(t.app, tenantA, typed);
      expect(cards.map((c) => c.name)).toEqual(['山田 太郎']);
      expect(cards[0]).toMatchObject({
        company: '株式会社山田商事',
        rank: { colour: '#C62828' },
        memo: '午前中に連絡',
      });
    }
    expect(await matchAs(t.app, tenantB, '+81312345678')).toEqual([]);
    expect(await matchAs(t.app, tenantA, 'anonymous')).toEqual([]);
    const viaApi = await u.operator.get('/api/v1/popup/customers/match?number=090-1111-2222');
    expect(viaApi.body.map((c: { id: string }) => c.id)).toEqual([yamada.id]);
    expect((await u.other.get('/api/v1/popup/customers/match?number=090-1111-2222')).body).toEqual([]);
  });

  it('lists every customer sharing a number, with the tenant own rank colours', async () => {
    await u.admin.put('/api/v1/popup/customer-ranks', {
      ranks: [
        { code: 'VIP', label: '最重要', colour: '#AA0000' },
        { code: 'S', label: '標準', colour: '#00AA00' },
      ],
    });
    const spouse = await u.admin.post('/api/v1/popup/customers', {
      name: '山田 花子',
      kana: 'ヤマダ ハナコ',
      numbers: ['0312345678'],
      rank: '標準',
    });
    expect(spouse.status).toBe(201);
    const cards = await matchAs(t.app, tenantA, '+81312345678');
    expect(cards.map((c) => [c.name, c.rank?.colour])).toEqual([
      ['山田 太郎', '#AA0000'],
      ['山田 花子', '#00AA00'],
    ]);
  });

  it('searches by name, kana in hiragana or katakana, and any fragment of a number', async () => {
    await u.admin.post('/api/v1/popup/customers', {
      name: '佐藤 一郎',
      kana: 'サトウ イチロウ',
      numbers: ['045-987-6543'],
    });
    const names = async (q: string) =>
      (await u.operator.get(`/api/v1/popup/customers?q=${encodeURIComponent(q)}`)).body.items.map(
        (c: { name: string }) => c.name,
      );
    expect(await names('佐藤')).toEqual(['佐藤 一郎']);
    expect(await names('さとう')).toEqual(['佐藤 一郎']);
    expect(await names('ﾔﾏﾀﾞﾀﾛｳ')).toEqual(['山田 太郎']);
    expect(await names('987-65')).toEqual(['佐藤 一郎']);
    expect(await names('１２３４')).toEqual(['山田 太郎', '山田 花子']);
    expect(await names('100%')).toEqual([]);
    const page = (await u.operator.get('/api/v1/popup/customers?page=2&pageSize=2')).body;
    expect(page).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(page.items).toHaveLength(1);
  });

  it('rejects bad input naming the field', async () => {
    const bad = await u.admin.post('/api/v1/popup/customers', {
      name: ' ',
      rank: 'Z',
      numbers: ['03-1234-5678', 'desk'],
      customFields: { birthday: '2020-02-30', unknown: 'x' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'customFields.birthday',
      'customFields.unknown',
      'name',
      'numbers[1]',
      'rank',
    ]);
    const taken = await u.admin.post('/api/v1/popup/customers', { name: 'x', externalId: 'C-0001' });
    expect(taken.status).toBe(409);
    expect(taken.text).toContain('externalId');
    expect((await u.operator.get('/api/v1/popup/customers?pageSize=0')).body.errors[0].field).toBe('pageSize');
  });

  it('updates and deletes; a removed number no longer matches', async () => {
    const patched = await u.supervisor.patch(`/api/v1/popup/customers/${yamada.id}`, {
      numbers: ['090-1111-2222'],
      memo: null,
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: '山田 太郎', memo: null, company: '株式会社山田商事' });
    expect((await matchAs(t.app, tenantA, '+81312345678')).map((c) => c.name)).toEqual(['山田 花子']);
    const victim = await u.admin.post('/api/v1/popup/customers', { name: '削除 予定', numbers: ['06-1111-2222'] });
    expect((await u.admin.delete(`/api/v1/popup/customers/${victim.body.id}`)).status).toBe(204);
    expect(await matchAs(t.app, tenantA, '+81611112222')).toEqual([]);
    expect((await u.admin.get(`/api/v1/popup/customers/${victim.body.id}`)).status).toBe(404);
  });

  it('lets operators read but not write, and settings only to tenant admins', async () => {
    expect((await u.operator.post('/api/v1/popup/customers', { name: 'x' })).status).toBe(403);
    expect((await u.operator.patch(`/api/v1/popup/customers/${yamada.id}`, { name: 'x' })).status).toBe(403);
    expect((await u.operator.delete(`/api/v1/popup/customers/${yamada.id}`)).status).toBe(403);
    expect((await u.supervisor.put('/api/v1/popup/customer-ranks', { ranks: [] })).status).toBe(403);
    expect((await u.operator.get('/api/v1/popup/customer-ranks')).status).toBe(200);
  });

  it('keeps every endpoint to its tenant: another tenant sees nothing and changes nothing', async () => {
    const id = yamada.id;
    expect((await u.other.get(`/api/v1/popup/customers/${id}`)).status).toBe(404);
    expect((await u.other.patch(`/api/v1/popup/customers/${id}`, { name: '乗っ取り' })).status).toBe(404);
    expect((await u.other.delete(`/api/v1/popup/customers/${id}`)).status).toBe(404);
    expect((await u.other.get('/api/v1/popup/customers?q=山田')).body).toMatchObject({ total: 0, items: [] });
    expect((await u.other.get('/api/v1/popup/customer-fields')).body).toEqual([]);
    expect((await u.other.get('/api/v1/popup/customer-ranks')).body.map((r: { code: string }) => r.code)).toEqual([
      'VIP',
      'A',
      'B',
      'C',
    ]);
    // B's own customer with A's number: each tenant matches only its own.
    await u.other.post('/api/v1/popup/customers', { name: 'B社の客', numbers: ['090-1111-2222'] });
    expect((await matchAs(t.app, tenantA, '+819011112222')).map((c) => c.name)).toEqual(['山田 太郎']);
    expect((await matchAs(t.app, tenantB, '+819011112222')).map((c) => c.name)).toEqual(['B社の客']);
    expect((await u.admin.get(`/api/v1/popup/customers/${id}`)).body.name).toBe('山田 太郎');
  });
});
