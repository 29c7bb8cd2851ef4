import { tenantPrefix } from '../../src/platform/storage/object-storage';
import { RecordingVault } from '../../src/products/recordings/vault/recording-vault';
import { SeedCall, seedCalls } from './call-seed';
import { HttpClient } from './http-client';
import type { TestApp } from './test-app';

// What the recording-store tests (capacity, retention, deletion) look at: rows, objects, jobs.

/** Polls until `probe` answers something other than undefined. */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A job as its tenant sees it through the API, once it succeeded or failed. */
export const settledJob = (c: HttpClient, id: string) =>
  eventually(async () => {
    const res = await c.get(`/api/v1/jobs/${id}`);
    return ['succeeded', 'failed'].includes(res.body?.status) ? res.body : undefined;
  }, `job ${id}`);

/** Every object the tenant has in storage, sorted. */
export async function objectKeys(t: TestApp, tenantId: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const o of (await t.app.get(RecordingVault).objectStorage()).list(tenantPrefix(tenantId)))
    keys.push(o.key);
  return keys.sort();
}

export const callIds = async (t: TestApp, tenantId: string): Promise<string[]> =>
  (await t.dataSource.query('SELECT id FROM calls WHERE tenantId = ?', [tenantId])).map((r: { id: string }) => r.id);

/**
 * One call per insert: seedCalls' multi-row insert can hand back rows whose ids belong to other rows
 * of the same batch (seen on SQLite), and these tests need to know which call is which.
 */
export async function seedEach(t: TestApp, tenantId: string, calls: SeedCall[]) {
  const rows = [];
  for (const c of calls) rows.push(...(await seedCalls(t.dataSource, tenantId, [c])));
  return rows;
}

/** Creates a user of the admin's tenant with these roles and returns a logged-in session. */
export async function loginAs(t: TestApp, admin: HttpClient, email: string, roles: string[]): Promise<HttpClient> {
  await admin.post('/api/v1/users', { email, displayName: email, roles, password: 'Us3r-Passw0rd!' });
  const c = t.client();
  await c.post('/api/v1/auth/login', { email, password: 'Us3r-Passw0rd!' });
  return c;
}
