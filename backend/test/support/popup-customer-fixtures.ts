import * as iconv from 'iconv-lite';
import { completeSetup, TestApp } from './test-app';
import { HttpClient } from './http-client';

export interface DirectoryTenants {
  admin: HttpClient;
  supervisor: HttpClient;
  operator: HttpClient;
  /** The administrator of another tenant. */
  other: HttpClient;
}

async function login(t: TestApp, email: string, password: string): Promise<HttpClient> {
  const client = t.client();
  const res = await client.post('/api/v1/auth/login', { email, password });
  if (res.status >= 300) throw new Error(`login ${email}: ${res.status} ${res.text}`);
  return client;
}

/** Tenant A (admin, supervisor, operator) and tenant B's administrator. */
export async function directoryTenants(t: TestApp): Promise<DirectoryTenants> {
  const admin = await completeSetup(t, 'multi');
  for (const [email, role] of [
    ['sv@example.jp', 'supervisor'],
    ['op@example.jp', 'operator'],
  ]) {
    const res = await admin.post('/api/v1/users', {
      email,
      displayName: email,
      roles: [role],
      password: 'Us3r-Passw0rd!',
    });
    if (res.status >= 300) throw new Error(`user ${email}: ${res.status} ${res.text}`);
  }
  const tenant = await admin.post('/api/v1/tenants', {
    name: 'B',
    products: ['ootairyoku'],
    admin: { email: 'b@example.jp', displayName: 'B', password: 'Tenant-Adm1n!' },
  });
  if (tenant.status >= 300) throw new Error(`tenant B: ${tenant.status} ${tenant.text}`);
  return {
    admin,
    supervisor: await login(t, 'sv@example.jp', 'Us3r-Passw0rd!'),
    operator: await login(t, 'op@example.jp', 'Us3r-Passw0rd!'),
    other: await login(t, 'b@example.jp', 'Tenant-Adm1n!'),
  };
}

/** POSTs a file as the raw body, the way the import page sends it. */
export async function uploadCsv(client: HttpClient, bytes: Buffer, query = 'fileName=customers.csv') {
  const res = await fetch(`${client.baseUrl}/api/v1/popup/customer-imports?${query}`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv', cookie: `access_token=${client.cookie('access_token')}` },
    body: new Uint8Array(bytes),
  });
  const text = await res.text();
  return { status: res.status, text, body: text ? JSON.parse(text) : undefined };
}

/** GETs raw bytes (the CSV export). */
export async function download(client: HttpClient, path: string) {
  const res = await fetch(`${client.baseUrl}${path}`, {
    headers: { cookie: `access_token=${client.cookie('access_token')}` },
  });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

const quote = (cell: string) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);

/** A CSV the way Excel's "CSV (コンマ区切り)" saves it: Shift_JIS (cp932), CRLF, quotes only where needed. */
export function excelShiftJis(rows: string[][]): Buffer {
  return iconv.encode(rows.map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n', 'cp932');
}

/** Excel's "CSV UTF-8 (コンマ区切り)": UTF-8 with a BOM. */
export function excelUtf8(rows: string[][]): Buffer {
  return Buffer.from('\uFEFF' + rows.map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n', 'utf8');
}

export const STANDARD_MAPPING = {
  columns: {
    顧客ID: 'externalId',
    氏名: 'name',
    フリガナ: 'kana',
    会社名: 'company',
    部署: 'department',
    ランク: 'rank',
    タグ: 'tags',
    メモ: 'memo',
    電話番号: 'phone',
  },
  key: 'externalId',
};
