import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBillingSimulateCli } from '../src/vendor/billing/billing-simulate-cli';
import { DOCUMENTED_EXAMPLE, PLAN_M, scenario } from './support/billing-scenarios';
import { HttpClient } from './support/http-client';
import { setupTenants, Tenants } from './support/flexlog-fixtures';
import { loginAs } from './support/store-probes';
import { startTestApp, TestApp } from './support/test-app';
import { testDatabases } from './support/test-databases';

const SIMULATE = '/api/v1/vendor/billing/simulate';

/** The CLI, run in-process on a scenario file: its exit code, stdout and stderr. */
async function cli(dir: string, input: unknown) {
  const path = join(dir, `scenario-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(input));
  const out: string[] = [];
  const err: string[] = [];
  const code = await runBillingSimulateCli([path], { log: (l) => out.push(l), error: (l) => err.push(l) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

const SCENARIOS: Array<[string, unknown]> = [
  ['the example of billing-rules.md', DOCUMENTED_EXAMPLE],
  [
    'an annual upgrade, a late payment and a vendor termination',
    scenario({
      billingCycle: 'annual',
      events: [
        { type: 'planChange', effectiveOn: '2026-05-11', plan: PLAN_M },
        { type: 'paymentReceived', invoice: '2026-03', on: '2026-06-10' },
        { type: 'vendorTermination', noticeOn: '2026-07-15', endOn: '2026-09-20' },
        { type: 'equipmentReturned', on: '2026-10-20' },
      ],
    }),
  ],
  [
    'a leap-year cancellation inside the minimum term',
    scenario({
      openingTestCompletedOn: '2027-11-29',
      events: [{ type: 'cancellationRequested', on: '2027-12-31' }],
      until: undefined,
    }),
  ],
];

describe.each(testDatabases())('billing simulator on $name', (db) => {
  let t: TestApp;
  let tenants: Tenants;
  let vendorSupport: HttpClient;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'billing-int-'));
    t = await startTestApp(db);
    tenants = await setupTenants(t);
    vendorSupport = await loginAs(t, tenants.admin, 'support@vendor.jp', ['vendorSupport']);
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(SCENARIOS)('answers %s with the JSON the CLI prints', async (_name, input) => {
    const fromCli = await cli(dir, input);
    expect(fromCli.code).toBe(0);
    for (const staff of [tenants.admin, vendorSupport]) {
      const res = await staff.post(SIMULATE, input);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      // same values and the same key order: byte for byte once both are written compactly
      expect(JSON.stringify(res.body)).toBe(JSON.stringify(JSON.parse(fromCli.stdout)));
    }
  });

  it('gives the documented first invoice of billing-rules.md', async () => {
    const res = await tenants.admin.post(SIMULATE, DOCUMENTED_EXAMPLE);
    expect(res.body.invoices[0]).toEqual({
      id: '2026-03',
      dueDate: '2026-04-30',
      lines: [
        { kind: 'initialFee', amount: 30000 },
        { kind: 'usage', from: '2026-03-15', to: '2026-03-31', amount: 5483 },
      ],
      subtotal: 35483,
      tax: 3548,
      total: 39031,
    });
  });

  it('refuses what the CLI refuses, naming the same field', async () => {
    const cases: unknown[] = [
      scenario({ events: [{ type: 'vendorTermination', noticeOn: '2026-07-16', endOn: '2026-08-15' }] }),
      scenario({ openingTestCompletedOn: '2026-02-30' }),
      scenario({ plan: { code: 'S', monthlyFee: 10000 } }),
      scenario({ surprise: 1 }),
    ];
    for (const input of cases) {
      const res = await tenants.admin.post(SIMULATE, input);
      const fromCli = await cli(dir, input);
      expect(res.status).toBe(400);
      expect(fromCli.code).toBe(2);
      expect(res.body.errors.length).toBeGreaterThan(0);
      for (const problem of res.body.errors as Array<{ field: string; message: string }>) {
        expect(fromCli.stderr).toContain(`${problem.field}: ${problem.message}`);
      }
    }
    const malformed = await tenants.admin.request('POST', SIMULATE, '{"product": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors[0].field).toBe('(body)');
  });

  it('is for vendor staff only: users of any tenant get 403, strangers 401', async () => {
    // another tenant's administrator, and the operator tenant's own users of every other role
    for (const user of [tenants.other, tenants.supervisor, tenants.auditor, tenants.operator]) {
      expect((await user.post(SIMULATE, DOCUMENTED_EXAMPLE)).status).toBe(403);
    }
    expect((await t.client().post(SIMULATE, DOCUMENTED_EXAMPLE)).status).toBe(401);
  });
});
