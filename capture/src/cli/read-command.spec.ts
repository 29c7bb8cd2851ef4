import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { activeFraction, decodeOggFile, tonePower } from '../output/testing/decode-ogg';
import { removeCliBundle, runCli } from './testing/cli-bundle';
import {
  answeredCall,
  answeredCallDatagrams,
  CALLEE_TONE_HZ,
  CALLER_TONE_HZ,
  cancelledCallDatagrams,
  writeSyntheticPcap,
} from './testing/synthetic-calls';

// The offline mode as other tools use it: a child process, a capture file in, files out.

jest.setTimeout(120_000);

describe('capture read (offline mode)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'capture-read-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    removeCliBundle();
  });

  it('writes <id>.json and a stereo <id>.ogg per call, caller left and callee right, and exits 0', async () => {
    const pcap = join(dir, 'two-calls.pcap');
    const talk = answeredCall('talk-1@pbx.example', '0312345678', '201', 0);
    const cancelled = answeredCall('ring-2@pbx.example', '0398765432', '202', 1);
    writeSyntheticPcap(pcap, [
      ...answeredCallDatagrams({ dialog: talk, inviteAt: 0, answerAt: 2, talkSeconds: 3 }),
      ...cancelledCallDatagrams(cancelled, 1),
    ]);
    const out = join(dir, 'out');
    const run = await runCli(['read', pcap, '--out', out, '--internal-networks', '192.168.0.0/16']);
    expect(run.stderr).not.toMatch(/failed/);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stderr.trim())).toMatchObject({ calls: 2, callsWithAudio: 1, encodingFailures: 0 });

    const files = readdirSync(out).sort();
    expect(files).toHaveLength(3); // two JSON documents, one recording
    const documents = files
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(readFileSync(join(out, f), 'utf8')));
    const answered = documents.find((d) => d.callId === 'talk-1@pbx.example');
    expect(answered).toMatchObject({
      from: { number: '0312345678', name: 'Caller 0312345678' },
      to: { number: '201' },
      startedAt: '2025-03-01T09:00:00.000Z',
      answeredAt: '2025-03-01T09:00:02.000Z',
      endedAt: '2025-03-01T09:00:05.200Z',
      ringSeconds: 2,
      talkSeconds: 3.2,
      disposition: 'answered',
      direction: 'outbound',
      codec: 'PCMA',
      audio: `${answered.id}.ogg`,
      dtmf: [],
    });
    expect(answered.rtpStreams.map((s: { source: string; packets: number; lost: number }) => s)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ source: '192.168.1.10:40000', destination: '203.0.113.10:50000', packets: 150 }),
        expect.objectContaining({ source: '203.0.113.10:50000', destination: '192.168.1.10:40000', lost: 0 }),
      ]),
    );
    expect(answered.quality).toMatchObject({ lossPercent: 0 });
    const ringing = documents.find((d) => d.callId === 'ring-2@pbx.example');
    expect(ringing).toMatchObject({ answeredAt: null, disposition: 'cancelled', audio: null, rtpStreams: [] });

    const recording = await decodeOggFile(join(out, answered.audio));
    expect(recording.head).toMatchObject({ channels: 2, mappingFamily: 1, streamCount: 2, coupledCount: 0 });
    const [left, right] = recording.channels;
    expect(left.length / recording.sampleRate).toBeGreaterThan(2.9);
    expect(left.length / recording.sampleRate).toBeLessThan(4.5);
    // Each channel carries its own party's tone and not the other's.
    expect(tonePower(left, 8000, CALLER_TONE_HZ)).toBeGreaterThan(100 * tonePower(left, 8000, CALLEE_TONE_HZ));
    expect(tonePower(right, 8000, CALLEE_TONE_HZ)).toBeGreaterThan(100 * tonePower(right, 8000, CALLER_TONE_HZ));
    expect(activeFraction(left, 8000)).toBeGreaterThan(0.8);
    expect(activeFraction(right, 8000)).toBeGreaterThan(0.8);
  });

  it('answers --help, and refuses a bad command line (2) or a file that is not a capture (1)', async () => {
    const help = await runCli(['read', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--internal-networks/);
    expect(help.stdout).toMatch(/--mute-dtmf/);

    const noOut = await runCli(['read', join(dir, 'x.pcap')]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toMatch(/^--out: required/);

    const badNetwork = await runCli(['read', 'x.pcap', '--out', dir, '--internal-networks', '10.0.0.0/33']);
    expect(badNetwork.code).toBe(2);
    expect(badNetwork.stderr).toMatch(/^--internal-networks: not a CIDR block \(10\.0\.0\.0\/33\)/);

    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'not a capture file at all');
    const notCapture = await runCli(['read', text, '--out', join(dir, 'none')]);
    expect(notCapture.code).toBe(1);
    expect(notCapture.stderr).toMatch(/not a pcap or pcapng file/);
  });
});
