import { APP_CONFIG, AppConfig } from '../src/config/app-config';
import { engineProcesses } from '../src/products/vnote/transcription/engines/child-process-runner';
import { VnoteSegment, VnoteTranscript } from '../src/products/vnote/transcription/transcription.entities';
import { HttpClient } from './support/http-client';
import { uploadCall } from './support/ingest-upload';
import { completeSetup, startTestApp, TestApp } from './support/test-app';
import { testDatabases, testRedisUrl } from './support/test-databases';
import { settledTranscript, spokenStereoCall } from './support/vnote-spoken-call';
import { startWorkerProcess, WorkerProcess } from './support/worker-process';

// A separate worker process exists only in the production shape: bull on Redis, a shared MariaDB.
// On SQLite (or without Redis) the API runs jobs in-process and there is no worker to kill, so the
// suite is skipped there; vnote-transcription.int.spec.ts covers the in-process recovery.
const shared = testRedisUrl() ? testDatabases().filter((d) => d.name === 'mysql') : [];
const suite = shared.length ? describe.each(shared) : describe.skip.each(testDatabases());
const title = shared.length
  ? 'FlexVNote: a worker process killed mid-job on $name with Redis'
  : 'FlexVNote worker kill on $name (skipped)';
if (!shared.length)
  console.warn(
    'vnote-worker-kill skipped: needs DATABASE_URL=mysql://... and REDIS_URL; without them jobs run inside the API and there is no worker process to kill',
  );

/** Short, so the killed worker's job is taken over soon; production keeps the 120 s default. */
const LEASE_SECONDS = '4';
const ADMIN = { email: 'admin@kill.example.jp', displayName: 'kill 管理者', password: 'Tenant-Adm1n!' };
// Long sentences: a ~25 s call keeps the recogniser busy long enough to be killed mid-job.
const CUSTOMER =
  'hello i would like to check my order number four five six please it was placed last monday and ' +
  'i have not received any message about the delivery yet could you tell me when it will arrive';
const OPERATOR =
  'thank you for calling the order number is seven eight nine and it ships today from our warehouse ' +
  'you will receive a message with the tracking number this evening is there anything else i can do';

interface Segment {
  seq: number;
  channel: number;
  speaker: string;
  startMs: number;
  text: string;
}

