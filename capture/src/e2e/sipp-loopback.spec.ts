import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeCliBundle, type RunningCli, startCli } from '../cli/testing/cli-bundle';
import { liveTestsCanRun } from '../live/testing/live-capture-availability';
import { decodeOggFile } from '../output/testing/decode-ogg';
import { FakeBackend, type StoredCall } from '../upload/testing/fake-backend';
import { bestCorrelation } from './testing/correlation';
import { sippVersion, startSipp } from './testing/sipp';
import {
  CALLEE_VOICE,
  CALLER_VOICE,
  encodeAlaw,
  type SideAudio,
  voiceSignal,
  writeRtpPcap,
} from './testing/source-audio';

// End to end with a real SIP peer: a SIPp caller (UAC) and callee (UAS) on 127.0.0.1 place calls
// while the capture's command line, in a child process, sniffs `lo` live and uploads to a stand-in
// backend. Both SIPp sides send G.711 A-law RTP from a pcap made here (play_pcap_audio), each side
// its own voice-like audio; one call is put on hold and resumed with re-INVITEs. For each call the
// numbers and talk time of the uploaded metadata are checked against the scenario, and the decoded
// left/right channels of the uploaded Ogg Opus against the audio each side sent.
//
// SIPp's play_pcap_audio sends with a raw socket from the port its own SDP names, to the port of
// the peer's SDP; it does not follow SDP directions (it keeps playing through a hold), so each
// side's pcap is shorter than the talk before the hold, and the holding side plays again after
// the resume. A call's play is cut when the call ends.

jest.setTimeout(180_000);

const KEY = `ak_SippSite_${'s'.repeat(43)}`;
const SIPP = sippVersion();
if (!SIPP) console.warn('sipp end-to-end skipped: sipp is not installed (apt-get install sip-tester)');
const describeE2E = SIPP && liveTestsCanRun('sipp end-to-end on loopback') ? describe : describe.skip;

const UAS_PORT = 5080;
const UAC_PORT = 5070;
/** Seconds of audio each side plays after an answer (and after the resume). */
const SOURCE_SECONDS = 1.6;

interface PlainCall {
  caller: string;
  callee: string;
  talkMs: number;
}
const PLAIN_CALLS: PlainCall[] = [
  { caller: '0311112222', callee: '201', talkMs: 2000 },
  { caller: '0455556666', callee: '0120333444', talkMs: 3500 },
  { caller: '09012345678', callee: '202', talkMs: 2600 },
];
const HOLD_CALL = { caller: '0677778888', callee: '203', beforeMs: 2000, holdMs: 1500, afterMs: 2200 };
const ALL_CALLS = [
  ...PLAIN_CALLS,
  {
    caller: HOLD_CALL.caller,
    callee: HOLD_CALL.callee,
    talkMs: HOLD_CALL.beforeMs + HOLD_CALL.holdMs + HOLD_CALL.afterMs,
  },
];

function injectionFile(rows: (string | number)[][]): string {
  return `SEQUENTIAL\n${rows.map((row) => row.join(';')).join('\n')}\n`;
}

const seconds = (from: unknown, to: unknown) => (Date.parse(to as string) - Date.parse(from as string)) / 1000;

