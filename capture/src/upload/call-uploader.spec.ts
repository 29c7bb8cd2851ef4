import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { answeredCall, answeredCallDatagrams } from '../cli/testing/synthetic-calls';
import { openSpoolRig, type SpoolRig } from '../spool/testing/spool-harness';
import { blankCallRecord, type SpooledCall } from '../spool/spooled-call';
import { BackendClient } from './backend-client';
import { CallUploader } from './call-uploader';
import { ingestMetadataOf } from './ingest-request';
import { FakeBackend } from './testing/fake-backend';

// The uploader against a real HTTP server that fails on purpose: it keeps every call until the
// backend has it, sends each exactly once as far as the backend is concerned, and sets aside what
// the backend refuses for good.

jest.setTimeout(60_000);

const KEY = 'ak_fakesite_secret';
const FAST = { backoff: { firstMs: 20, maxMs: 100 }, capacityRetryMs: 400, authRetryMs: 300 };

async function waitFor(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A spool holding `count` finished calls, each ready to upload. */
async function spoolWithCalls(root: string, count: number): Promise<SpoolRig> {
  const rig = await openSpoolRig(root, { siteKey: 'ak_fakesite' });
  for (let i = 0; i < count; i++) {
    const dialog = answeredCall(`call-${i}@pbx`, `031111000${i}`, `20${i}`, i);
    rig.feed(answeredCallDatagrams({ dialog, inviteAt: i * 10, answerAt: i * 10 + 1, talkSeconds: 1 }));
  }
  rig.assembler.finish(rig.sink.latestUs + 3_000_000);
  await rig.spool.idle();
  expect(rig.spool.status().pendingUploads).toBe(count);
  return rig;
}

const area = (root: string, name: string) => readdirSync(join(root, name)).sort();

describe('CallUploader', () => {
  let root: string;
  let server: FakeBackend;
  let uploader: CallUploader | null;
  let client: BackendClient;

  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'capture-upload-'));
    server = new FakeBackend();
    const url = await server.start();
    client = new BackendClient({ serverUrl: new URL(url), apiKey: KEY, version: 'test' });
    uploader = null;
  });
  afterEach(async () => {
    await uploader?.stop();
    client.close();
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('gets through a backend that fails three times and loses one answer: every call stored exactly once', async () => {
    const rig = await spoolWithCalls(root, 3);
    server.script.push('unavailable', 'unavailable', 'unavailable', 'storeThenDrop');
    uploader = new CallUploader(rig.spool.store, client, { ...FAST, log: () => undefined });
    uploader.start();
    await waitFor(() => rig.spool.status().pendingUploads === 0);

    expect(server.stored.size).toBe(3);
    const first = server.requests.filter((r) => r.clientRecordingId === server.requests[0].clientRecordingId);
    // 503 three times, stored with the answer lost (0), then the re-send answered with the first result.
    expect(first.map((r) => r.status)).toEqual([503, 503, 503, 0, 200]);
    expect(area(root, 'done')).toEqual([]);
    for (const name of area(root, 'uploaded')) {
      const document = JSON.parse(readFileSync(join(root, 'uploaded', name, 'call.json'), 'utf8')) as SpooledCall;
      const stored = server.stored.get(document.clientRecordingId);
      // Byte-identical to the spool, with the metadata of the call.
      expect(stored?.audio.equals(readFileSync(join(root, 'uploaded', name, 'audio.ogg')))).toBe(true);
      expect(stored?.metadata).toMatchObject({
        source: 'flexlog',
        caller: { number: document.record.from.number },
        callee: { number: document.record.to.number },
        startedAt: document.record.startedAt,
        disposition: 'answered',
        codec: 'PCMA',
      });
      const receipt = JSON.parse(readFileSync(join(root, 'uploaded', name, 'upload.json'), 'utf8'));
      expect(receipt.callId).toBe(stored?.callId);
    }
    expect(rig.spool.status()).toMatchObject({ pendingUploads: 0, lastUploadAt: expect.any(String) });

    // Restarted, the box finds nothing left to send.
    await uploader.stop();
    const again = await openSpoolRig(root, { siteKey: 'ak_fakesite' });
    await again.spool.idle();
    const requestsBefore = server.requests.length;
    uploader = new CallUploader(again.spool.store, client, FAST);
    uploader.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(server.requests.length).toBe(requestsBefore);
  });

  it('sets a call the backend refuses (400) aside in rejected/ with the reason, and goes on', async () => {
    const rig = await spoolWithCalls(root, 2);
    server.script.push('badRequest');
    uploader = new CallUploader(rig.spool.store, client, FAST);
    uploader.start();
    // The spool's own bookkeeping follows the renames (after their directory fsync).
    await waitFor(() => rig.spool.status().pendingUploads === 0 && area(root, 'rejected').length === 1);
    const [rejected] = area(root, 'rejected');
    const note = JSON.parse(readFileSync(join(root, 'rejected', rejected, 'rejection.json'), 'utf8'));
    expect(note).toMatchObject({ status: 400, attempts: 1 });
    expect(note.reason).toMatch(/metadata\.direction/);
    // The spool says so in its log (an alert for whoever watches the box).
    expect(rig.logs.some((l) => l.level === 'error' && /the backend rejected a call/.test(l.msg))).toBe(true);
    expect(server.requests.filter((r) => r.status === 400)).toHaveLength(1);
    expect(rig.spool.status()).toMatchObject({ pendingUploads: 0, rejected: 1 });
  });

  it('waits long after 507 (capacity full) and after 401 (key refused), then retries', async () => {
    const rig = await spoolWithCalls(root, 1);
    server.script.push('capacityFull', 'unauthorized');
    uploader = new CallUploader(rig.spool.store, client, FAST);
    uploader.start();
    await waitFor(() => area(root, 'uploaded').length === 1);
    const [full, refused, stored] = server.requests;
    expect([full.status, refused.status, stored.status]).toEqual([507, 401, 201]);
    expect(refused.at - full.at).toBeGreaterThanOrEqual(FAST.capacityRetryMs - 5);
    expect(stored.at - refused.at).toBeGreaterThanOrEqual(FAST.authRetryMs - 5);
  });

  it('keeps retrying while the backend is down and delivers when it is back', async () => {
    const rig = await spoolWithCalls(root, 2);
    const port = server.port;
    await server.stop();
    uploader = new CallUploader(rig.spool.store, client, FAST);
    uploader.start();
    await new Promise((resolve) => setTimeout(resolve, 500)); // several refused connections
    expect(area(root, 'done')).toHaveLength(2);
    expect(uploader.lastProblem).toMatch(/ECONNREFUSED/);
    await server.start(port);
    await waitFor(() => area(root, 'uploaded').length === 2);
    expect(server.stored.size).toBe(2);
  });
});

