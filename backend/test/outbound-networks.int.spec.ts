import { isPublicAddress } from '../src/core/webhooks/outbound-network';
import { setupTenants, Tenants } from './support/flexlog-fixtures';
import { eventually } from './support/store-probes';
import { startTestApp, TestApp } from './support/test-app';
import { testDatabases } from './support/test-databases';
import { WebhookReceiver } from './support/webhook-receiver';

const REFUSED = /not a public internet address/;

/**
 * The hosted multi-tenant service (OUTBOUND_NETWORKS=auto in multi mode) lets a tenant's webhooks,
 * lookup hook and kintone reach public internet addresses only: a tenant admin must not make the
 * appliance call its own loopback services, the vendor's private network or the cloud metadata
 * address. Nothing is sent to such a receiver, and the admin sees why.
 */
describe.each(testDatabases())('outbound requests of a hosted service on $name', (db) => {
  let t: TestApp;
  let u: Tenants;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    t = await startTestApp(db, { OUTBOUND_NETWORKS: 'auto', WEBHOOK_RETRY_BASE_MS: '60000' });
    u = await setupTenants(t, undefined, ['flexlog', 'ootairyoku']);
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  it('tells public addresses from loopback, private, link-local and mapped ones', () => {
    for (const ip of ['8.8.8.8', '203.0.113.9', '2001:4860:4860::8888'])
      expect([ip, isPublicAddress(ip)]).toEqual([ip, true]);
    for (const ip of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.10',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fd00::1',
      'fe80::1',
      '::ffff:127.0.0.1',
      'not-an-ip',
    ]) {
      expect([ip, isPublicAddress(ip)]).toEqual([ip, false]);
    }
  });

  it('refuses a lookup hook aimed at loopback, a private network, the metadata address or a name for them', async () => {
    for (const [urlTemplate, reason] of [
      [`${receiver.url('/crm')}?tel={digits}`, /127\.0\.0\.1 is not a public internet address/],
      ['https://10.1.2.3/customers?tel={digits}', /10\.1\.2\.3 is not a public/],
      ['https://169.254.169.254/latest/meta-data?tel={digits}', /169\.254\.169\.254 is not a public/],
      ['https://[::1]:8443/customers?tel={digits}', /::1 is not a public/],
      ['https://localhost:8443/customers?tel={digits}', /localhost resolves to (127\.0\.0\.1|::1), not a public/],
    ] as const) {
      const saved = await u.admin.put('/api/v1/popup/integrations/lookup-hook', {
        enabled: true,
        urlTemplate,
        headers: {},
        timeoutMs: 1500,
        cacheTtlSeconds: 0,
        recordsPath: '$.records',
        mapping: { name: '$.name' },
      });
      expect([urlTemplate, saved.status]).toEqual([urlTemplate, 200]);
      const res = await u.admin.post('/api/v1/popup/integrations/lookup-hook/test', { number: '03-1234-5678' });
      expect(res.status).toBe(200);
      expect(res.body.ok).toBe(false);
      expect(res.body.error).toMatch(reason);
      expect(res.body.error).toMatch(REFUSED);
    }
    expect(receiver.received).toEqual([]);
  });

  it('never delivers a webhook to loopback, and the delivery log says why', async () => {
    const hook = await u.admin.post('/api/v1/webhooks', {
      name: 'loopback',
      url: receiver.url('/hook'),
      events: ['call.ended'],
    });
    expect(hook.status).toBe(201);
    const sent = await u.admin.post(`/api/v1/webhooks/${hook.body.id}/test`, {});
    expect(sent.status).toBe(201);
    const attempt = await eventually(async () => {
      const list = (await u.admin.get(`/api/v1/webhooks/${hook.body.id}/deliveries`)).body as Array<
        Record<string, unknown>
      >;
      const tried = list.find((d) => d['id'] === sent.body.id && Number(d['attempts']) >= 1);
      return tried;
    }, 'the first attempt');
    expect(attempt['error']).toMatch(REFUSED);
    expect(attempt['httpStatus']).toBeNull();
    expect(receiver.received).toEqual([]);
  });
});