suite(title, (db) => {
  let t: TestApp;
  let a: HttpClient;
  let workerEnv: Record<string, string>;
  const workers: WorkerProcess[] = [];
  const call = spokenStereoCall(CUSTOMER, OPERATOR);
  // Recognisers started by this (API) process: with Redis the API must leave jobs to workers.
  let apiEngineSpawns = 0;
  const countApiSpawn = () => apiEngineSpawns++;
  // The API is probed all along: it must answer while a worker dies and another takes over.
  const health = { ok: 0, failures: [] as string[], stop: false, loop: Promise.resolve() };

  beforeAll(async () => {
    engineProcesses.on('spawn', countApiSpawn);
    t = await startTestApp(db);
    const config = t.app.get<AppConfig>(APP_CONFIG);
    if (config.database.type !== 'mysql' || !config.redisUrl) throw new Error('needs MariaDB and Redis');
    expect(config.vnote.transcribeInApi).toBe(false);
    // Same database, Redis, queue prefix and data directory (keys, recordings): one deployment.
    workerEnv = {
      NODE_ENV: 'test',
      DATA_DIR: t.dataDir,
      DATABASE_URL: config.database.url,
      REDIS_URL: config.redisUrl,
      QUEUE_PREFIX: config.queuePrefix,
      LOG_LEVEL: 'warn',
      VNOTE_JOB_LEASE_SECONDS: LEASE_SECONDS,
    };
    const vendor = await completeSetup(t, 'multi');
    const created = await vendor.post('/api/v1/tenants', {
      name: 'kill',
      products: ['flexlog', 'flexvnote'],
      admin: ADMIN,
    });
    expect(created.status).toBe(201);
    a = t.client();
    expect((await a.post('/api/v1/auth/login', { email: ADMIN.email, password: ADMIN.password })).status).toBe(200);
    // Wideband storage, as a transcribing tenant keeps (see vnote-transcription.int.spec.ts).
    expect((await a.patch('/api/v1/recordings/policy', { audioQuality: 'wideband' })).status).toBe(200);
    health.loop = (async () => {
      const probe = t.client();
      while (!health.stop) {
        const res = await probe.get('/api/health').catch((e: Error) => ({ status: 0, text: e.message }));
        if (res.status === 200) health.ok++;
        else health.failures.push(`${res.status} ${res.text}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
  }, 120_000);

  afterAll(async () => {
    engineProcesses.off('spawn', countApiSpawn);
    health.stop = true;
    await health.loop;
    for (const worker of workers) await worker.kill();
    await t?.close();
  }, 60_000);

  const startWorker = async () => {
    const worker = startWorkerProcess(workerEnv);
    workers.push(worker);
    await worker.ready;
    return worker;
  };

  it('retries the job of a SIGKILLed worker on another worker and completes it once, the API answering throughout', async () => {
    const first = await startWorker();
    const key = (await a.post('/api/v1/api-keys', { name: 'kill capture' })).body.key;
    const up = await uploadCall(t, key, 'vnote-kill-1', call.audio);
    expect(up.status).toBe(201);
    const callId: string = up.body.callId;

    // Wait until worker #1 is in the middle of the job: the row running, past the channel split, and
    // its pocketsphinx child recognising a channel.
    const recognising = () => first.children().some((name) => name.startsWith('pocketsphinx'));
    let seen = (await a.get(`/api/v1/vnote/calls/${callId}/transcript`)).body;
    while (!(seen.status === 'running' && seen.progress > 0 && recognising())) {
      if (seen.status === 'done' || seen.status === 'failed')
        throw new Error(`job settled before the kill: ${JSON.stringify(seen)}\n${first.output()}`);
      await new Promise((r) => setTimeout(r, 100));
      seen = (await a.get(`/api/v1/vnote/calls/${callId}/transcript`)).body;
    }
    await first.kill();
    expect(first.child.signalCode).toBe('SIGKILL');
    // The recogniser went down with it (it is in the worker's process group): nothing finishes the job behind our back.
    expect(first.groupAlive()).toBe(false);
    console.log(`worker #1 killed while recognising, transcript at progress ${seen.progress}`);

    // What the dead worker left: the row still says running, attempt 1, unfinished, no segments.
    const transcripts = t.dataSource.getRepository(VnoteTranscript);
    const left = await transcripts.findOneByOrFail({ id: seen.transcriptId });
    expect(left).toMatchObject({ status: 'running', attempts: 1 });
    expect(left.progress).toBeLessThan(100);
    expect(await t.dataSource.getRepository(VnoteSegment).countBy({ transcriptId: seen.transcriptId })).toBe(0);

    const second = await startWorker();
    const done = await settledTranscript(a, callId, 120_000).catch((e: Error) => {
      throw new Error(`${e.message}\nworker #2 said:\n${second.output()}`);
    });
    // Attempts count claimed runs: the killed one and the one that finished.
    expect(done).toMatchObject({ status: 'done', progress: 100, attempts: 2, engine: 'pocketsphinx' });

    const segments: Segment[] = done.segments;
    for (const channel of [0, 1]) expect(segments.filter((s) => s.channel === channel).length).toBeGreaterThan(0);
    expect(segments.filter((s) => s.channel === 0).every((s) => s.speaker === 'customer')).toBe(true);
    expect(segments.filter((s) => s.channel === 1).every((s) => s.speaker === 'operator')).toBe(true);
    // Written once: consecutive seq, no segment twice, and the table holds exactly what the API shows.
    expect(segments.map((s) => s.seq)).toEqual([...segments.keys()]);
    const keys = segments.map((s) => `${s.channel}/${s.startMs}/${s.text}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(await t.dataSource.getRepository(VnoteSegment).countBy({ transcriptId: seen.transcriptId })).toBe(
      segments.length,
    );
    expect((await a.get('/api/v1/vnote/dead-letters')).body.items).toEqual([]);
    const jobs = await a.get('/api/v1/vnote/jobs');
    expect(jobs.body.counts).toEqual({ queued: 0, running: 0, done: 1, failed: 0 });

    // The API did no recognition itself, and answered every health probe while the worker died.
    expect(apiEngineSpawns).toBe(0);
    health.stop = true;
    await health.loop;
    expect(health.failures).toEqual([]);
    expect(health.ok).toBeGreaterThan(0);
  }, 300_000);
});
