import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { NpmTranscoder } from '../src/platform/transcoder/npm-transcoder';
import { tone, wavFile } from '../src/platform/transcoder/testing/signals';
import { tenantPrefix } from '../src/platform/storage/object-storage';
import { RecordingVault } from '../src/products/recordings/vault/recording-vault';
import { completeSetup, startTestApp, TestApp } from './support/test-app';
import { HttpClient } from './support/http-client';
import { testDatabases } from './support/test-databases';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
// A 3-second phone call: 8 kHz stereo µ-law, caller 440 Hz on the left, callee 1250 Hz on the right.
const call = wavFile('mulaw', 8000, [tone(440, 8000, 3), tone(1250, 8000, 3)]);

const meta = (id: string, audio: Buffer, extra: Record<string, unknown> = {}) => ({
  clientRecordingId: id,
  source: 'flexlog',
  direction: 'inbound',
  caller: { number: '03-1234-5678', name: '山田' },
  callee: { number: '201' },
  extension: '201',
  startedAt: '2026-11-20T01:00:00.000Z',
  answeredAt: '2026-11-20T01:00:05.000Z',
  endedAt: '2026-11-20T01:00:08.000Z',
  disposition: 'answered',
  codec: 'PCMU',
  sha256: sha(audio),
  tags: ['新規'],
  ...extra,
});

