import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../cli/read-options';
import { formatSummary, parseBenchArguments, runCaptureBench } from './capture-bench';
import { benchCall, writeConcurrentCallsPcap } from './concurrent-calls-pcap';
import { childCpuSeconds, parseRtpStreams, tsharkVersion } from './tshark-rtp-streams';

// The benchmark's counting, not its speed: a small capture (20 calls of 2 s) through the same
// generator, packet path, spool check and encoder as `npm run bench:capture`.

describe('capture benchmark', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'capture-bench-spec-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('generates every frame of every call, in capture order', () => {
    const path = join(dir, 'small.pcap');
    const capture = writeConcurrentCallsPcap(path, { calls: 3, seconds: 1 });
    expect(capture).toMatchObject({ calls: 3, packetsPerSide: 50, rtpPackets: 3 * 2 * 50, sipMessages: 3 * 6 });
    expect(capture.frames).toBe(capture.rtpPackets + capture.sipMessages);
    expect(statSync(path).size).toBe(capture.bytes);
    expect(new Set([0, 1, 2].map((i) => benchCall(i).caller)).size).toBe(3);
  });

  it('spools 20 calls x 2 s with all their packets, encodes them and agrees with tshark', async () => {
    const report = await runCaptureBench({
      calls: 20,
      seconds: 2,
      encodeCalls: 2,
      out: null,
      keep: false,
      tshark: tsharkVersion() !== null,
      tempRoot: dir,
    });
    expect(report.capture).toMatchObject({ calls: 20, frames: 20 * (2 * 100 + 6), rtpPackets: 4000 });
    expect(report.packetPath).toMatchObject({ rtpPackets: 4000, sipMessages: 120, callsStarted: 20, drops: 0 });
    expect(report.packetPath.verification).toEqual({ calls: 20, complete: 20, mediaRecords: 4000, mismatches: [] });
    expect(report.encoding.calls).toBe(2);
    // Each call is 2 s of two-way RTP, rendered from its first to its last packet.
    expect(report.encoding.audioSeconds).toBeGreaterThanOrEqual(2 * 2);
    expect(report.encoding.audioSeconds).toBeLessThan(2 * 2.1);
    expect(report.encoding.bytes).toBeGreaterThan(0);
    if (!('skipped' in report.tshark)) expect(report.tshark).toMatchObject({ streams: 40, packets: 4000 });
    expect(report.ok).toBe(true);
    expect(formatSummary(report)).toContain('calls spooled complete 20/20');
  }, 120_000); // a guard for a busy machine, not a measurement

  it('reads stream lines of tshark -z rtp,streams', () => {
    // As tshark 4.0 prints it (Debian 12), one stream with a lost packet.
    const output = [
      '========================= RTP Streams ========================',
      '   Start time      End time     Src IP addr  Port    Dest IP addr  Port       SSRC          Payload  Pkts  ' +
        '       Lost   Min Delta(ms)  Mean Delta(ms)   Max Delta(ms)  Min Jitter(ms) Mean Jitter(ms)  Max Jitter(ms) Problems?',
      '     1.055000      1.135000        10.2.0.1 32770        10.1.0.1 16386 0x00000004            g711A     5  ' +
        '   0 (0.0%)          20.000          20.000          20.000           0.000           0.000           0.000 ',
      '     0.540000     60.520000        10.1.0.0 16384        10.2.0.0 32768 0x00000001            g711A  2999  ' +
        '   1 (0.0%)          20.000          20.006          40.000           0.000           0.000           0.000 X',
      '==============================================================',
    ].join('\n');
    expect(parseRtpStreams(output)).toEqual({ streams: 2, packets: 3004 });
    expect(() => parseRtpStreams('nothing')).toThrow('no rtp,streams table');
    expect(childCpuSeconds('Running as user "root"\n0m0.010s 0m0.002s\n1m2.500s 0m0.250s\n')).toBeCloseTo(62.75);
  });

  it('names the option in a bad command line', () => {
    expect(parseBenchArguments([])).toMatchObject({ calls: 2000, seconds: 60, encodeCalls: 20, tshark: true });
    expect(parseBenchArguments(['--help'])).toBeNull();
    expect(() => parseBenchArguments(['--calls', '0'])).toThrow(UsageError);
    expect(() => parseBenchArguments(['--calls', '1.5'])).toThrow('--calls');
    expect(() => parseBenchArguments(['--seconds', 'x'])).toThrow('--seconds');
    expect(() => parseBenchArguments(['--bogus'])).toThrow(UsageError);
  });
});
