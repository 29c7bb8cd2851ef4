import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { A_LAW_TO_LINEAR } from '../codecs/g711';
import { readCaptureFile } from '../packet/capture-file';
import { PacketPipeline } from '../packet/packet-pipeline';
import { RtpHeader } from '../rtp/rtp-header';
import { activeFraction, decodeOggFile } from '../output/testing/decode-ogg';
import { removeCliBundle, runCli } from './testing/cli-bundle';

// The offline mode over the real captures in ../shared/pcaps (skipped where the folder is absent).
const PCAPS = join(__dirname, '../../../../shared/pcaps');
const describeWithPcaps = existsSync(PCAPS) ? describe : describe.skip;
const CLASSIC = 'heplify-rtp_rtcp_sip_ipv4_udp.pcap';

jest.setTimeout(120_000);

/** One direction's G.711 A-law RTP straight from the file, decoded and placed by RTP timestamp. */
async function sourceAudio(file: string, destination: string): Promise<Float32Array> {
  const packets: { timestamp: number; payload: Buffer }[] = [];
  const header = new RtpHeader();
  const pipeline = new PacketPipeline({
    udp: (d) => {
      if (`${d.dst.ip}:${d.dst.port}` !== destination || !header.read(d.payload) || header.payloadType !== 8) return;
      const payload = d.payload.subarray(header.payloadOffset, header.payloadOffset + header.payloadLength);
      packets.push({ timestamp: header.timestamp, payload: Buffer.from(payload) });
    },
    tcp: () => undefined,
  });
  await readCaptureFile(file, pipeline);
  const first = Math.min(...packets.map((p) => p.timestamp));
  const last = Math.max(...packets.map((p) => p.timestamp + p.payload.length));
  const pcm = new Float32Array(last - first);
  for (const { timestamp, payload } of packets) {
    payload.forEach((byte, i) => (pcm[timestamp - first + i] = A_LAW_TO_LINEAR[byte] / 32768));
  }
  return pcm;
}

/** RMS of each 20 ms frame. */
function envelope(x: Float32Array): Float32Array {
  const out = new Float32Array(Math.floor(x.length / 160));
  for (let f = 0; f < out.length; f++) {
    let sum = 0;
    for (let i = f * 160; i < (f + 1) * 160; i++) sum += x[i] * x[i];
    out[f] = Math.sqrt(sum / 160);
  }
  return out;
}

/** Best normalised correlation of two envelopes over lags of up to `maxLag` frames. */
function bestCorrelation(a: Float32Array, b: Float32Array, maxLag: number): number {
  let best = -1;
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    let ab = 0;
    let aa = 0;
    let bb = 0;
    let meanA = 0;
    let meanB = 0;
    let n = 0;
    for (let i = Math.max(0, -lag); i < a.length && i + lag < b.length; i++, n++) {
      meanA += a[i];
      meanB += b[i + lag];
    }
    if (n < 50) continue;
    meanA /= n;
    meanB /= n;
    for (let i = Math.max(0, -lag); i < a.length && i + lag < b.length; i++) {
      const x = a[i] - meanA;
      const y = b[i + lag] - meanB;
      ab += x * y;
      aa += x * x;
      bb += y * y;
    }
    best = Math.max(best, ab / Math.sqrt(aa * bb || 1));
  }
  return best;
}

describeWithPcaps('capture read over the real captures (../shared/pcaps)', () => {
  let out: string;
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'capture-pcaps-read-'));
  });
  afterAll(() => {
    rmSync(out, { recursive: true, force: true });
    removeCliBundle();
  });

  it('classic G.711 sample: the answered call with ~26 s of two-way audio and the call still ringing', async () => {
    const file = join(PCAPS, CLASSIC);
    const run = await runCli(['read', file, '--out', out]);
    expect(run.code).toBe(0);
    const documents = readdirSync(out)
      .filter((name) => name.endsWith('.json'))
      .map((name) => JSON.parse(readFileSync(join(out, name), 'utf8')));
    expect(documents).toHaveLength(2);

    const answered = documents.find((d) => d.callId === '12013223@200.57.7.195');
    expect(answered).toMatchObject({ to: { number: 'francisco' }, disposition: 'answered', codec: 'PCMA' });
    expect(answered.ringSeconds).toBeGreaterThan(8.3);
    expect(answered.ringSeconds).toBeLessThan(8.7);
    expect(answered.talkSeconds).toBeGreaterThan(25.5);
    expect(answered.talkSeconds).toBeLessThan(27);
    expect(answered.endedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const streams = answered.rtpStreams
      .map((s: { source: string; destination: string; packets: number; lost: number }) =>
        [s.source, s.destination, s.packets, s.lost].join(' '),
      )
      .sort();
    expect(streams).toEqual([
      '200.57.7.196:40376 200.57.7.204:8000 891 0',
      '200.57.7.204:8000 200.57.7.196:40376 548 0',
    ]);

    const ringing = documents.find((d) => d.callId === '12015624@200.57.7.195');
    expect(ringing).toMatchObject({
      from: { number: '5514540002', name: 'Ivan Alizade' },
      to: { number: 'francisco' },
      answeredAt: null,
      disposition: 'missed',
      audio: null,
    });

    const recording = await decodeOggFile(join(out, answered.audio));
    expect(recording.head).toMatchObject({ channels: 2, mappingFamily: 1, streamCount: 2, coupledCount: 0 });
    const [left, right] = recording.channels;
    const seconds = left.length / recording.sampleRate;
    expect(seconds).toBeGreaterThan(25.5);
    expect(seconds).toBeLessThan(28);
    // The parties talk a quarter of the time each (the sender suppresses silence): both channels carry it.
    expect(activeFraction(left, 8000)).toBeGreaterThan(0.2);
    expect(activeFraction(right, 8000)).toBeGreaterThan(0.15);
    // Each channel follows what its party sent (caller 200.57.7.196 left, callee 200.57.7.204 right).
    const caller = envelope(await sourceAudio(file, '200.57.7.204:8000'));
    const callee = envelope(await sourceAudio(file, '200.57.7.196:40376'));
    expect(bestCorrelation(caller, envelope(left), 100)).toBeGreaterThan(0.9);
    expect(bestCorrelation(callee, envelope(right), 100)).toBeGreaterThan(0.9);
    expect(bestCorrelation(callee, envelope(left), 100)).toBeLessThan(0.5);
    // Stays within the storage budget of 7.2 MB per call-hour.
    const bytesPerHour = (readFileSync(join(out, answered.audio)).length / seconds) * 3600;
    expect(bytesPerHour).toBeLessThan(7.2e6);
  });
});