async function upload(t: TestApp, key: string, metadata: unknown, audio: Buffer, contentType = 'audio/wav') {
  const form = new FormData();
  form.append('metadata', typeof metadata === 'string' ? metadata : JSON.stringify(metadata));
  form.append('audio', new Blob([new Uint8Array(audio)], { type: contentType }), 'call.wav');
  const res = await fetch(`${t.baseUrl}/api/v1/ingest/calls`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}` },
    body: form,
  });
  return { status: res.status, body: await res.json().catch(() => undefined) };
}

describe.each(testDatabases())('ingest on $name', (db) => {
  let t: TestApp;
  let admin: HttpClient;
  let key: string;
  let tenantId: string;
  const objects = async () => {
    const keys: string[] = [];
    for await (const o of (await t.app.get(RecordingVault).objectStorage()).list(tenantPrefix(tenantId)))
      keys.push(o.key);
    return keys;
  };
  const rows = async () => Number((await t.dataSource.query('SELECT COUNT(*) AS n FROM calls'))[0].n);

  beforeAll(async () => {
    t = await startTestApp(db);
    admin = await completeSetup(t);
    key = (await admin.post('/api/v1/api-keys', { name: 'tokyo capture' })).body.key;
    tenantId = (await admin.get('/api/v1/auth/me')).body.tenant.id;
  });
  // Closing waits for an encode still running after a timed-out test.
  afterAll(async () => t?.close(), 240_000);

  it('stores a call: searchable, playable, and the audio decodes to the two parties apart', async () => {
    const res = await upload(t, key, meta('pbx-0001', call), call);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ duplicate: false, durationMs: 3000 });
    const found = await admin.get('/api/v1/calls?number=0312');
    expect(found.body.items).toHaveLength(1);
    expect(found.body.items[0]).toMatchObject({
      id: res.body.callId,
      talkSeconds: 3,
      channelLayout: 'stereo',
      tags: ['新規'],
    });
    const audio = await fetch(`${t.baseUrl}/api/v1/calls/${res.body.callId}/audio`, {
      headers: { cookie: `access_token=${admin.cookie('access_token')}` },
    });
    const ogg = Buffer.from(await audio.arrayBuffer());
    expect(ogg.subarray(0, 4).toString()).toBe('OggS');
    // Decode what playback returned and check each party stayed on its own channel.
    const wav = Buffer.concat(await new NpmTranscoder().toWav(Readable.from([ogg])).toArray());
    expect(wav.subarray(0, 4).toString()).toBe('RIFF');
    expect(wav.readUInt16LE(22)).toBe(2);
    // The WAV download decodes on the server: two channels at the call's 8 kHz.
    const download = await fetch(`${t.baseUrl}/api/v1/calls/${res.body.callId}/audio?format=wav`, {
      headers: { cookie: `access_token=${admin.cookie('access_token')}` },
    });
    expect(download.headers.get('content-type')).toBe('audio/wav');
    const wavDownload = Buffer.from(await download.arrayBuffer());
    expect(wavDownload.subarray(0, 4).toString()).toBe('RIFF');
    expect(wavDownload.readUInt16LE(22)).toBe(2);
    expect(wavDownload.readUInt32LE(24)).toBe(8000);
    expect(wavDownload.length).toBeGreaterThan(3 * 8000 * 2 * 2 * 0.95);
  });

  it('returns the first result for a re-sent upload, never a duplicate', async () => {
    const before = await rows();
    const again = await upload(t, key, meta('pbx-0001', call), call);
    expect(again.status).toBe(200);
    expect(again.body.duplicate).toBe(true);
    expect(await rows()).toBe(before);
  });

  it.each([
    ['a wrong hash', () => meta('pbx-bad-hash', call, { sha256: 'f'.repeat(64) }), call, 422],
    ['a truncated body', () => meta('pbx-truncated', call), call.subarray(0, 1000), 422],
    [
      'an unsupported codec',
      () => meta('pbx-flac', Buffer.from('fLaC' + 'x'.repeat(5000))),
      Buffer.from('fLaC' + 'x'.repeat(5000)),
      415,
    ],
    ['bad metadata', () => ({ ...meta('pbx-bad-meta', call), direction: 'sideways', caller: {} }), call, 400],
    ['malformed metadata JSON', () => '{"clientRecordingId":', call, 400],
  ])('refuses %s with a clear 4xx and leaves no row and no object', async (_label, metadata, audio, status) => {
    const beforeRows = await rows();
    const beforeObjects = (await objects()).length;
    const res = await upload(t, key, metadata(), audio);
    expect(res.status).toBe(status);
    expect(res.body.message).toBeTruthy();
    expect(await rows()).toBe(beforeRows);
    expect((await objects()).length).toBe(beforeObjects);
  });

  it('refuses an oversized file with 413 and keeps nothing', async () => {
    const small = await startTestApp(db, { INGEST_MAX_BYTES: '20000' });
    try {
      const a = await completeSetup(small);
      const k = (await a.post('/api/v1/api-keys', { name: 'k' })).body.key;
      const res = await upload(small, k, meta('pbx-big', call), call);
      expect(res.status).toBe(413);
      expect(Number((await small.dataSource.query('SELECT COUNT(*) AS n FROM calls'))[0].n)).toBe(0);
    } finally {
      await small.close();
    }
  });

  it('stores an upload whose audio arrives in later packets than the request head', async () => {
    // A real client streams the parts: the file part reaches the server in a later socket read,
    // outside the request's async context unless the service carries it over.
    const boundary = 'bench-boundary-7f3a';
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="metadata"\r\n\r\n` +
        `${JSON.stringify(meta('pbx-streamed', call))}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="audio"; filename="call.wav"\r\n` +
        'Content-Type: audio/wav\r\n\r\n',
    );
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(new Uint8Array(head));
        await new Promise((r) => setTimeout(r, 50));
        controller.enqueue(new Uint8Array(call));
        controller.enqueue(new Uint8Array(Buffer.from(`\r\n--${boundary}--\r\n`)));
        controller.close();
      },
    });
    const res = await fetch(`${t.baseUrl}/api/v1/ingest/calls`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(201);
    expect((await res.json()).durationMs).toBe(3000);
  });

  it('stores a long stereo call whose waveform is coarsened to fit the database', async () => {
    // Six minutes of two parties: 10 peak buckets a second would overflow MySQL's 64 KiB TEXT.
    const long = wavFile('mulaw', 8000, [tone(440, 8000, 360, 0.3), tone(1250, 8000, 360, 0.3)]);
    const res = await upload(t, key, meta('pbx-long', long, { endedAt: '2026-11-20T01:06:05.000Z' }), long);
    expect(res.status).toBe(201);
    const peaks = await admin.get(`/api/v1/calls/${res.body.callId}/peaks`);
    expect(peaks.body.durationMs).toBe(360_000);
    expect(peaks.body.peaks.channels).toBe(2);
    expect(peaks.body.peaks.intervalMs).toBeGreaterThan(100);
    const buckets = peaks.body.peaks.values.length / 4;
    expect(buckets * peaks.body.peaks.intervalMs).toBeGreaterThanOrEqual(359_000);
    expect(Math.max(...peaks.body.peaks.values)).toBeGreaterThan(0.25);
    // Six minutes of stereo are encoded before the answer: well over a minute on a busy 2-core machine.
  }, 240_000);

  it('refuses an unknown API key with 401', async () => {
    expect((await upload(t, 'ak_invalid0_' + 'x'.repeat(43), meta('pbx-x', call), call)).status).toBe(401);
  });
});
