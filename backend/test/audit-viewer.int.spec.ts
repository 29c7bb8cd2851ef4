import { completeSetup, startTestApp, TestApp } from './support/test-app';
import { HttpClient } from './support/http-client';
import { testDatabases } from './support/test-databases';

const PASSWORD = 'Tenant-Adm1n!';
const tenantAdmin = (n: string) => ({ email: `admin@${n}.example.jp`, displayName: `${n} 管理者`, password: PASSWORD });

interface Entry {
  id: string;
  seq: number;
  action: string;
  actorEmail: string | null;
  target: string | null;
}

/**
 * What the audit viewer asks of the API: its filters (actor by e-mail, action by prefix, target),
 * cursor paging, and the chain verification, each answering for the caller's own tenant only.
 */
describe.each(testDatabases())('audit viewer API on $name', (db) => {
  let t: TestApp;
  let alpha: HttpClient;
  let beta: HttpClient;
  let alphaAuditor: HttpClient;
  let alphaOperator: HttpClient;
  const created: string[] = [];

  const signIn = async (email: string) => {
    const c = t.client();
    expect((await c.post('/api/v1/auth/login', { email, password: PASSWORD })).status).toBe(200);
    return c;
  };
  const items = async (c: HttpClient, query: string): Promise<Entry[]> => {
    const res = await c.get(`/api/v1/audit?${query}`);
    expect(res.status).toBe(200);
    return res.body.items;
  };

  beforeAll(async () => {
    t = await startTestApp(db);
    const vendor = await completeSetup(t, 'multi');
    for (const name of ['alpha', 'beta']) {
      const res = await vendor.post('/api/v1/tenants', { name, products: ['flexlog'], admin: tenantAdmin(name) });
      expect(res.status).toBe(201);
    }
    alpha = await signIn(tenantAdmin('alpha').email);
    beta = await signIn(tenantAdmin('beta').email);
    for (const [email, roles] of [
      ['auditor@alpha.example.jp', ['auditor']],
      ['operator@alpha.example.jp', ['operator']],
    ] as const) {
      const res = await alpha.post('/api/v1/users', { email, displayName: email, roles, password: PASSWORD });
      expect(res.status).toBe(201);
      created.push(res.body.user.id);
    }
    alphaAuditor = await signIn('auditor@alpha.example.jp');
    alphaOperator = await signIn('operator@alpha.example.jp');
    expect((await beta.post('/api/v1/api-keys', { name: 'beta key' })).status).toBe(201);
  });
  afterAll(async () => t?.close());

  it('finds an actor by e-mail in any letter case, only within the tenant', async () => {
    const byAlpha = await items(alpha, `actorEmail=${encodeURIComponent('ADMIN@Alpha.example.jp')}&limit=500`);
    expect(byAlpha.length).toBeGreaterThanOrEqual(3);
    expect(new Set(byAlpha.map((e) => e.actorEmail))).toEqual(new Set(['admin@alpha.example.jp']));
    // Beta's administrator has entries, but not in alpha's chain.
    expect(await items(beta, 'actorEmail=admin%40beta.example.jp')).not.toEqual([]);
    expect(await items(alpha, 'actorEmail=admin%40beta.example.jp')).toEqual([]);
  });

  it('filters by an action prefix ending in *, and by target', async () => {
    const users = await items(alpha, 'action=user.*&limit=500');
    // The two made here and the tenant's administrator, made when the vendor created the tenant.
    expect(users.filter((e) => e.action === 'user.created')).toHaveLength(3);
    expect(users.every((e) => e.action.startsWith('user.'))).toBe(true);
    // Without the star the text is one exact action; % and _ are never wildcards.
    expect(await items(alpha, 'action=user.')).toEqual([]);
    expect(await items(alpha, `action=${encodeURIComponent('%*')}`)).toEqual([]);
    expect(await items(alpha, `action=${encodeURIComponent('user.create_*')}`)).toEqual([]);
    const aboutOne = await items(alpha, `target=${created[0]}`);
    // The auditor's account: made by the administrator, then signed in with.
    expect(aboutOne.map((e) => e.action)).toEqual(['auth.login.succeeded', 'user.created']);
  });

  it('pages with a cursor, newest first, without repeats or gaps', async () => {
    const all = await items(alpha, 'limit=500');
    const seen: number[] = [];
    let before: number | null = null;
    do {
      const page: { items: Entry[]; nextBefore: number | null } = (
        await alpha.get(`/api/v1/audit?limit=2${before === null ? '' : `&before=${before}`}`)
      ).body;
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((e) => e.seq));
      before = page.nextBefore;
    } while (before !== null);
    expect(seen).toEqual(all.map((e) => e.seq));
    expect(seen).toEqual([...seen].sort((x, y) => y - x));
  });

  it('lets auditors read and verify, and keeps operators out', async () => {
    expect((await alphaAuditor.get('/api/v1/audit')).status).toBe(200);
    expect((await alphaAuditor.get('/api/v1/audit/verify')).body).toMatchObject({ ok: true, firstBroken: null });
    expect((await alphaOperator.get('/api/v1/audit')).status).toBe(403);
    expect((await alphaOperator.get('/api/v1/audit/verify')).status).toBe(403);
  });

  it("reports a tampered row in its own chain, and another tenant's tampering not at all", async () => {
    const betaEntries = await items(beta, 'limit=500');
    const alphaBefore = (await alpha.get('/api/v1/audit/verify')).body;
    expect(alphaBefore).toMatchObject({ ok: true, firstBroken: null });
    const victim = betaEntries[betaEntries.length - 2];
    await t.dataSource.query('UPDATE audit_entries SET action = ? WHERE id = ?', ['apiKey.rewritten', victim.id]);

    const betaVerify = (await beta.get('/api/v1/audit/verify')).body;
    expect(betaVerify).toMatchObject({ ok: false, checked: victim.seq - 1 });
    expect(betaVerify.firstBroken).toMatchObject({ seq: victim.seq, id: victim.id });
    expect(betaVerify.firstBroken.reason).toMatch(/altered/);

    const alphaAfter = (await alpha.get('/api/v1/audit/verify')).body;
    expect(alphaAfter).toEqual({ ok: true, checked: alphaBefore.checked, firstBroken: null });
    expect(JSON.stringify(alphaAfter)).not.toContain(victim.id);
  });
});
