import { createHash } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { SETTING, SystemSettingsService } from '../src/core/setup/system-settings.service';
import { tenantPrefix, ObjectStorage } from '../src/platform/storage/object-storage';
import { NpmTranscoder } from '../src/platform/transcoder/npm-transcoder';
import { glide, wavFile } from '../src/platform/transcoder/testing/signals';
import { bestCorrelation, collect, decodeIndependently, envelope } from '../src/platform/transcoder/testing/verify';
import { RecordingVault } from '../src/products/recordings/vault/recording-vault';
import { completeSetup, startTestApp, TestApp } from './support/test-app';
import { HttpClient } from './support/http-client';
import { s3StorageSettings, startS3Server, TestS3Server } from './support/s3-server';
import { testDatabases } from './support/test-databases';

// Issue 3's round trip on every database and storage driver: ingest -> search -> ranged playback ->
// download, compared sample by sample with the normalised original; and a storage failure mid-stream.
jest.mock('opus-decoder', () =>
  jest.requireActual('../src/platform/transcoder/testing/verify').umdBuild('opus-decoder'),
);

const RATE = 8000;
const SECONDS = 60;
const left = glide(300, 900, RATE, SECONDS);
const right = glide(1200, 2400, RATE, SECONDS, 0, 3);
const call = wavFile('mulaw', RATE, [left, right]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const cases = testDatabases().flatMap((db) =>
  (['local', 's3'] as const).map((driver) => ({ db, driver, name: `${db.name}/${driver}` })),
);

describe.each(cases)('ingest round trip on $name', ({ db, driver }) => {
  let t: TestApp;
  let admin: HttpClient;
  let s3: TestS3Server | undefined;
  let key: string;
  let tenantId: string;

  const upload = async (id: string, audio: Buffer) => {
    const form = new FormData();
    form.append(
      'metadata',
      JSON.stringify({
        clientRecordingId: id,
        source: 'upload',
        direction: 'outbound',
        caller: { number: '201' },
        callee: { number: '+81 6-6123-4567' },
        extension: '201',
        startedAt: '2026-11-21T02:00:00.000Z',
        answeredAt: '2026-11-21T02:00:03.000Z',
        endedAt: '2026-11-21T02:00:09.000Z',
        disposition: 'answered',
        sha256: sha(audio),
      }),
    );
    form.append('audio', new Blob([new Uint8Array(audio)], { type: 'audio/wav' }), 'call.wav');
    const res = await fetch(`${t.baseUrl}/api/v1/ingest/calls`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
      body: form,
    });
    return { status: res.status, body: await res.json().catch(() => undefined) };
  };
  const get = async (path: string, range?: string) => {
    const res = await fetch(`${t.baseUrl}${path}`, {
      headers: { cookie: `access_token=${admin.cookie('access_token')}`, ...(range ? { range } : {}) },
    });
    return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
  };
  const objects = async () => {
    const keys: string[] = [];
    for await (const o of (await t.app.get(RecordingVault).objectStorage()).list(tenantPrefix(tenantId)))
      keys.push(o.key);
    return keys;
  };
  const rows = async () => {
    const [calls] = await t.dataSource.query('SELECT COUNT(*) AS n FROM calls');
    const [recordings] = await t.dataSource.query('SELECT COUNT(*) AS n FROM recordings');
    return Number(calls.n) + Number(recordings.n);
  };

  beforeAll(async () => {
    t = await startTestApp(db);
    admin = await completeSetup(t);
    if (driver === 's3') {
      s3 = await startS3Server();
      await t.app.get(SystemSettingsService).set(SETTING.storage, s3StorageSettings(s3));
    }
    key = (await admin.post('/api/v1/api-keys', { name: 'uploader' })).body.key;
    tenantId = (await admin.get('/api/v1/auth/me')).body.tenant.id;
  });
  afterAll(async () => {
    await t?.close();
    await s3?.stop();
  });

  it('plays back, in any ranges, exactly the normalised original', async () => {
    const stored = await upload('rt-0001', call);
    expect(stored.status).toBe(201);
    const found = await admin.get('/api/v1/calls?number=06-6123-4567&numberMatch=exact');
    expect(found.body.items.map((c: { id: string }) => c.id)).toEqual([stored.body.callId]);

    const whole = await get(`/api/v1/calls/${stored.body.callId}/audio`);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    const [recording] = await t.dataSource.query('SELECT sha256, bytes FROM recordings');
    expect(sha(whole.body)).toBe(recording.sha256);
    expect(whole.body.length).toBe(Number(recording.bytes));

    // Ranges that cut across encryption chunks put back together give the same bytes.
    const cuts = [0, 1, 4095, 65_535, 65_536, 70_001, whole.body.length - 1, whole.body.length];
    const pieces: Buffer[] = [];
    for (let i = 0; i + 1 < cuts.length; i++) {
      const [from, to] = [cuts[i], cuts[i + 1] - 1];
      if (to < from || from >= whole.body.length) continue;
      const part = await get(`/api/v1/calls/${stored.body.callId}/audio`, `bytes=${from}-${to}`);
      expect(part.status).toBe(206);
      expect(part.headers.get('content-range')).toBe(`bytes ${from}-${to}/${whole.body.length}`);
      pieces.push(part.body);
    }
    expect(Buffer.concat(pieces).equals(whole.body)).toBe(true);

    // The WAV download, decoded on the server, still carries each party on its own channel.
    const wav = await get(`/api/v1/calls/${stored.body.callId}/audio?format=wav`);
    expect(wav.body.readUInt16LE(22)).toBe(2);
    expect(wav.body.readUInt32LE(24)).toBe(RATE);
    const samples = (wav.body.length - 44) / 4;
    const channel = (c: number) => {
      const out = new Float32Array(samples);
      for (let i = 0; i < samples; i++) out[i] = wav.body.readInt16LE(44 + i * 4 + c * 2) / 32768;
      return out;
    };
    const env = (x: Float32Array) => envelope(x.subarray(0, 5 * RATE), 160);
    expect(bestCorrelation(env(left), env(channel(0)), 2).r).toBeGreaterThan(0.9);
    expect(bestCorrelation(env(right), env(channel(1)), 2).r).toBeGreaterThan(0.9);
    // The same normalisation done here, decoded, equals what came back, sample for sample.
    const local = new NpmTranscoder().toStorageOpus(Readable.from([call]));
    const [mine] = await Promise.all([collect(local.output), local.result]);
    const [a, b] = await Promise.all([decodeIndependently(whole.body), decodeIndependently(mine)]);
    expect(a.channels).toHaveLength(2);
    for (const c of [0, 1]) {
      expect(a.channels[c].length).toBe(b.channels[c].length);
      let worst = 0;
      for (let i = 0; i < a.channels[c].length; i++)
        worst = Math.max(worst, Math.abs(a.channels[c][i] - b.channels[c][i]));
      expect(worst).toBeLessThan(1e-6);
    }
  });

  it('keeps no row and no object when storage fails in the middle of the upload', async () => {
    const storage = await t.app.get(RecordingVault).objectStorage();
    const beforeRows = await rows();
    const beforeObjects = await objects();
    const realPut = storage.put.bind(storage);
    // The driver itself gets a body that breaks after the first 16 KiB: a disk or network dying mid-write.
    const failing: ObjectStorage['put'] = (objectKey, body, options) => {
      const broken = new PassThrough();
      // The driver may attach its listeners only after an await; the error then reaches it as a destroyed body.
      broken.on('error', () => undefined);
      let seen = 0;
      const onData = (chunk: Buffer) => {
        seen += chunk.length;
        if (seen <= 16_384) return void broken.write(chunk);
        body.off('data', onData);
        body.resume();
        broken.destroy(new Error('injected: storage connection reset'));
      };
      body.on('data', onData);
      body.on('end', () => broken.end());
      return realPut(objectKey, broken, options);
    };
    storage.put = failing;
    try {
      const big = wavFile('mulaw', RATE, [glide(300, 900, RATE, 60), glide(1200, 2400, RATE, 60)]);
      const res = await upload('rt-broken', big);
      expect(res.status).toBe(503);
      expect(res.body.message).toMatch(/storage failed.*nothing was kept.*injected: storage connection reset/);
    } finally {
      storage.put = realPut;
    }
    expect(await rows()).toBe(beforeRows);
    expect(await objects()).toEqual(beforeObjects);
    // The same upload goes through once storage is back: nothing of the failed attempt is in the way.
    const again = await upload('rt-broken', call);
    expect(again.status).toBe(201);
    expect(again.body.duplicate).toBe(false);
  });
});
