import { createHmac } from 'node:crypto';
import { SiteHealthScheduler } from '../src/products/flexlog/alerts/site-health.scheduler';
import { SiteAlerts } from '../src/products/flexlog/alerts/site-alerts.service';
import { FlexlogSite } from '../src/products/flexlog/sites/site.entity';
import { HeartbeatService } from '../src/products/flexlog/health/heartbeat.service';
import { SiteHealth } from '../src/products/flexlog/health/site-health.entity';
import { HeartbeatMinute } from '../src/products/flexlog/health/heartbeat-minute.entity';
import {
  heartbeat,
  postHeartbeat,
  setupTenants,
  siteWithKey,
  startWebhookReceiver,
  Tenants,
} from './support/flexlog-fixtures';
import { startSmtpProcess, subjectOf, TestSmtpServer } from './support/smtp-server-process';
import { eventually } from './support/store-probes';
import { ADMIN, startTestApp, TestApp } from './support/test-app';
import { testDatabases } from './support/test-databases';

type Hooks = Awaited<ReturnType<typeof startWebhookReceiver>>;
const later = (ms: number) => new Date(Date.now() + ms);

describe.each(testDatabases())('FlexLog site health on $name', (db) => {
  let t: TestApp;
  let u: Tenants;
  let smtp: TestSmtpServer;
  let hooks: Hooks;

  beforeAll(async () => {
    smtp = await startSmtpProcess();
    hooks = await startWebhookReceiver();
    t = await startTestApp(db);
    u = await setupTenants(t, smtp.port);
    await u.admin.post('/api/v1/users', {
      email: 'admin2@example.jp',
      displayName: '管理 次郎',
      roles: ['tenantAdmin'],
      password: 'Us3r-Passw0rd!',
    });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
    await hooks?.stop();
  });

  const mailsTo = (to: string, subject: string) =>
    smtp.received.filter((m) => m.to.includes(to) && subjectOf(m.raw) === subject);
  const auditOf = async (action: string) => (await u.admin.get(`/api/v1/audit?action=${action}&limit=100`)).body.items;

  it('takes a heartbeat from the key’s own site only, and names every bad field', async () => {
    const a = await siteWithKey(u.admin, { name: '東京本社' });
    const b = await siteWithKey(u.admin, { name: '大阪支店' });
    const ok = await postHeartbeat(t, a.key, heartbeat({ activeCalls: 7 }));
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ siteId: a.site.id, configUpdatedAt: a.site.updatedAt });
    // The body cannot name another site: the key decides.
    const spoof = await postHeartbeat(t, a.key, { ...heartbeat(), siteId: b.site.id });
    expect(spoof.status).toBe(400);
    expect(spoof.body.errors).toEqual([{ field: 'siteId', message: 'unknown field' }]);
    const bStatus = (await u.admin.get(`/api/v1/flexlog/sites/${b.site.id}/status`)).body;
    expect(bStatus).toMatchObject({ state: 'never', lastSeenAt: null, history: [] });
    const bad = await postHeartbeat(t, a.key, {
      ...heartbeat(),
      packetsPerSecond: -1,
      kernelDrops: 1.5,
      activeCalls: '3',
      lastUploadAt: 'yesterday',
      version: undefined,
    });
    expect(bad.status).toBe(400);
    expect([...new Set(bad.body.errors.map((e: { field: string }) => e.field))].sort()).toEqual([
      'activeCalls',
      'kernelDrops',
      'lastUploadAt',
      'packetsPerSecond',
      'version',
    ]);
    // Users and keys bound to no site may not send heartbeats.
    expect((await u.admin.post('/api/v1/flexlog/heartbeat', heartbeat())).status).toBe(403);
    const plain = (await u.admin.post('/api/v1/api-keys', { name: 'connector' })).body.key;
    expect((await postHeartbeat(t, plain, heartbeat())).status).toBe(403);
    expect((await postHeartbeat(t, 'ak_nonsense', heartbeat())).status).toBe(401);
  });

  it('shows online status, the latest figures and a minute-by-minute history', async () => {
    // Its heartbeats are minutes old by the real clock: a long offline limit keeps it online here.
    const { site } = await siteWithKey(u.admin, { name: '名古屋営業所', offlineAfterSeconds: 600 });
    const service = t.app.get(HeartbeatService);
    const tenantId = u.tenantId;
    const start = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 3 * 60_000);
    const at = (s: number) => new Date(start.getTime() + s * 1000);
    // Three minutes of heartbeats every 10 s, with 6 drops (kernel 4, interface 2) per heartbeat.
    for (let i = 0; i < 18; i++) {
      await service.receive(
        site.id,
        tenantId,
        {
          ...heartbeat(),
          packetsPerSecond: 1000 + i * 10,
          kernelDrops: i * 4,
          interfaceDrops: i * 2,
          activeCalls: i % 5,
          uptimeSeconds: 600 + i * 10,
          lastUploadAt: null,
          pendingUploads: undefined,
        },
        at(i * 10),
      );
    }
    const status = (await u.supervisor.get(`/api/v1/flexlog/sites/${site.id}/status`)).body;
    expect(status.state).toBe('online');
    expect(status.latest).toMatchObject({
      packetsPerSecond: 1170,
      kernelDrops: 68,
      interfaceDrops: 34,
      dropsPerMinute: 36,
      activeCalls: 2,
      spoolPercent: 1,
      version: '1.0.0',
    });
    expect(status.history).toHaveLength(3);
    expect(status.history[0]).toMatchObject({
      heartbeats: 6,
      packetsPerSecond: 1025,
      packetsPerSecondMax: 1050,
      drops: 30,
      activeCalls: 4,
    });
    expect(status.history[1]).toMatchObject({ heartbeats: 6, drops: 36 });
    expect(new Date(status.history[0].minute).getTime()).toBe(start.getTime());
    expect((await u.supervisor.get(`/api/v1/flexlog/sites/${site.id}/status?hours=0`)).status).toBe(400);
    // A day later, the minutes that fell out of the day are gone when a new minute starts.
    await service.receive(
      site.id,
      tenantId,
      { ...heartbeat(), uptimeSeconds: 90_000 },
      new Date(start.getTime() + 24 * 3600_000 + 90_000),
    );
    const kept = await t.dataSource.getRepository(HeartbeatMinute).find({ where: { siteId: site.id } });
    expect(kept.map((m) => m.minute.getTime() - start.getTime())).toEqual([120_000, 24 * 3600_000 + 60_000]);
  });

  it('mails every tenant admin and signs a webhook once per change: offline, then back online', async () => {
    const created = await u.admin.post('/api/v1/flexlog/sites', {
      name: '福岡支店',
      location: '福岡市博多区',
      webhookUrl: hooks.url,
      offlineAfterSeconds: 60,
    });
    const secret: string = created.body.webhookSecret;
    const site = created.body;
    const key = (await u.admin.post(`/api/v1/flexlog/sites/${site.id}/api-keys`, { name: 'box' })).body.key;
    expect((await postHeartbeat(t, key, heartbeat())).status).toBe(200);
    const scheduler = t.app.get(SiteHealthScheduler);
    const check = async (now: Date) => (await scheduler.check(now)).filter((a) => a.site.id === site.id);
    // 59 s of silence is not an outage; 61 s is. Time is passed in, not waited for.
    expect(await check(later(59_000))).toEqual([]);
    // Two processes noticing the same silence at once, from the same stale row: one alert.
    const row = async () => t.dataSource.getRepository(SiteHealth).findOneByOrFail({ siteId: site.id });
    const siteRow = await t.dataSource.getRepository(FlexlogSite).findOneByOrFail({ id: site.id });
    const alerts = t.app.get(SiteAlerts);
    const [first, second] = await Promise.all([
      alerts.evaluate(siteRow, await row(), later(61_000)),
      alerts.evaluate(siteRow, await row(), later(61_000)),
    ]);
    const sent = [...first, ...second];
    expect(sent.map((a) => [a.site.name, a.condition, a.state])).toEqual([['福岡支店', 'offline', 'raised']]);
    const offline = '[FlexLog] 福岡支店: 拠点との通信が途絶えました / site offline';
    for (const to of [ADMIN.email, 'admin2@example.jp'])
      await smtp.waitFor((m) => m.to.includes(to) && subjectOf(m.raw) === offline);
    const hook = await eventually(async () => hooks.received.find((h) => h.body.includes('offline')), 'the webhook');
    expect(hook.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(hook.headers['x-flexlog-signature']).toBe(
      `sha256=${createHmac('sha256', secret).update(hook.body).digest('hex')}`,
    );
    expect(hook.headers['x-flexlog-event']).toBe('flexlog.site.offline.raised');
    expect(JSON.parse(hook.body)).toMatchObject({
      event: 'flexlog.site.offline.raised',
      condition: 'offline',
      state: 'raised',
      site: { id: site.id, name: '福岡支店', location: '福岡市博多区' },
      figures: { activeCalls: 3, version: '1.0.0' },
    });
    // The next checks, in this process or another, tell no one again.
    expect(await check(later(120_000))).toEqual([]);
    expect((await u.admin.get(`/api/v1/flexlog/sites/${site.id}/status`)).body).toMatchObject({
      state: 'online', // by the real clock it is still fresh; the alert is what was told
      alerts: ['offline'],
    });
    await t.dataSource
      .getRepository(SiteHealth)
      .update({ siteId: site.id }, { lastSeenAt: new Date(Date.now() - 300_000) });
    expect((await u.admin.get(`/api/v1/flexlog/sites/${site.id}/status`)).body.state).toBe('offline');
    // It reports again: one "back online" mail per admin and one webhook.
    expect((await postHeartbeat(t, key, heartbeat())).status).toBe(200);
    const online = '[FlexLog] 福岡支店: 拠点との通信が回復しました / site back online';
    for (const to of [ADMIN.email, 'admin2@example.jp'])
      await smtp.waitFor((m) => m.to.includes(to) && subjectOf(m.raw) === online);
    await eventually(async () => hooks.received.find((h) => h.body.includes('"cleared"')), 'the recovery webhook');
    await postHeartbeat(t, key, heartbeat());
    await new Promise((r) => setTimeout(r, 300));
    for (const to of [ADMIN.email, 'admin2@example.jp']) {
      expect(mailsTo(to, offline)).toHaveLength(1);
      expect(mailsTo(to, online)).toHaveLength(1);
    }
    expect(smtp.received.flatMap((m) => m.to)).not.toContain('op@example.jp');
    expect(hooks.received.filter((h) => JSON.parse(h.body).site.id === site.id)).toHaveLength(2);
    const raised = (await auditOf('flexlog.alert.raised')).filter((a: { target: string }) => a.target === site.id);
    expect(raised).toHaveLength(1);
    expect(raised[0].actorId).toBeNull();
    const delivered = (await eventually(async () => {
      const items = (await auditOf('flexlog.alert.delivered')).filter((a: { target: string }) => a.target === site.id);
      return items.length === 2 ? items : undefined;
    }, 'two delivery entries')) as Array<{ details: string }>;
    const details = delivered.map((d) => JSON.parse(d.details));
    expect(details.map((d) => d.state).sort()).toEqual(['cleared', 'raised']);
    for (const d of details) {
      expect([...d.mailed].sort()).toEqual(['admin2@example.jp', ADMIN.email].sort());
      expect(d.webhook).toEqual({ url: hooks.url, status: 204 });
    }
  });

  it('alerts drops above the site’s threshold, a stalled upload and a nearly full spool, and their recovery', async () => {
    const { site, key } = await siteWithKey(u.admin, { name: '仙台支店', dropAlertThreshold: 50 });
    const subject = (s: string) => `[FlexLog] 仙台支店: ${s}`;
    const beat = (over: Record<string, unknown>) => postHeartbeat(t, key, heartbeat({ lastUploadAt: null, ...over }));
    expect((await beat({ kernelDrops: 0, uptimeSeconds: 100 })).status).toBe(200);
    expect((await beat({ kernelDrops: 80, interfaceDrops: 20, uptimeSeconds: 110 })).status).toBe(200);
    await smtp.waitFor((m) => subjectOf(m.raw) === subject('パケットの取りこぼしが発生しています / packets dropped'));
    // The window empties a minute later (time moved on through the row, as the next heartbeat sees it).
    const repo = t.dataSource.getRepository(SiteHealth);
    const row = await repo.findOneByOrFail({ siteId: site.id });
    await repo.update(
      { siteId: site.id },
      {
        recentDrops: JSON.stringify(
          JSON.parse(row.recentDrops ?? '[]').map(([at, n, s]: number[]) => [at - 120_000, n, s]),
        ),
      },
    );
    expect((await beat({ kernelDrops: 80, interfaceDrops: 20, uptimeSeconds: 120 })).status).toBe(200);
    await smtp.waitFor((m) => subjectOf(m.raw) === subject('パケットの取りこぼしが解消しました / packet drops over'));

    // A finished call waiting 31 minutes for an upload, as the capture reports it.
    await beat({ pendingUploads: 2, uptimeSeconds: 130 });
    await repo.update({ siteId: site.id }, { uploadWaitingSince: new Date(Date.now() - 31 * 60_000) });
    await beat({ pendingUploads: 2, uptimeSeconds: 140 });
    await smtp.waitFor((m) => subjectOf(m.raw) === subject('録音のアップロードが停止しています / uploads stalled'));
    await beat({ pendingUploads: 0, lastUploadAt: new Date().toISOString(), uptimeSeconds: 150 });
    await smtp.waitFor((m) => subjectOf(m.raw) === subject('録音のアップロードが再開しました / uploads resumed'));

    await beat({ spoolBytes: 950, spoolCapacityBytes: 1000, uptimeSeconds: 160 });
    await smtp.waitFor(
      (m) => subjectOf(m.raw) === subject('録音待ち領域(スプール)が満杯に近づいています / spool nearly full'),
    );
    await beat({ spoolBytes: 850, spoolCapacityBytes: 1000, uptimeSeconds: 170 });
    await beat({ spoolBytes: 100, spoolCapacityBytes: 1000, uptimeSeconds: 180 });
    await smtp.waitFor(
      (m) => subjectOf(m.raw) === subject('録音待ち領域(スプール)の空きが回復しました / spool space recovered'),
    );
    await new Promise((r) => setTimeout(r, 300));
    const mine = smtp.received.filter((m) => m.to.includes(ADMIN.email) && subjectOf(m.raw).includes('仙台支店'));
    expect(mine).toHaveLength(6);
  });

  it('records a failing webhook in the audit, and still mails', async () => {
    const created = await u.admin.post('/api/v1/flexlog/sites', { name: '広島支店', webhookUrl: hooks.url });
    const key = (await u.admin.post(`/api/v1/flexlog/sites/${created.body.id}/api-keys`, { name: 'box' })).body.key;
    await postHeartbeat(t, key, heartbeat());
    hooks.state.status = 503;
    try {
      await t.app.get(SiteHealthScheduler).check(later(61_000));
      const delivered = await eventually(async () => {
        const items = (await auditOf('flexlog.alert.delivered')).filter(
          (a: { target: string }) => a.target === created.body.id,
        );
        return items.length ? JSON.parse(items[0].details) : undefined;
      }, 'the delivery entry');
      expect(delivered.webhook).toEqual({ url: hooks.url, error: 'answered HTTP 503' });
      expect(delivered.mailed).toContain(ADMIN.email);
    } finally {
      hooks.state.status = 204;
    }
  });

  it('keeps tenants apart: no status across tenants, no mail to the other tenant’s admins', async () => {
    const beta = await siteWithKey(u.other, { name: '北海道拠点' });
    expect((await postHeartbeat(t, beta.key, heartbeat())).status).toBe(200);
    await t.app.get(SiteHealthScheduler).check(later(61_000));
    await smtp.waitFor((m) => m.to.includes('admin@beta.example.jp'));
    expect(smtp.received.filter((m) => subjectOf(m.raw).includes('北海道拠点')).flatMap((m) => m.to)).toEqual([
      'admin@beta.example.jp',
    ]);
    expect((await u.admin.get(`/api/v1/flexlog/sites/${beta.site.id}/status`)).status).toBe(404);
    const alpha = (await u.admin.get('/api/v1/flexlog/sites')).body;
    expect(alpha.map((s: { name: string }) => s.name)).not.toContain('北海道拠点');
    expect(JSON.stringify((await u.admin.get('/api/v1/audit?limit=500')).body.items)).not.toContain('北海道拠点');
    expect((await u.other.get('/api/v1/flexlog/sites')).body.map((s: { name: string }) => s.name)).toEqual([
      '北海道拠点',
    ]);
  });
});
