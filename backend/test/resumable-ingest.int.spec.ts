import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';
import { IsNull } from 'typeorm';
import { NpmTranscoder } from '../src/platform/transcoder/npm-transcoder';
import { tone, wavFile } from '../src/platform/transcoder/testing/signals';
import { tenantPrefix } from '../src/platform/storage/object-storage';
import { SETTING, SystemSettingsService } from '../src/core/setup/system-settings.service';
import { RecordingVault } from '../src/products/recordings/vault/recording-vault';
import { UploadSession } from '../src/products/recordings/ingest/upload-session.entity';
import { completeSetup, startTestApp, TestApp } from './support/test-app';
import { HttpClient } from './support/http-client';
import { s3StorageSettings, startS3Server, TestS3Server } from './support/s3-server';
import { TestDatabase, testDatabases } from './support/test-databases';

const sha = (b: Buffer, algorithm = 'sha256') => createHash(algorithm).update(b).digest();
const b64 = (s: string) => Buffer.from(s).toString('base64');
// Eight seconds of an 8 kHz stereo µ-law call (128 KB): more than one cipher chunk per segment.
const call = wavFile('mulaw', 8000, [tone(440, 8000, 8), tone(1250, 8000, 8)]);

const meta = (id: string, audio: Buffer, extra: Record<string, unknown> = {}) => ({
  clientRecordingId: id,
  source: 'flexlog',
  direction: 'outbound',
  caller: { number: '201' },
  callee: { number: '06-6123-4567', name: '大阪 花子' },
  startedAt: '2026-11-21T02:00:00.000Z',
  answeredAt: '2026-11-21T02:00:02.000Z',
  endedAt: '2026-11-21T02:00:10.000Z',
  disposition: 'answered',
  sha256: sha(audio).toString('hex'),
  tags: ['resumed'],
  ...extra,
});

interface Answer {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** A tus client in a few lines: every request carries Tus-Resumable and the API key. */
function tusClient(t: TestApp, key: string) {
  const send = async (method: string, path: string, headers: Record<string, string>, body?: Buffer | Readable) => {
    const res = await fetch(t.baseUrl + path, {
      method,
      headers: { authorization: `Bearer ${key}`, 'tus-resumable': '1.0.0', ...headers },
      // A stream goes chunked, without Content-Length.
      ...(body instanceof Readable
        ? { body: Readable.toWeb(body) as ReadableStream, duplex: 'half' }
        : { body: body && new Uint8Array(body) }),
    } as RequestInit);
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined } as Answer;
  };
  return {
    create: (metadata: unknown, length: number, extra: Record<string, string> = {}) =>
      send('POST', '/api/v1/ingest/uploads', {
        'upload-length': String(length),
        'upload-metadata': `filename ${b64('call.wav')},metadata ${b64(JSON.stringify(metadata))}`,
        ...extra,
      }),
    patch: (location: string, offset: number, body: Buffer | Readable, extra: Record<string, string> = {}) =>
      send(
        'PATCH',
        location,
        { 'content-type': 'application/offset+octet-stream', 'upload-offset': String(offset), ...extra },
        body,
      ),
    head: (location: string) => send('HEAD', location, {}),
    delete: (location: string) => send('DELETE', location, {}),
  };
}

/** A PATCH announcing `announced` bytes, whose body the test then writes (or stops writing) itself. */
function openPatch(t: TestApp, key: string, location: string, offset: number, announced: number) {
  const req = httpRequest(t.baseUrl + location, {
    method: 'PATCH',
    headers: {
      authorization: `Bearer ${key}`,
      'tus-resumable': '1.0.0',
      'content-type': 'application/offset+octet-stream',
      'upload-offset': String(offset),
      'content-length': String(announced),
    },
  });
  req.on('error', () => undefined); // the hang-ups are on purpose
  return req;
}

/** Sends part of a PATCH body (announcing all of it), then hangs up like a dropped mobile link. */
function patchThenHangUp(t: TestApp, key: string, location: string, offset: number, sent: Buffer, announced: number) {
  return new Promise<void>((resolve) => {
    const req = openPatch(t, key, location, offset, announced);
    req.on('response', () => resolve());
    // Give the bytes time to reach the server before the connection drops.
    req.write(sent, () =>
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 300),
    );
  });
}

const cases = (): Array<{ db: TestDatabase; storage: 'local' | 's3' }> => [
  ...testDatabases().map((db) => ({ db, storage: 'local' as const })),
  { db: testDatabases()[0], storage: 's3' },
];

