import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DialogSimulator } from '../calls/testing/dialog-simulator';
import { decodeOggFile, tonePower } from '../output/testing/decode-ogg';
import { liveTestsCanRun } from '../live/testing/live-capture-availability';
import { FakeBackend } from '../upload/testing/fake-backend';
import { removeCliBundle, startCli } from './testing/cli-bundle';
import { answeredCallDatagrams, CALLEE_TONE_HZ, CALLER_TONE_HZ } from './testing/synthetic-calls';
import { UdpPlayer } from './testing/udp-player';

// The live service as deployed: the capture's command line in a child process sniffing `lo` with
// libpcap, calls played onto loopback in real time, a stand-in backend taking heartbeats, events
// and uploads. Needs libpcap and capture rights (root or CAP_NET_RAW): skipped, with the reason
// printed, without them.

jest.setTimeout(120_000);

const KEY = `ak_TestSite_${'k'.repeat(43)}`;
const describeLive = liveTestsCanRun('live service on loopback') ? describe : describe.skip;

const BASE_PORT = 20_000 + (process.pid % 2000) * 16;

function loopbackCall(callId: string, caller: string, callee: string, slot: number): DialogSimulator {
  const port = BASE_PORT + slot * 4;
  return new DialogSimulator({
    callId,
    caller: { number: caller, name: 'Live Caller', ip: '127.0.0.1', sipPort: BASE_PORT + 14, rtpPort: port },
    callee: { number: callee, ip: '127.0.0.1', sipPort: BASE_PORT + 15, rtpPort: port + 2 },
    payloadTypes: [8],
  });
}

