import * as iconv from 'iconv-lite';
import { startTestApp, TestApp } from './support/test-app';
import {
  directoryTenants,
  DirectoryTenants,
  download,
  excelShiftJis,
  excelUtf8,
  STANDARD_MAPPING,
  uploadCsv,
} from './support/popup-customer-fixtures';
import { testDatabases } from './support/test-databases';

const HEADER = ['顧客ID', '氏名', 'フリガナ', '会社名', '部署', 'ランク', 'タグ', 'メモ', '電話番号'];

describe.each(testDatabases())('customer CSV import and export on $name', (db) => {
  let t: TestApp;
  let u: DirectoryTenants;

  const total = async () => (await u.admin.get('/api/v1/popup/customers?pageSize=1')).body.total as number;
  const byNumber = async (n: string) =>
    (await u.admin.get(`/api/v1/popup/customers/match?number=${encodeURIComponent(n)}`)).body;
  const importFile = async (bytes: Buffer, mapping: object = STANDARD_MAPPING) => {
    const up = await uploadCsv(u.admin, bytes);
    expect(up.status).toBe(201);
    return u.admin.post(`/api/v1/popup/customer-imports/${up.body.id}/confirm`, mapping);
  };

  /** Follows a job the way the import page does, polling until it is over. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- job views are read field by field
  const settled = async (job: any) => {
    while (job.status === 'queued' || job.status === 'running') {
      await new Promise((r) => setTimeout(r, 200));
      job = (await u.admin.get(`/api/v1/jobs/${job.id}`)).body;
    }
    return job;
  };

  beforeAll(async () => {
    t = await startTestApp(db);
    u = await directoryTenants(t);
  });
  afterAll(async () => t?.close());

  it('imports a Shift_JIS file saved by Excel: quoted commas and line breaks, full-width text', async () => {
    const file = excelShiftJis([
      HEADER,
      [
        'C-001',
        '髙橋 一郎',
        'たかはし いちろう',
        '㈱タカハシ, 本社',
        '総務部',
        'VIP',
        '得意先、要注意',
        '午前のみ\r\n「至急」は携帯へ',
        '03-1111-2222',
      ],
      ['C-002', '渡辺 花子', 'ワタナベ ハナコ', '', '', 'a', '', '①番窓口', '０９０－３３３３－４４４４;045-555-6666'],
      ['C-003', 'ＡＢＣ商会 佐々木', 'ｻｻｷ', 'ＡＢＣ商会', '', '', '', '"引用"あり', '+81 6 7777 8888'],
    ]);
    const up = await uploadCsv(u.supervisor, file);
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ encoding: 'shift_jis', headers: HEADER, rowCount: 3 });
    expect(up.body.suggestedMapping).toEqual(STANDARD_MAPPING.columns);
    expect(up.body.sample[0][7]).toBe('午前のみ\r\n「至急」は携帯へ');

    const preview = await u.supervisor.post(`/api/v1/popup/customer-imports/${up.body.id}/preview`, {
      ...STANDARD_MAPPING,
      saveAs: '基幹システム',
    });
    expect(preview.body).toMatchObject({ rowCount: 3, create: 3, update: 0, errorCount: 0 });
    const done = await u.supervisor.post(`/api/v1/popup/customer-imports/${up.body.id}/confirm`, STANDARD_MAPPING);
    expect(done.status).toBe(201);
    expect(done.body.result).toEqual({ created: 3, updated: 0 });

    const [takahashi] = await byNumber('0311112222');
    expect(takahashi).toMatchObject({
      name: '髙橋 一郎',
      company: '㈱タカハシ, 本社',
      rank: { code: 'VIP' },
      tags: ['得意先', '要注意'],
      memo: '午前のみ\r\n「至急」は携帯へ',
      externalId: 'C-001',
    });
    expect((await byNumber('+81455556666'))[0]).toMatchObject({
      name: '渡辺 花子',
      rank: { code: 'A' },
      memo: '①番窓口',
    });
    expect((await byNumber('09033334444'))[0].name).toBe('渡辺 花子');
    expect((await byNumber('0677778888'))[0]).toMatchObject({ name: 'ＡＢＣ商会 佐々木', memo: '"引用"あり' });
    const saved = (await u.admin.get('/api/v1/popup/customer-import-mappings')).body;
    expect(saved).toEqual([expect.objectContaining({ name: '基幹システム', key: 'externalId' })]);
  });

  it('imports nothing from a file with a bad row and reports its line and column', async () => {
    const before = await total();
    const file = excelUtf8([
      HEADER,
      ['C-101', '新規 一', '', '', '', '', '', '二行の\nメモ', '03-2222-3333'],
      ['C-102', '新規 二', '', '', '', '', '', '', '03-2222-4444'],
      ['C-103', '新規 三', '', '', '', 'Z', '', '', '電話なし'],
    ]);
    const up = await uploadCsv(u.admin, file);
    expect(up.body.encoding).toBe('utf-8-bom');
    const preview = await u.admin.post(`/api/v1/popup/customer-imports/${up.body.id}/preview`, STANDARD_MAPPING);
    expect(preview.body.errors).toEqual([
      { line: 5, column: 'ランク', reason: expect.stringContaining('unknown rank "Z"') },
      { line: 5, column: '電話番号', reason: expect.stringContaining('"電話なし" is not a phone number') },
    ]);
    const refused = await u.admin.post(`/api/v1/popup/customer-imports/${up.body.id}/confirm`, STANDARD_MAPPING);
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0]).toMatchObject({ line: 5, column: 'ランク' });
    expect(await total()).toBe(before);
    expect(await byNumber('0322223333')).toEqual([]);
  });

  it('re-imports by external id or by number, updating instead of duplicating', async () => {
    const before = await total();
    const byId = await importFile(
      excelShiftJis([
        ['顧客ID', '氏名', '会社名'],
        ['C-001', '髙橋 一郎', '㈱タカハシ 大阪支店'],
        ['C-004', '新顔 四郎', ''],
      ]),
      { columns: { 顧客ID: 'externalId', 氏名: 'name', 会社名: 'company' }, key: 'externalId' },
    );
    expect(byId.body.result).toEqual({ created: 1, updated: 1 });
    const [takahashi] = await byNumber('0311112222');
    // Unmapped columns keep their values; mapped ones take the file's.
    expect(takahashi).toMatchObject({
      company: '㈱タカハシ 大阪支店',
      memo: '午前のみ\r\n「至急」は携帯へ',
      rank: { code: 'VIP' },
    });

    const byPhone = await importFile(
      excelUtf8([
        ['電話', 'お名前', '備考'],
        ['(045) 555-6666', '渡辺 花子', '折返し希望'],
      ]),
      {
        columns: { 電話: 'phone', お名前: 'name', 備考: 'memo' },
        key: 'phone',
      },
    );
    expect(byPhone.body.result).toEqual({ created: 0, updated: 1 });
    expect((await byNumber('+81455556666'))[0]).toMatchObject({
      name: '渡辺 花子',
      memo: '折返し希望',
      externalId: 'C-002',
    });
    expect(await total()).toBe(before + 1);
  });

  it('reports duplicates within the file and against existing customers', async () => {
    const up = await uploadCsv(
      u.admin,
      excelUtf8([
        HEADER,
        ['C-001', '髙橋 一郎', '', '', '', '', '', '', ''],
        ['C-900', 'A', '', '', '', '', '', '', ''],
        ['C-900', 'B', '', '', '', '', '', '', ''],
      ]),
    );
    const preview = (await u.admin.post(`/api/v1/popup/customer-imports/${up.body.id}/preview`, STANDARD_MAPPING)).body;
    expect(preview.duplicates).toEqual([
      { line: 4, column: '顧客ID', value: 'C-900', kind: 'file', otherLine: 3 },
      expect.objectContaining({ line: 2, column: '顧客ID', value: 'C-001', kind: 'existing' }),
    ]);
    expect(preview.errors).toEqual([{ line: 4, column: '顧客ID', reason: 'same externalId C-900 as line 3' }]);
  });

  it('imports a file of more than 5,000 rows as a job with progress', async () => {
    const before = await total();
    const rows = Array.from({ length: 5_200 }, (_, i) => [
      `J-${i}`,
      `一括 ${i}`,
      '',
      '',
      '',
      'B',
      '',
      '',
      `050-${String(1000 + (i % 9000)).padStart(4, '0')}-${String(i).padStart(4, '0')}`,
    ]);
    const up = await uploadCsv(u.admin, excelShiftJis([HEADER, ...rows]));
    expect(up.body).toMatchObject({ rowCount: 5_200, largeFile: true });
    const started = await u.admin.post(`/api/v1/popup/customer-imports/${up.body.id}/confirm`, STANDARD_MAPPING);
    expect(started.status).toBe(202);
    const job = await settled(started.body.job);
    expect(job).toMatchObject({ status: 'succeeded', progress: 100, result: { created: 5_200, updated: 0 } });
    expect(await total()).toBe(before + 5_200);
    expect((await byNumber('050-1100-0100'))[0].name).toBe('一括 100');
    expect((await u.admin.get(`/api/v1/popup/customer-imports/${up.body.id}`)).body.status).toBe('imported');
  });

  it('exports UTF-8 with BOM and Shift_JIS that Excel opens, and the export re-imports as it is', async () => {
    const utf8 = await download(u.admin, '/api/v1/popup/customers/export.csv');
    expect(utf8.headers.get('content-type')).toContain('utf-8');
    expect([...utf8.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = utf8.bytes.toString('utf8');
    // 渡辺's re-import by number left her one number: one phone column is the widest.
    expect(text.split('\r\n')[0]).toBe('\uFEFF顧客ID,氏名,フリガナ,会社名,部署,ランク,タグ,メモ,電話番号1');
    expect(text).toContain(
      'C-001,髙橋 一郎,たかはし いちろう,㈱タカハシ 大阪支店,総務部,VIP,得意先、要注意,"午前のみ\r\n「至急」は携帯へ",03-1111-2222\r\n',
    );
    const sjis = await download(u.admin, '/api/v1/popup/customers/export.csv?encoding=shift_jis');
    expect(sjis.headers.get('content-type')).toContain('Shift_JIS');
    expect(iconv.decode(sjis.bytes, 'cp932')).toBe(text.slice(1));

    const before = await total();
    const up = await uploadCsv(u.admin, sjis.bytes);
    expect(up.body.encoding).toBe('shift_jis');
    const again = await u.admin.post(`/api/v1/popup/customer-imports/${up.body.id}/confirm`, {
      columns: up.body.suggestedMapping,
      key: 'externalId',
    });
    expect(again.status).toBe(202);
    const job = await settled(again.body.job);
    expect(job.result).toEqual({ created: 0, updated: before });
    expect(await total()).toBe(before);
  });

  it('keeps imports, mappings and exports to their tenant and their roles', async () => {
    const up = await uploadCsv(u.admin, excelUtf8([HEADER, ['C-777', '他社に見せない', '', '', '', '', '', '', '']]));
    const id = up.body.id;
    expect((await u.other.get(`/api/v1/popup/customer-imports/${id}`)).status).toBe(404);
    expect((await u.other.post(`/api/v1/popup/customer-imports/${id}/preview`, STANDARD_MAPPING)).status).toBe(404);
    expect((await u.other.post(`/api/v1/popup/customer-imports/${id}/confirm`, STANDARD_MAPPING)).status).toBe(404);
    expect((await u.other.get('/api/v1/popup/customer-import-mappings')).body).toEqual([]);
    expect(
      (await u.other.delete(`/api/v1/popup/customer-import-mappings/${encodeURIComponent('基幹システム')}`)).status,
    ).toBe(404);
    const theirs = await download(u.other, '/api/v1/popup/customers/export.csv');
    expect(theirs.bytes.toString('utf8')).not.toContain('髙橋');
    expect((await uploadCsv(u.operator, excelUtf8([HEADER]))).status).toBe(403);
    expect((await download(u.operator, '/api/v1/popup/customers/export.csv')).status).toBe(403);
    expect((await u.operator.get(`/api/v1/popup/customer-imports/${id}`)).status).toBe(403);
    expect((await u.admin.get(`/api/v1/popup/customer-imports/${id}`)).body.status).toBe('uploaded');
  });
});