describe.each(cases())('resumable ingest (tus) on $db.name with $storage storage', ({ db, storage }) => {
  let t: TestApp;
  let s3: TestS3Server | undefined;
  let admin: HttpClient;
  let tus: ReturnType<typeof tusClient>;
  let key: string;
  let tenantId: string;
  let otherKey: string;

  const objects = async (under = '') => {
    const keys: string[] = [];
    const store = await t.app.get(RecordingVault).objectStorage();
    for await (const o of store.list(tenantPrefix(tenantId) + under)) keys.push(o.key);
    return keys;
  };
  const count = async (table: string) => Number((await t.dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
  const wavOf = async (callId: string) => {
    const res = await fetch(`${t.baseUrl}/api/v1/calls/${callId}/audio`, {
      headers: { cookie: `access_token=${admin.cookie('access_token')}` },
    });
    expect(res.status).toBe(200);
    const ogg = Readable.from([Buffer.from(await res.arrayBuffer())]);
    return Buffer.concat(await new NpmTranscoder().toWav(ogg).toArray());
  };
  const started = async (id: string, audio = call, extra: Record<string, unknown> = {}) => {
    const res = await tus.create(meta(id, audio, extra), audio.length);
    expect(res.status).toBe(201);
    return res.headers.get('location') as string;
  };

  beforeAll(async () => {
    t = await startTestApp(db);
    admin = await completeSetup(t, 'multi');
    if (storage === 's3') {
      s3 = await startS3Server();
      await t.app.get(SystemSettingsService).set(SETTING.storage, s3StorageSettings(s3));
    }
    key = (await admin.post('/api/v1/api-keys', { name: 'tokyo capture' })).body.key;
    tenantId = (await admin.get('/api/v1/auth/me')).body.tenant.id;
    tus = tusClient(t, key);
    await admin.post('/api/v1/tenants', {
      name: 'B',
      products: ['flexlog'],
      admin: { email: 'b@example.jp', displayName: 'B', password: 'Tenant-Adm1n!' },
    });
    const b = t.client();
    await b.post('/api/v1/auth/login', { email: 'b@example.jp', password: 'Tenant-Adm1n!' });
    otherKey = (await b.post('/api/v1/api-keys', { name: 'b site' })).body.key;
  });
  afterAll(async () => {
    await t?.close();
    await s3?.stop();
  });

  it('answers OPTIONS without a key, and 412 to a request without Tus-Resumable', async () => {
    const options = await fetch(`${t.baseUrl}/api/v1/ingest/uploads`, { method: 'OPTIONS' });
    expect(options.status).toBe(204);
    expect(options.headers.get('tus-version')).toBe('1.0.0');
    expect(options.headers.get('tus-extension')).toBe('creation,termination,expiration,checksum');
    expect(options.headers.get('tus-max-size')).toBe(String(512 * 1024 * 1024));
    const bare = await fetch(`${t.baseUrl}/api/v1/ingest/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'upload-length': '10' },
    });
    expect(bare.status).toBe(412);
    expect(bare.headers.get('tus-version')).toBe('1.0.0');
    expect((await bare.json()).errors[0].field).toBe('Tus-Resumable');
  });

  it('resumes after a dropped PATCH and yields the same call audio as the one-request upload', async () => {
    const location = await started('pbx-tus-1');
    expect(location).toMatch(/^\/api\/v1\/ingest\/uploads\/[0-9a-f-]{36}$/);

    const first = await tus.patch(location, 0, call.subarray(0, 40_000));
    expect(first.status).toBe(204);
    expect(first.headers.get('upload-offset')).toBe('40000');
    expect(first.headers.get('tus-resumable')).toBe('1.0.0');
    expect(new Date(first.headers.get('upload-expires') as string).getTime()).toBeGreaterThan(Date.now());
    // At rest the partial audio is ciphertext only: RCE1, and no run of the audio appears in it.
    const [segment] = await objects('uploads/');
    const raw = Buffer.concat(await (await (await t.app.get(RecordingVault).objectStorage()).get(segment)).toArray());
    expect(raw.subarray(0, 4).toString()).toBe('RCE1');
    expect(raw.includes(call.subarray(0, 12))).toBe(false);
    expect(raw.includes(call.subarray(20_000, 20_064))).toBe(false);

    // The second PATCH announces the rest but the link drops after 30,000 bytes: those are kept.
    await patchThenHangUp(t, key, location, 40_000, call.subarray(40_000, 70_000), call.length - 40_000);
    let offset = '';
    for (let i = 0; i < 50 && offset !== '70000'; i++) {
      offset = (await tus.head(location)).headers.get('upload-offset') as string;
      if (offset !== '70000') await new Promise((r) => setTimeout(r, 100));
    }
    expect(offset).toBe('70000');
    const head = await tus.head(location);
    expect(head.status).toBe(200);
    expect(head.headers.get('upload-length')).toBe(String(call.length));
    expect(head.headers.get('cache-control')).toBe('no-store');
    expect(head.headers.get('upload-metadata')).toContain(`metadata ${b64(JSON.stringify(meta('pbx-tus-1', call)))}`);

    const last = await tus.patch(location, 70_000, call.subarray(70_000));
    expect(last.status).toBe(204);
    expect(last.headers.get('upload-offset')).toBe(String(call.length));
    expect(last.headers.get('ingest-duplicate')).toBe('false');
    const callId = last.headers.get('ingest-call-id') as string;
    expect(callId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await tus.head(location)).headers.get('ingest-call-id')).toBe(callId);
    expect(await objects('uploads/')).toEqual([]);
    expect(await count('upload_segments')).toBe(0);

    const found = await admin.get(`/api/v1/calls/${callId}`);
    expect(found.body).toMatchObject({ talkSeconds: 8, channelLayout: 'stereo', tags: ['resumed'] });
    // The multipart path with the same audio: both decode to the very same samples.
    const form = new FormData();
    form.append('metadata', JSON.stringify(meta('pbx-multipart-1', call)));
    form.append('audio', new Blob([new Uint8Array(call)], { type: 'audio/wav' }), 'call.wav');
    const multipart = await fetch(`${t.baseUrl}/api/v1/ingest/calls`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
      body: form,
    });
    expect(multipart.status).toBe(201);
    const viaTus = await wavOf(callId);
    expect(viaTus.readUInt16LE(22)).toBe(2);
    expect(viaTus.equals(await wavOf((await multipart.json()).callId))).toBe(true);
  });

  it('answers a re-created upload of a stored call with the first result, and resumes one in progress', async () => {
    const before = await count('calls');
    const again = await tus.create(meta('pbx-tus-1', call), call.length);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ duplicate: true, durationMs: 8000 });
    expect(again.headers.get('ingest-call-id')).toBe(again.body.callId);
    expect(again.headers.get('location')).toBeNull();
    expect(await count('calls')).toBe(before);

    const location = await started('pbx-tus-2');
    await tus.patch(location, 0, call.subarray(0, 1000));
    const resumed = await tus.create(meta('pbx-tus-2', call), call.length);
    expect(resumed.status).toBe(200);
    expect(resumed.headers.get('location')).toBe(location);
    expect(resumed.headers.get('upload-offset')).toBe('1000');
    const otherFile = await tus.create(meta('pbx-tus-2', call.subarray(0, 5000)), 5000);
    expect(otherFile.status).toBe(409);
    expect(otherFile.body.errors[0].field).toBe('metadata.clientRecordingId');
    expect((await tus.delete(location)).status).toBe(204);
  });

  it('refuses a wrong offset (409), a wrong Content-Type (415), a body past the end (413), a bad checksum (460)', async () => {
    const location = await started('pbx-tus-3');
    expect((await tus.patch(location, 5, call.subarray(0, 100))).status).toBe(409);
    expect((await tus.patch(location, 0, call.subarray(0, 100), { 'content-type': 'audio/wav' })).status).toBe(415);
    expect((await tus.patch(location, 0, Buffer.concat([call, Buffer.alloc(1)]))).status).toBe(413);
    const wrongSum = `sha256 ${sha(Buffer.from('other')).toString('base64')}`;
    expect((await tus.patch(location, 0, call.subarray(0, 100), { 'upload-checksum': wrongSum })).status).toBe(460);
    expect((await tus.patch(location, 0, call.subarray(0, 100), { 'upload-checksum': 'crc32 AAAA' })).status).toBe(400);
    const rightSum = `sha1 ${sha(call.subarray(0, 100), 'sha1').toString('base64')}`;
    const ok = await tus.patch(location, 0, call.subarray(0, 100), { 'upload-checksum': rightSum });
    expect(ok.status).toBe(204);
    expect(ok.headers.get('upload-offset')).toBe('100');
    expect((await objects('uploads/')).length).toBe(1); // the refused bodies left nothing behind
    expect((await tus.delete(location)).status).toBe(204);
    expect((await tus.head(location)).status).toBe(404);
    expect(await objects('uploads/')).toEqual([]);
  });

  it('locks an upload while a PATCH is sending (423) and refuses a streamed body past the end (413)', async () => {
    const location = await started('pbx-tus-lock');
    const slow = openPatch(t, key, location, 0, 2000);
    await new Promise((resolve) => slow.write(call.subarray(0, 1000), () => setTimeout(resolve, 200)));
    expect((await tus.patch(location, 0, call.subarray(0, 10))).status).toBe(423);
    const answered = new Promise<number>((resolve) => slow.on('response', (res) => resolve(res.statusCode ?? 0)));
    slow.end(call.subarray(1000, 2000));
    expect(await answered).toBe(204);

    // Without Content-Length the limit can only be found while streaming: nothing of that body stays.
    const chunks = [call.subarray(2000, 60_000), call.subarray(60_000), Buffer.alloc(10)];
    const streamed = await tus.patch(location, 2000, Readable.from(chunks));
    expect(streamed.status).toBe(413);
    expect((await tus.head(location)).headers.get('upload-offset')).toBe('2000');
    expect((await objects('uploads/')).length).toBe(1);
    expect((await tus.delete(location)).status).toBe(204);
  });

  it('refuses a hash mismatch on the last PATCH with 422 and leaves no row, no object and no partial', async () => {
    const calls = await count('calls');
    const stored = (await objects()).length;
    const location = await started('pbx-tus-bad-hash', call, { sha256: 'f'.repeat(64) });
    expect((await tus.patch(location, 0, call.subarray(0, 60_000))).status).toBe(204);
    const last = await tus.patch(location, 60_000, call.subarray(60_000));
    expect(last.status).toBe(422);
    expect(last.body.message).toMatch(/sha256 mismatch/);
    expect(await count('calls')).toBe(calls);
    expect(await count('upload_sessions WHERE callId IS NULL')).toBe(0);
    expect(await count('upload_segments')).toBe(0);
    expect((await objects()).length).toBe(stored);
    expect((await tus.head(location)).status).toBe(404);
  });

  it('validates at creation: metadata fields (400), Upload-Length over the maximum (413)', async () => {
    const bad = await tus.create({ ...meta('pbx-tus-4', call), direction: 'sideways' }, call.length);
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toContain('metadata.direction');
    const none = await tus.create(meta('pbx-tus-4', call), call.length, { 'upload-metadata': `filename ${b64('x')}` });
    expect(none.status).toBe(400);
    expect(none.body.errors[0].field).toBe('Upload-Metadata');
    const noLength = await tus.create(meta('pbx-tus-4', call), call.length, { 'upload-length': 'lots' });
    expect(noLength.body.errors[0].field).toBe('Upload-Length');
    expect((await tus.create(meta('pbx-tus-4', call), 512 * 1024 * 1024 + 1)).status).toBe(413);
    expect(await count('upload_sessions WHERE callId IS NULL')).toBe(0);
  });

  it('expires uploads: 410 once, then 404, and a later creation sweeps the rest away', async () => {
    const location = await started('pbx-tus-5');
    await tus.patch(location, 0, call.subarray(0, 5000));
    const swept = await started('pbx-tus-6');
    await tus.patch(swept, 0, call.subarray(0, 5000));
    await t.dataSource
      .getRepository(UploadSession)
      .update({ callId: IsNull() }, { expiresAt: new Date(Date.now() - 1000) });
    expect((await tus.head(location)).status).toBe(410);
    expect((await tus.head(location)).status).toBe(404);
    expect((await tus.patch(location, 5000, call.subarray(5000, 6000))).status).toBe(404);
    expect((await objects('uploads/')).length).toBe(1);
    await started('pbx-tus-7');
    expect((await tus.head(swept)).status).toBe(404);
    expect(await objects('uploads/')).toEqual([]);
    expect(await count('upload_segments')).toBe(0);
  });

  it("answers 404 to another tenant's key, 403 to a user without the role, 401 to an unknown key", async () => {
    const location = await started('pbx-tus-8');
    await tus.patch(location, 0, call.subarray(0, 1000));
    const other = tusClient(t, otherKey);
    expect((await other.head(location)).status).toBe(404);
    expect((await other.patch(location, 1000, call.subarray(1000, 2000))).status).toBe(404);
    expect((await other.delete(location)).status).toBe(404);
    // Tenant B creating its own upload with the same clientRecordingId is its own business.
    expect((await other.create(meta('pbx-tus-8', call), call.length)).status).toBe(201);
    expect((await tus.head(location)).headers.get('upload-offset')).toBe('1000');

    await admin.post('/api/v1/users', {
      email: 'op@example.jp',
      displayName: 'op',
      roles: ['operator'],
      password: 'Operat0r-Pass!',
    });
    const operator = t.client({ 'tus-resumable': '1.0.0' });
    await operator.post('/api/v1/auth/login', { email: 'op@example.jp', password: 'Operat0r-Pass!' });
    expect((await operator.request('HEAD', location)).status).toBe(403);
    expect((await operator.request('DELETE', location)).status).toBe(403);
    const stranger = tusClient(t, 'ak_invalid0_' + 'x'.repeat(43));
    expect((await stranger.head(location)).status).toBe(401);
    expect((await tus.delete(location)).status).toBe(204);
  });
});
