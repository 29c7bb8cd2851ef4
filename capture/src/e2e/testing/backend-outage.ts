import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DialogSimulator } from '../../calls/testing/dialog-simulator';
import type { RunningCli } from '../../cli/testing/cli-bundle';
import { answeredCallDatagrams } from '../../cli/testing/synthetic-calls';
import { UdpPlayer } from '../../cli/testing/udp-player';
import type { SpooledCall } from '../../spool/spooled-call';
import { ingestMetadataOf } from '../../upload/ingest-request';
import { FakeBackend } from '../../upload/testing/fake-backend';

// The backend goes away while calls keep finishing, then comes back: every call must arrive, once,
// exactly as the spool holds it. The capture's command line sniffs `lo` live in a child process;
// answered calls with two-way audio are played onto loopback in real time, one starting every
// `callEverySeconds`, before, during and after the outage. The backend (a stand-in speaking the
// ingest API) is stopped, so connections are refused, and started again on the same port.
// Shared by backend-outage.spec.ts (a short outage) and `npm run soak:capture-outage` (minutes).

export interface OutageOptions {
  /** Working directory (the spool goes in it). */
  dir: string;
  /** Starts the capture's live service with this environment. */
  startService: (env: NodeJS.ProcessEnv) => Promise<RunningCli>;
  warmupSeconds: number;
  outageSeconds: number;
  /** Calls still started after the backend is back. */
  afterSeconds: number;
  callEverySeconds: number;
  talkSeconds: number;
  /** How long to wait for the spool to drain after the outage (the uploader backs off up to 5 min). */
  drainTimeoutSeconds: number;
  /** First of 66 consecutive UDP ports the calls use. */
  basePort: number;
  log?: (line: string) => void;
}

export interface OutageReport {
  callsSent: number;
  callsEndedDuringOutage: number;
  /** Ended calls waiting in the spool when the backend came back. */
  pendingAtRestore: number;
  callsArrived: number;
  missing: string[];
  /** Calls stored more than once (two different clientRecordingIds for one call, or two 201s). */
  storedTwice: string[];
  /** Calls whose stored audio or metadata differ from what the spool holds. */
  notIdentical: string[];
  byteIdentical: boolean;
  uploadRequests: number;
  duplicateAnswers: number;
  drainSeconds: number;
  /** The end of the service's output, when calls are missing (to see why). */
  serviceLogTail?: string;
}

