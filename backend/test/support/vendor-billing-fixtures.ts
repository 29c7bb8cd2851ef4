import { HttpClient } from './http-client';

// What the vendor contract and invoice tests share: plans, contracts and month runs through the API.

export const PLAN_S = {
  code: 'S',
  nameJa: 'スタンダード',
  nameEn: 'Standard',
  products: ['FlexLog', 'FlexDPlayer'],
  capacityGb: 100,
  monthlyFee: 10000,
  initialFee: 30000,
};
export const PLAN_M = {
  ...PLAN_S,
  code: 'M',
  nameJa: 'ミドル',
  nameEn: 'Middle',
  capacityGb: 500,
  monthlyFee: 20000,
  initialFee: 10000,
};
export const PLAN_XS = {
  ...PLAN_S,
  code: 'XS',
  nameJa: 'ミニ',
  nameEn: 'Mini',
  capacityGb: 1,
  monthlyFee: 5000,
  initialFee: 0,
};

export const ISSUER = {
  name: '株式会社コールレコード',
  registrationNumber: 'T1234567890123',
  address: '東京都千代田区丸の内1-1-1',
  phone: '03-1234-5678',
  bankAccount: 'みずほ銀行 本店営業部 普通 1234567 カ）コールレコード',
};

// Tests read arbitrary response shapes, as HttpClient does; `any` keeps each assertion free of casts.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function ok<T = any>(res: Promise<{ status: number; body: T; text: string }>, status = 201): Promise<T> {
  const r = await res;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${r.text}`);
  return r.body;
}

export async function createPlans(admin: HttpClient) {
  const ids: Record<string, string> = {};
  for (const plan of [PLAN_S, PLAN_M, PLAN_XS])
    ids[plan.code] = (await ok(admin.post('/api/v1/vendor/plans', plan))).id;
  return ids as { S: string; M: string; XS: string };
}

/** The first day of the month after `month`: the day a month's invoices are issued. */
export const firstOfNext = (month: string): string => {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
};

/** Issues `month`'s invoices on the first day of the next month. */
export const issueMonth = (admin: HttpClient, month: string) =>
  ok(admin.post('/api/v1/vendor/invoices/runs', { month, issueDate: firstOfNext(month) }));

/** Every vendor endpoint with a harmless body: each must answer 403 to a tenant's user. */
export const VENDOR_ENDPOINTS = (ids: {
  plan: string;
  contract: string;
  invoice: string;
}): Array<[string, string, unknown?]> => [
  ['GET', '/api/v1/vendor/plans'],
  ['POST', '/api/v1/vendor/plans', PLAN_S],
  ['GET', `/api/v1/vendor/plans/${ids.plan}`],
  ['PATCH', `/api/v1/vendor/plans/${ids.plan}`, { active: false }],
  ['DELETE', `/api/v1/vendor/plans/${ids.plan}`],
  ['GET', '/api/v1/vendor/contracts'],
  ['POST', '/api/v1/vendor/contracts', {}],
  ['GET', `/api/v1/vendor/contracts/${ids.contract}`],
  ['PUT', `/api/v1/vendor/contracts/${ids.contract}/opening-test`, { openingTestOn: '2026-03-14' }],
  ['POST', `/api/v1/vendor/contracts/${ids.contract}/plan-changes`, { planId: ids.plan, effectiveOn: '2026-10-01' }],
  ['POST', `/api/v1/vendor/contracts/${ids.contract}/cancellation/preview`, { requestedOn: '2026-10-01' }],
  ['POST', `/api/v1/vendor/contracts/${ids.contract}/cancellation`, { requestedOn: '2026-10-01' }],
  ['POST', `/api/v1/vendor/contracts/${ids.contract}/equipment-return`, { returnedOn: '2026-10-01' }],
  ['GET', '/api/v1/vendor/invoice-issuer'],
  ['PUT', '/api/v1/vendor/invoice-issuer', ISSUER],
  ['POST', '/api/v1/vendor/invoices/runs', { month: '2026-01' }],
  ['GET', '/api/v1/vendor/invoices'],
  ['GET', `/api/v1/vendor/invoices/${ids.invoice}`],
  ['GET', `/api/v1/vendor/invoices/${ids.invoice}/payments`],
  ['GET', `/api/v1/vendor/invoices/${ids.invoice}/pdf`],
  ['GET', `/api/v1/vendor/invoices/${ids.invoice}/csv`],
  [
    'POST',
    '/api/v1/vendor/payments',
    { invoiceNumber: 'INV-2026-000001', paidOn: '2026-05-01', amount: 1, payerName: 'x' },
  ],
  ['POST', '/api/v1/vendor/payments/import', { csv: 'date,amount,payerName,invoiceNumber\n' }],
  ['GET', '/api/v1/vendor/receivables'],
];