describe('ingestMetadataOf', () => {
  const document = (overrides: Partial<SpooledCall['record']>, partial = false): SpooledCall =>
    ({
      format: 1,
      state: 'ended',
      partial,
      clientRecordingId: 'flexlog-abc',
      codecs: [],
      muteDtmf: false,
      problems: partial ? ['stopped'] : [],
      record: {
        ...blankCallRecord('x', 'x@pbx', '2025-03-01T09:00:00.000Z'),
        from: { number: '201', name: '' },
        to: { number: '0312345678', name: 'Tokyo' },
        endedAt: '2025-03-01T09:00:05.000Z',
        ringSeconds: 5,
        endReason: 'cancel',
        direction: 'outbound',
        ...overrides,
      },
    }) as SpooledCall;

  it('maps a call to the ingest DTO: extension of the site party, no null times, tags for what is unusual', () => {
    expect(ingestMetadataOf(document({}), 'f'.repeat(64))).toEqual({
      clientRecordingId: 'flexlog-abc',
      source: 'flexlog',
      direction: 'outbound',
      caller: { number: '201' },
      callee: { number: '0312345678', name: 'Tokyo' },
      extension: '201',
      startedAt: '2025-03-01T09:00:00.000Z',
      endedAt: '2025-03-01T09:00:05.000Z',
      disposition: 'missed',
      sha256: 'f'.repeat(64),
      quality: { pairingConfidence: 0, rtpStreams: [], endReason: 'cancel', partial: false },
    });
    const odd = ingestMetadataOf(
      document({ direction: 'unknown', from: { number: '', name: '' } }, true),
      'f'.repeat(64),
    );
    expect(odd).toMatchObject({
      direction: 'inbound',
      caller: { number: 'anonymous' },
      tags: ['partial', 'direction-unknown'],
    });
    expect(odd).not.toHaveProperty('extension');
    expect(odd.quality).toMatchObject({ partial: true, problems: ['stopped'] });
  });
});