describeE2E(`capture of ${SIPP} calls on loopback`, () => {
  let dir: string;
  let backend: FakeBackend;
  let service: RunningCli;
  let caller: SideAudio;
  let callee: SideAudio;
  const stored = new Map<string, StoredCall>();
  const channels = new Map<string, Float32Array[]>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'capture-sipp-'));
    caller = encodeAlaw(voiceSignal(CALLER_VOICE, SOURCE_SECONDS));
    callee = encodeAlaw(voiceSignal(CALLEE_VOICE, SOURCE_SECONDS));
    writeRtpPcap(join(dir, 'caller.pcap'), caller, 0x0ca11e4);
    writeRtpPcap(join(dir, 'callee.pcap'), callee, 0x0ca11ee);
    for (const scenario of ['caller.xml', 'caller-hold.xml', 'callee.xml']) {
      copyFileSync(join(__dirname, 'sipp', scenario), join(dir, scenario));
    }
    writeFileSync(join(dir, 'calls.csv'), injectionFile(PLAIN_CALLS.map((c) => [c.caller, c.callee, c.talkMs])));
    const h = HOLD_CALL;
    writeFileSync(join(dir, 'hold.csv'), injectionFile([[h.caller, h.callee, h.beforeMs, h.holdMs, h.afterMs]]));

    backend = new FakeBackend(KEY);
    service = await startCli([], {
      SERVER_URL: await backend.start(),
      API_KEY: KEY,
      CAPTURE_INTERFACE: 'lo',
      CAPTURE_FILTER: `udp and (port ${UAC_PORT} or port ${UAS_PORT} or portrange 16000-17999)`,
      SPOOL_DIR: join(dir, 'spool'),
      SPOOL_MAX_BYTES: '256M',
    });
    await service.waitForOutput(/"msg":"capturing"/);

    const local = ['-i', '127.0.0.1', '-mi', '127.0.0.1'];
    const uas = startSipp(
      'callee',
      // -d: how long each call rings (callee.xml's pause) before the answer.
      ['-sf', 'callee.xml', ...local, '-p', `${UAS_PORT}`, '-mp', '17000', '-m', '4', '-d', '300'],
      dir,
    );
    const target = `127.0.0.1:${UAS_PORT}`;
    // One call at a time (-l 1), each from its own media port ([auto_media_port] steps it per call).
    const run = (name: string, scenario: string, inf: string, mp: number, calls: number) =>
      startSipp(
        name,
        [
          target,
          '-sf',
          scenario,
          '-inf',
          inf,
          ...local,
          '-p',
          `${UAC_PORT}`,
          '-mp',
          `${mp}`,
          '-m',
          `${calls}`,
          '-l',
          '1',
          '-r',
          '10',
        ],
        dir,
      ).exited;
    try {
      expect({ plain: await run('caller', 'caller.xml', 'calls.csv', 16000, 3) }).toEqual({ plain: 0 });
      expect({ hold: await run('caller-hold', 'caller-hold.xml', 'hold.csv', 16100, 1) }).toEqual({ hold: 0 });
      expect({ callee: await uas.exited }).toEqual({ callee: 0 });
    } catch (error) {
      uas.kill();
      const logs = ['caller', 'caller-hold', 'callee'].map((n) =>
        readFileSync(join(dir, `${n}.log`), 'utf8').slice(-2000),
      );
      throw new Error(`${String(error)}\n${logs.join('\n----\n')}`);
    }

    const deadline = Date.now() + 60_000;
    while (backend.stored.size < ALL_CALLS.length && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    for (const call of backend.stored.values()) {
      const number = (call.metadata.caller as { number: string }).number;
      stored.set(number, call);
      const file = join(dir, `${number}.ogg`);
      writeFileSync(file, call.audio);
      channels.set(number, (await decodeOggFile(file)).channels);
    }
  });

  afterAll(async () => {
    service?.kill('SIGTERM');
    await service?.exited;
    await backend?.stop();
    removeCliBundle();
    rmSync(dir, { recursive: true, force: true });
  });

  it('uploads every call once, answered, with PCMA', () => {
    expect([...stored.keys()].sort()).toEqual(ALL_CALLS.map((c) => c.caller).sort());
    expect(backend.stored.size).toBe(ALL_CALLS.length);
    for (const call of stored.values()) expect(call.metadata).toMatchObject({ disposition: 'answered', codec: 'PCMA' });
  });

  it.each(ALL_CALLS)('call from $caller to $callee: numbers and $talkMs ms of talk within 0.2 s', (expected) => {
    const metadata = stored.get(expected.caller)?.metadata;
    expect(metadata).toMatchObject({
      caller: { number: expected.caller, name: `Caller ${expected.caller}` },
      callee: { number: expected.callee },
    });
    const talk = seconds(metadata?.answeredAt, metadata?.endedAt);
    console.log(
      `${expected.caller} -> ${expected.callee}: talk ${talk.toFixed(3)} s (scenario ${expected.talkMs / 1000} s)`,
    );
    expect(Math.abs(talk - expected.talkMs / 1000)).toBeLessThanOrEqual(0.2);
  });

  it.each(ALL_CALLS)('call from $caller: left is the caller, right the callee (correlation)', (expected) => {
    const [left, right] = channels.get(expected.caller) ?? [];
    const own = [bestCorrelation(caller.decoded, left).value, bestCorrelation(callee.decoded, right).value];
    const swapped = [bestCorrelation(caller.decoded, right).value, bestCorrelation(callee.decoded, left).value];
    const shown = (values: number[]) => values.map((v) => v.toFixed(2)).join('/');
    console.log(`${expected.caller}: correlation caller/callee ${shown(own)}, swapped ${shown(swapped)}`);
    for (const value of own) expect(value).toBeGreaterThanOrEqual(0.7);
    for (const value of swapped) expect(value).toBeLessThan(0.4);
  });

  it('records the hold and resume, and keeps recording both sides after the resume', () => {
    const metadata = stored.get(HOLD_CALL.caller)?.metadata as Record<string, unknown>;
    const holds = (metadata.quality as { holds?: { startedAt: string; endedAt: string | null }[] }).holds ?? [];
    expect(holds).toHaveLength(1);
    expect(Math.abs(seconds(metadata.answeredAt, holds[0].startedAt) - HOLD_CALL.beforeMs / 1000)).toBeLessThan(0.2);
    expect(Math.abs(seconds(holds[0].startedAt, holds[0].endedAt) - HOLD_CALL.holdMs / 1000)).toBeLessThan(0.2);

    // Each side played its audio after the answer and again after the resume. The recording starts
    // with the call's media, so the middle of the hold splits the two plays: find each in its part
    // and check they lie as far apart as the talk before the hold plus the hold.
    const [left, right] = channels.get(HOLD_CALL.caller) ?? [];
    const gap = ((HOLD_CALL.beforeMs + HOLD_CALL.holdMs) / 1000) * 8000;
    const cut = Math.round(((HOLD_CALL.beforeMs + HOLD_CALL.holdMs / 2) / 1000) * 8000);
    for (const [channel, source] of [
      [left, caller],
      [right, callee],
    ] as const) {
      const first = bestCorrelation(source.decoded, channel.subarray(0, cut));
      const again = bestCorrelation(source.decoded, channel.subarray(cut));
      expect(first.value).toBeGreaterThanOrEqual(0.7);
      expect(again.value).toBeGreaterThanOrEqual(0.7);
      expect(Math.abs(cut + again.lag - first.lag - gap) / 8000).toBeLessThan(0.2);
    }
  });
});
