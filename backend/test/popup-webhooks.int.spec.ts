import { verifyWebhookSignature } from '../src/core/webhooks/webhook-signing';
import { PopupCallWebhooks } from '../src/products/popup/integrations/popup-call-webhooks';
import { EventClient, setupTenants, siteWithKey, Tenants } from './support/flexlog-fixtures';
import { eventFeeder, openCaptureFeed } from './support/popup-fixtures';
import { eventually } from './support/store-probes';
import { startTestApp, TestApp } from './support/test-app';
import { testDatabases } from './support/test-databases';
import { WebhookReceiver } from './support/webhook-receiver';

const RETRY_BASE_MS = 50;

describe.each(testDatabases())('webhooks on $name', (db) => {
  let t: TestApp;
  let u: Tenants;
  let receiver: WebhookReceiver;
  let capture: EventClient;
  let betaCapture: EventClient;
  let feedA: ReturnType<typeof eventFeeder>;
  let feedB: ReturnType<typeof eventFeeder>;

  const create = async (path: string, events: string[], over: Record<string, unknown> = {}) => {
    const res = await u.admin.post('/api/v1/webhooks', { name: path, url: receiver.url(path), events, ...over });
    if (res.status !== 201) throw new Error(`webhook: ${res.status} ${res.text}`);
    return res.body as { id: string; secret: string };
  };
  const deliveries = async (id: string) =>
    (await u.admin.get(`/api/v1/webhooks/${id}/deliveries`)).body as Array<Record<string, unknown>>;
  const settled = (id: string, count = 1) =>
    eventually(async () => {
      const list = await deliveries(id);
      const done = list.filter((d) => ['succeeded', 'failed', 'cancelled'].includes(d['status'] as string));
      return done.length >= count ? list : undefined;
    }, `deliveries of ${id}`);

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    t = await startTestApp(db, { WEBHOOK_RETRY_BASE_MS: String(RETRY_BASE_MS) });
    u = await setupTenants(t, undefined, ['flexlog', 'ootairyoku']);
    const tokyo = await siteWithKey(u.admin, {
      name: '東京本社',
      lines: [{ name: '東京店', numbers: ['0312340000'] }],
    });
    const beta = await siteWithKey(u.other, { name: 'Beta', lines: [{ name: '東京店', numbers: ['0398760000'] }] });
    ({ capture, feed: feedA } = await openCaptureFeed(t, tokyo.key));
    ({ capture: betaCapture, feed: feedB } = await openCaptureFeed(t, beta.key));
  });
  afterAll(async () => {
    await capture?.close();
    await betaCapture?.close();
    await t?.close();
    await receiver?.close();
  });

  it('shows the secret once and signs a test event so that the documented recipe verifies it', async () => {
    const hook = await create('/test-event', ['call.ended']);
    expect(hook.secret).toMatch(/^whsec_/);
    const listed = (await u.admin.get('/api/v1/webhooks')).body as Array<Record<string, unknown>>;
    expect(listed.find((w) => w['id'] === hook.id)).toEqual(expect.not.objectContaining({ secret: expect.anything() }));
    expect(JSON.stringify((await u.admin.get(`/api/v1/webhooks/${hook.id}`)).body)).not.toContain(hook.secret);

    const sent = await u.admin.post(`/api/v1/webhooks/${hook.id}/test`, {});
    expect(sent.status).toBe(201);
    const [log] = await settled(hook.id);
    const [got] = receiver.at('/test-event');
    expect(got.headers['x-webhook-delivery']).toBe(sent.body.id);
    expect(got.headers['x-webhook-event']).toBe('webhook.test');
    const headers = {
      signature: got.headers['x-signature-256'] as string,
      timestamp: got.headers['x-webhook-timestamp'] as string,
    };
    expect(verifyWebhookSignature(hook.secret, headers, got.body)).toBe(true);
    expect(verifyWebhookSignature('whsec_wrong', headers, got.body)).toBe(false);
    expect(verifyWebhookSignature(hook.secret, headers, got.body.replace('test', 'tesT'))).toBe(false);
    expect(JSON.parse(got.body)).toEqual(expect.objectContaining({ type: 'webhook.test', id: expect.any(String) }));
    expect(log).toEqual(
      expect.objectContaining({ status: 'succeeded', httpStatus: 200, attempts: 1, error: null, nextAttemptAt: null }),
    );
    expect(log['durationMs']).toEqual(expect.any(Number));
    const detail = await u.admin.get(`/api/v1/webhooks/${hook.id}/deliveries/${sent.body.id}`);
    expect(detail.body.body).toEqual(JSON.parse(got.body));
  });

  it('sends call events with the matched customer, only of the subscribed types', async () => {
    const customer = await u.admin.post('/api/v1/popup/customers', { name: '山田 太郎', numbers: ['03-1234-5678'] });
    expect(customer.status).toBe(201);
    const all = await create('/calls', ['call.ringing', 'call.answered', 'call.ended']);
    const endedOnly = await create('/ended-only', ['call.ended']);
    await feedA('ringing', 'call-1@pbx');
    await feedA('answered', 'call-1@pbx');
    await feedA('ended', 'call-1@pbx');
    await t.app.get(PopupCallWebhooks).idle();
    await settled(all.id, 3);
    await settled(endedOnly.id, 1);
    const bodies = receiver.at('/calls').map((r) => JSON.parse(r.body));
    expect(bodies.map((b) => b.type).sort()).toEqual(['call.answered', 'call.ended', 'call.ringing']);
    const ringing = bodies.find((b) => b.type === 'call.ringing');
    expect(ringing.data).toEqual(
      expect.objectContaining({
        sipCallId: 'call-1@pbx',
        lineName: '東京店',
        extension: '201',
        number: expect.objectContaining({ e164: '+81312345678' }),
      }),
    );
    expect(ringing.data.customers.map((c: { name: string }) => c.name)).toEqual(['山田 太郎']);
    expect(receiver.at('/ended-only').map((r) => JSON.parse(r.body).type)).toEqual(['call.ended']);
  });

  it('retries after 500s with growing waits, logging each attempt, until the receiver accepts', async () => {
    receiver.answer('/flaky', [500, 500, 503]);
    const hook = await create('/flaky', ['call.ringing']);
    await feedA('ringing', 'call-2@pbx');
    await t.app.get(PopupCallWebhooks).idle();
    const [log] = await settled(hook.id);
    expect(log).toEqual(expect.objectContaining({ status: 'succeeded', attempts: 4, httpStatus: 200 }));
    const got = receiver.at('/flaky');
    expect(got).toHaveLength(4);
    // Same event, same delivery id; the waits are at least base, 2x base, 4x base (never earlier).
    expect(new Set(got.map((r) => r.headers['x-webhook-delivery'])).size).toBe(1);
    expect(new Set(got.map((r) => JSON.parse(r.body).id)).size).toBe(1);
    const gaps = got.slice(1).map((r, i) => r.at - got[i].at);
    gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(RETRY_BASE_MS * 2 ** i));
  });

  it('gives up after 6 attempts with the last error, and a re-send delivers the same event again', async () => {
    receiver.answer('/down', [500, 500, 500, 500, 500, 500]);
    const hook = await create('/down', ['call.ringing']);
    await feedA('ringing', 'call-3@pbx');
    await t.app.get(PopupCallWebhooks).idle();
    const [failed] = await settled(hook.id);
    expect(failed).toEqual(
      expect.objectContaining({
        status: 'failed',
        attempts: 6,
        maxAttempts: 6,
        httpStatus: 500,
        error: 'answered HTTP 500',
        nextAttemptAt: null,
      }),
    );
    const failedOnly = await u.admin.get(`/api/v1/webhooks/${hook.id}/deliveries?status=failed`);
    expect(failedOnly.body.map((d: { id: string }) => d.id)).toEqual([failed['id']]);

    const resent = await u.admin.post(`/api/v1/webhooks/${hook.id}/deliveries/${failed['id']}/resend`, {});
    expect(resent.status).toBe(201);
    expect(resent.body).toEqual(expect.objectContaining({ resentFrom: failed['id'], eventId: failed['eventId'] }));
    const list = await settled(hook.id, 2);
    expect(list.find((d) => d['id'] === resent.body.id)).toEqual(expect.objectContaining({ status: 'succeeded' }));
    const got = receiver.at('/down');
    expect(got).toHaveLength(7);
    expect(JSON.parse(got[6].body).id).toBe(JSON.parse(got[0].body).id);
  });

  it('sends nothing to a disabled endpoint', async () => {
    const hook = await create('/disabled', ['call.ringing'], { enabled: false });
    await feedA('ringing', 'call-4@pbx');
    await t.app.get(PopupCallWebhooks).idle();
    expect(await deliveries(hook.id)).toEqual([]);
    expect((await u.admin.post(`/api/v1/webhooks/${hook.id}/test`, {})).status).toBe(400);
  });

  it('refuses bad input with field errors and writes nothing', async () => {
    const before = (await u.admin.get('/api/v1/webhooks')).body.length;
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ name: 'x', url: 'ftp://example.jp/hook', events: ['call.ended'] }, ['url']],
      [{ name: 'x', url: 'http://crm.example.jp/hook', events: ['call.ended'] }, ['url']],
      [{ name: 'x', url: 'https://user:pw@crm.example.jp/hook', events: ['call.ended'] }, ['url']],
      [{ name: 'x', url: 'not a url', events: ['call.ended'] }, ['url']],
      [{ name: ' ', url: 'https://crm.example.jp/hook', events: [] }, ['name', 'events']],
      [{ name: 'x', url: 'https://crm.example.jp/hook', events: ['call.ended', 'call.exploded'] }, ['events[1]']],
    ];
    for (const [body, fields] of cases) {
      const res = await u.admin.post('/api/v1/webhooks', body);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(fields);
    }
    const hook = await create('/patched', ['call.ended']);
    const patched = await u.admin.patch(`/api/v1/webhooks/${hook.id}`, { url: 'gopher://x', name: 'renamed' });
    expect(patched.status).toBe(400);
    expect((await u.admin.get(`/api/v1/webhooks/${hook.id}`)).body).toEqual(
      expect.objectContaining({ name: '/patched', url: receiver.url('/patched') }),
    );
    expect((await u.admin.get('/api/v1/webhooks')).body.length).toBe(before + 1);
    expect((await u.admin.get(`/api/v1/webhooks/${hook.id}/deliveries?limit=0`)).status).toBe(400);
    expect((await u.admin.get(`/api/v1/webhooks/${hook.id}/deliveries?status=lost`)).status).toBe(400);
  });

  it("keeps tenants apart: another tenant's admin gets 404 everywhere, and its calls never reach us", async () => {
    const hook = await create('/isolated', ['call.ringing']);
    await u.admin.post(`/api/v1/webhooks/${hook.id}/test`, {});
    const [delivery] = await settled(hook.id);
    const base = `/api/v1/webhooks/${hook.id}`;
    const d = `${base}/deliveries/${delivery['id']}`;
    const requests: Array<[string, string, unknown?]> = [
      ['GET', base],
      ['PATCH', base, { name: 'stolen' }],
      ['DELETE', base],
      ['POST', `${base}/secret`, {}],
      ['POST', `${base}/test`, {}],
      ['GET', `${base}/deliveries`],
      ['GET', d],
      ['POST', `${d}/resend`, {}],
    ];
    for (const [method, path, body] of requests) {
      expect([method, path, (await u.other.request(method, path, body)).status]).toEqual([method, path, 404]);
    }
    expect((await u.other.get('/api/v1/webhooks')).body).toEqual([]);
    // Roles: an operator may not even list; an auditor reads but may not change.
    expect((await u.operator.get('/api/v1/webhooks')).status).toBe(403);
    expect((await u.auditor.get(`${base}/deliveries`)).status).toBe(200);
    expect((await u.auditor.post(`${base}/test`, {})).status).toBe(403);

    const betaHook = await u.other.post('/api/v1/webhooks', {
      name: 'beta',
      url: receiver.url('/beta'),
      events: ['call.ringing'],
    });
    expect(betaHook.status).toBe(201);
    const before = receiver.at('/isolated').length;
    await feedB('ringing', 'beta-1@pbx', { caller: '03-1234-5678' });
    await t.app.get(PopupCallWebhooks).idle();
    await eventually(async () => (receiver.at('/beta').length ? true : undefined), 'beta delivery');
    expect(receiver.at('/isolated').length).toBe(before);
    // Tenant B has no customer 山田: A's directory does not leak into B's event.
    expect(JSON.parse(receiver.at('/beta')[0].body).data.customers).toEqual([]);
    expect((await u.admin.get(`/api/v1/webhooks/${betaHook.body.id}/deliveries`)).status).toBe(404);
  });

  it('records configuration changes in the audit log', async () => {
    const hook = await create('/audited', ['call.ended']);
    await u.admin.patch(`/api/v1/webhooks/${hook.id}`, { enabled: false });
    await u.admin.delete(`/api/v1/webhooks/${hook.id}`);
    const audit = await u.admin.get('/api/v1/audit?action=webhook.*');
    const actions = audit.body.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['webhook.created', 'webhook.updated', 'webhook.deleted']));
  });
});