async function waitFor(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describeLive('live service on loopback', () => {
  let dir: string;
  let backend: FakeBackend;
  let env: NodeJS.ProcessEnv;
  let player: UdpPlayer;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'capture-live-'));
    backend = new FakeBackend(KEY);
    const url = await backend.start();
    player = new UdpPlayer();
    env = {
      SERVER_URL: url,
      API_KEY: KEY,
      CAPTURE_INTERFACE: 'lo',
      CAPTURE_FILTER: `udp and portrange ${BASE_PORT}-${BASE_PORT + 15}`,
      SPOOL_DIR: join(dir, 'spool'),
      SPOOL_MAX_BYTES: '256M',
    };
  });
  afterEach(async () => {
    player.close();
    await backend.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  afterAll(() => removeCliBundle());

  it('records a call from the wire: events within 100 ms, heartbeat, site rules, upload with two-way audio', async () => {
    backend.siteConfig = {
      ...backend.siteConfig,
      extensionPattern: '^2[0-9]{2}$',
      updatedAt: '2025-03-02T00:00:00.000Z',
    };
    const service = await startCli([], env);
    await service.waitForOutput(/"msg":"capturing"/);
    await waitFor(() => backend.eventConnections === 1 && backend.configFetches === 1);

    const call = loopbackCall('live-1@pbx', '0312345678', '201', 0);
    const sentAt = await player.play(
      answeredCallDatagrams({ dialog: call, inviteAt: 0, answerAt: 0.5, talkSeconds: 2 }),
    );
    await waitFor(() => backend.stored.size === 1);
    const events = backend.events.map((e) => e.event);
    expect(events.map((e) => e.type)).toEqual(['ringing', 'answered', 'ended']);
    expect(events[0]).toMatchObject({ callId: 'live-1@pbx', caller: '0312345678', callee: '201', extension: '201' });
    // The site's rules (fetched from the backend) made 201 an extension: the call is inbound.
    expect(events[0].direction).toBe('inbound');
    // From the packet leaving the player to the event arriving at the backend.
    const latencies = [0, 2, sentAt.length - 1].map((i, n) => backend.events[n].at - sentAt[i]);
    console.log(`call event latency (ms): ringing ${latencies[0]}, answered ${latencies[1]}, ended ${latencies[2]}`);
    for (const latency of latencies) expect(latency).toBeLessThan(100);

    const [stored] = [...backend.stored.values()];
    expect(stored.metadata).toMatchObject({
      source: 'flexlog',
      direction: 'inbound',
      caller: { number: '0312345678', name: 'Live Caller' },
      callee: { number: '201' },
      extension: '201',
      disposition: 'answered',
      codec: 'PCMA',
    });
    const talk =
      (Date.parse(stored.metadata.endedAt as string) - Date.parse(stored.metadata.answeredAt as string)) / 1000;
    expect(talk).toBeGreaterThan(2);
    expect(talk).toBeLessThan(2.6);
    const file = join(dir, 'stored.ogg');
    writeFileSync(file, stored.audio);
    const [left, right] = (await decodeOggFile(file)).channels;
    expect(tonePower(left, 8000, CALLER_TONE_HZ)).toBeGreaterThan(100 * tonePower(left, 8000, CALLEE_TONE_HZ));
    expect(tonePower(right, 8000, CALLEE_TONE_HZ)).toBeGreaterThan(100 * tonePower(right, 8000, CALLER_TONE_HZ));

    expect(backend.heartbeats.length).toBeGreaterThanOrEqual(1);
    expect(backend.heartbeats[0].body).toEqual({
      packetsPerSecond: expect.any(Number),
      kernelDrops: 0,
      interfaceDrops: 0,
      activeCalls: expect.any(Number),
      spoolBytes: expect.any(Number),
      spoolCapacityBytes: 256 * 2 ** 20,
      lastUploadAt: null,
      version: expect.any(String),
      uptimeSeconds: expect.any(Number),
      pendingUploads: 0,
    });

    service.kill('SIGTERM');
    expect(await service.exited).toBe(0);
  });

  it('after kill -9 mid-call: the finished call is uploaded once, the interrupted one kept and flagged partial', async () => {
    const first = await startCli([], env);
    await first.waitForOutput(/"msg":"capturing"/);
    const short = loopbackCall('short@pbx', '0311112222', '202', 0);
    const long = loopbackCall('long@pbx', '0333334444', '203', 1);
    const playing = player.play([
      ...answeredCallDatagrams({ dialog: short, inviteAt: 0, answerAt: 0.3, talkSeconds: 1 }),
      ...answeredCallDatagrams({ dialog: long, inviteAt: 0.1, answerAt: 0.4, talkSeconds: 9, hangUp: false }),
    ]);
    await waitFor(() => backend.stored.size === 1);
    // Past the periodic fsync of the long call's media (every 5 s), then the box dies mid-call.
    await new Promise((resolve) => setTimeout(resolve, 7000 - (Date.now() - backend.requests[0].at)));
    first.kill('SIGKILL');
    expect(await first.exited).toBeNull();
    await playing;

    const second = await startCli([], env);
    await second.waitForOutput(/"msg":"capturing"/);
    await waitFor(() => backend.stored.size === 2);
    const byCaller = (number: string) =>
      [...backend.stored.values()].find((c) => (c.metadata.caller as { number: string }).number === number);
    const interrupted = byCaller('0333334444');
    expect(interrupted?.metadata).toMatchObject({
      tags: expect.arrayContaining(['partial']),
      quality: { partial: true },
    });
    const talk =
      (Date.parse(interrupted?.metadata.endedAt as string) - Date.parse(interrupted?.metadata.answeredAt as string)) /
      1000;
    expect(talk).toBeGreaterThan(2); // what was synced before the kill
    const finished = byCaller('0311112222');
    expect(finished?.metadata.tags ?? []).not.toContain('partial');
    const sends = (id: unknown) => backend.requests.filter((r) => r.clientRecordingId === id).length;
    expect(sends(finished?.metadata.clientRecordingId)).toBe(1);
    expect(sends(interrupted?.metadata.clientRecordingId)).toBe(1);
    second.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });
});