const KEY = `ak_OutageXY_${'o'.repeat(43)}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function callerNumber(index: number): string {
  return `03${String(index).padStart(8, '0')}`;
}

function countDirs(path: string): number {
  return existsSync(path) ? readdirSync(path).length : 0;
}

export async function runBackendOutage(options: OutageOptions): Promise<OutageReport> {
  const log = options.log ?? (() => undefined);
  const base = options.basePort;
  // Each call in flight has its own RTP ports, 4 apart as phones pick them (RTP even, RTCP the next).
  const slots = 16;
  const backend = new FakeBackend(KEY);
  const url = await backend.start();
  const spoolDir = join(options.dir, 'spool');
  mkdirSync(spoolDir, { recursive: true });
  const service = await options.startService({
    SERVER_URL: url,
    API_KEY: KEY,
    CAPTURE_INTERFACE: 'lo',
    CAPTURE_FILTER: `udp and portrange ${base}-${base + 4 * slots + 1}`,
    SPOOL_DIR: spoolDir,
    SPOOL_MAX_BYTES: '512M',
  });
  const player = new UdpPlayer();
  const playing: Promise<number[]>[] = [];
  const endedAt: number[] = [];
  let outageFrom = Infinity;
  let outageTo = Infinity;
  let pendingAtRestore = 0;
  try {
    await service.waitForOutput(/"msg":"capturing"/);
    const started = Date.now();
    const total = options.warmupSeconds + options.outageSeconds + options.afterSeconds;
    const calls = Math.floor(total / options.callEverySeconds);
    let backendUp = true;
    // Stops the backend when the warm-up is over, starts it again when the outage is.
    const followTimeline = async (callsSoFar: number) => {
      const elapsed = (Date.now() - started) / 1000;
      if (backendUp && outageFrom === Infinity && elapsed >= options.warmupSeconds) {
        await backend.stop();
        backendUp = false;
        outageFrom = Date.now();
        log(`backend stopped after ${callsSoFar} calls`);
      } else if (!backendUp && elapsed >= options.warmupSeconds + options.outageSeconds) {
        pendingAtRestore = countDirs(join(spoolDir, 'done'));
        await backend.start(backend.port);
        backendUp = true;
        outageTo = Date.now();
        log(`backend back after ${callsSoFar} calls; ${pendingAtRestore} ended calls waiting in the spool`);
      }
    };
    for (let i = 0; i < calls; i++) {
      const dueMs = started + i * options.callEverySeconds * 1000;
      while (Date.now() < dueMs) {
        await followTimeline(i);
        await sleep(Math.min(50, Math.max(0, dueMs - Date.now())));
      }
      const slot = i % slots;
      const dialog = new DialogSimulator({
        callId: `outage-${i}@pbx`,
        caller: { number: callerNumber(i), ip: '127.0.0.1', sipPort: base + 4 * slots, rtpPort: base + 4 * slot },
        callee: { number: '201', ip: '127.0.0.1', sipPort: base + 4 * slots + 1, rtpPort: base + 4 * slot + 2 },
        payloadTypes: [8],
      });
      const datagrams = answeredCallDatagrams({ dialog, inviteAt: 0, answerAt: 0.2, talkSeconds: options.talkSeconds });
      playing.push(
        player.play(datagrams).then((sentAt) => {
          endedAt[i] = sentAt[sentAt.length - 1];
          return sentAt;
        }),
      );
    }
    await Promise.all(playing);
    while (!backendUp) {
      await followTimeline(calls);
      await sleep(50);
    }
    log(`${calls} calls sent; waiting for the spool to drain`);

    const drainFrom = Date.now();
    const deadline = drainFrom + options.drainTimeoutSeconds * 1000;
    while (backend.stored.size < calls && Date.now() < deadline) await sleep(200);
    const drainSeconds = (Date.now() - drainFrom) / 1000;
    // Whatever was still to come would have come by now: a late re-send would show as a duplicate.
    await sleep(2000);

    const expected = Array.from({ length: calls }, (_, i) => callerNumber(i));
    const byCaller = new Map<string, number>();
    for (const call of backend.stored.values()) {
      const number = (call.metadata.caller as { number: string }).number;
      byCaller.set(number, (byCaller.get(number) ?? 0) + 1);
    }
    const created = new Map<string, number>();
    for (const request of backend.requests) {
      if (request.status === 201 && request.clientRecordingId) {
        created.set(request.clientRecordingId, (created.get(request.clientRecordingId) ?? 0) + 1);
      }
    }
    const storedTwice = [...byCaller].filter(([, n]) => n > 1).map(([number]) => number);
    for (const [id, n] of created) if (n > 1) storedTwice.push(id);

    // The spool's uploaded/ area against what the backend stored, byte for byte.
    const notIdentical: string[] = [];
    const uploaded = join(spoolDir, 'uploaded');
    const spooled = existsSync(uploaded) ? readdirSync(uploaded) : [];
    for (const name of spooled) {
      const document = JSON.parse(readFileSync(join(uploaded, name, 'call.json'), 'utf8')) as SpooledCall;
      const audio = readFileSync(join(uploaded, name, 'audio.ogg'));
      const call = backend.stored.get(document.clientRecordingId);
      const sha256 = createHash('sha256').update(audio).digest('hex');
      const same =
        call !== undefined &&
        audio.equals(call.audio) &&
        JSON.stringify(call.metadata) === JSON.stringify(ingestMetadataOf(document, sha256));
      if (!same) notIdentical.push(name);
    }
    if (spooled.length !== backend.stored.size)
      notIdentical.push(`${spooled.length} spooled, ${backend.stored.size} stored`);

    return {
      callsSent: calls,
      callsEndedDuringOutage: endedAt.filter((at) => at >= outageFrom && at < outageTo).length,
      pendingAtRestore,
      callsArrived: backend.stored.size,
      missing: expected.filter((number) => !byCaller.has(number)),
      storedTwice,
      notIdentical,
      byteIdentical: notIdentical.length === 0 && spooled.length === calls,
      uploadRequests: backend.requests.length,
      duplicateAnswers: backend.requests.filter((r) => r.status === 200).length,
      drainSeconds,
      ...(backend.stored.size < calls ? { serviceLogTail: service.output().slice(-6000) } : {}),
    };
  } finally {
    player.close();
    service.kill('SIGTERM');
    await service.exited;
    await backend.stop();
  }
}
