import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { APP_CONFIG, AppConfig, loadConfig } from '../src/config/app-config';
import { createApp } from '../src/bootstrap/create-app';
import { connectEvents, EventClient, setupTenants, siteWithKey, Tenants } from './support/flexlog-fixtures';
import { connectPopup, eventFeeder, ringingCallIds } from './support/popup-fixtures';
import { startTestApp, TestApp } from './support/test-app';
import { testDatabases, testRedisUrl } from './support/test-databases';

// Several backend instances behind one address: the capture's event stream reaches one of them, the
// browsers' sockets any of them. Needs what production multi-instance needs: MariaDB and Redis.
const shared = testRedisUrl() ? testDatabases().filter((d) => d.name === 'mysql') : [];
const suite = shared.length ? describe.each(shared) : describe.skip.each(testDatabases());

suite('popup delivery across backend instances on $name with Redis', (db) => {
  let first: TestApp;
  let second: INestApplication;
  let secondAddress: TestApp;
  let u: Tenants;
  let capture: EventClient;
  let satoId: string;
  let feed: ReturnType<typeof eventFeeder>;

  beforeAll(async () => {
    first = await startTestApp(db);
    u = await setupTenants(first, undefined, ['flexlog', 'ootairyoku']);
    const config = first.app.get<AppConfig>(APP_CONFIG);
    if (config.database.type !== 'mysql' || !config.redisUrl) throw new Error('needs MariaDB and Redis');
    // Same database, Redis, queue prefix and data directory (keys): a second process of one deployment.
    second = await createApp(
      loadConfig({
        NODE_ENV: 'test',
        DATA_DIR: first.dataDir,
        DATABASE_URL: config.database.url,
        REDIS_URL: config.redisUrl,
        QUEUE_PREFIX: config.queuePrefix,
        LOG_LEVEL: 'silent',
        AUTH_RATE_LIMIT_PER_MINUTE: '10000',
      }),
    );
    await second.listen(0, '127.0.0.1');
    const port = (second.getHttpServer().address() as AddressInfo).port;
    secondAddress = { ...first, baseUrl: `http://127.0.0.1:${port}` };
    const tokyo = await siteWithKey(u.admin, {
      name: '東京本社',
      lines: [{ name: '東京店', numbers: ['0312340000'] }],
    });
    const created = await u.admin.post('/api/v1/users', {
      email: 'sato@example.jp',
      displayName: '佐藤',
      roles: ['operator'],
      password: 'Us3r-Passw0rd!',
      extensions: ['201'],
    });
    satoId = created.body.user.id;
    capture = await connectEvents(first, { header: tokyo.key });
    await capture.next((m) => m['type'] === 'hello');
    feed = eventFeeder(capture);
  });
  afterAll(async () => {
    await capture?.close();
    await second?.close();
    await first?.close();
  });

  it('reaches a socket on another instance, and another instance resumes the still-ringing call', async () => {
    const sato = first.client();
    await sato.post('/api/v1/auth/login', { email: 'sato@example.jp', password: 'Us3r-Passw0rd!' });
    const onSecond = await connectPopup(secondAddress, sato);
    const beta = await connectPopup(secondAddress, u.other);
    await feed('ringing', 'cross@pbx');
    const popup = await onSecond.next('popup:ringing', (p) => p['sipCallId'] === 'cross@pbx');
    expect(popup).toMatchObject({ lineName: '東京店', number: { display: '03-1234-5678' }, resumed: false });

    // The event was handled by the first instance; the second knows the call from Redis alone.
    onSecond.close();
    const again = await connectPopup(secondAddress, sato);
    const synced = await again.next('popup:synced');
    expect(synced['keys']).toEqual([popup['key']]);
    expect(ringingCallIds(again)).toEqual(['cross@pbx']);

    await feed('answered', 'cross@pbx');
    expect(await again.next('popup:answered')).toMatchObject({
      key: popup['key'],
      answeredBy: { userId: satoId, displayName: '佐藤' },
    });
    await feed('ended', 'cross@pbx');
    await again.next('popup:ended', (p) => p['key'] === popup['key']);
    // Tenant B's socket on the same instance got nothing of it (its resume list is empty too).
    expect((await beta.next('popup:synced'))['keys']).toEqual([]);
    expect(beta.arrivals.map((a) => a.event)).toEqual(['popup:synced']);
    again.close();
    beta.close();
  });
});
