import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOCUMENTED_EXAMPLE, scenario } from '../../../test/support/billing-scenarios';
import { runBillingSimulateCli } from './billing-simulate-cli';
import { simulateBilling } from './simulate';

describe('billing-simulate CLI', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'billing-cli-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const run = async (args: string[], stdin = '') => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runBillingSimulateCli(
      args,
      { log: (l) => out.push(l), error: (l) => err.push(l) },
      async () => stdin,
    );
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  };

  it('prints the simulation as JSON and exits 0', async () => {
    const res = await run([file('example.json', JSON.stringify(DOCUMENTED_EXAMPLE))]);
    expect(res.code).toBe(0);
    expect(res.stderr).toBe('');
    expect(JSON.parse(res.stdout)).toEqual(simulateBilling(DOCUMENTED_EXAMPLE));
  });

  it('reads the scenario from stdin with -', async () => {
    const res = await run(['-'], JSON.stringify(DOCUMENTED_EXAMPLE));
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout).invoices[0].total).toBe(39031);
  });

  it('exits 2 naming the rule a scenario breaks, printing nothing on stdout', async () => {
    const short = scenario({ events: [{ type: 'vendorTermination', noticeOn: '2026-07-16', endOn: '2026-08-15' }] });
    const res = await run([file('short.json', JSON.stringify(short))]);
    expect(res.code).toBe(2);
    expect(res.stdout).toBe('');
    expect(res.stderr).toContain('events[0].endOn: notice shorter than one month');
  });

  it('exits 2 on invalid JSON, a malformed scenario, a missing file or bad arguments', async () => {
    const bad = await run([file('bad.json', '{ "product": ')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad\.json: \(body\): not valid JSON/);
    const shape = await run([file('shape.json', JSON.stringify(scenario({ billingCycle: 'weekly' })))]);
    expect(shape.code).toBe(2);
    expect(shape.stderr).toContain('billingCycle: must be one of monthly, annual');
    const missing = await run([join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read the scenario');
    expect((await run([])).code).toBe(2);
    expect((await run(['a.json', 'b.json'])).stderr).toContain('unexpected arguments');
    expect((await run(['--json'])).code).toBe(2);
  });
});
