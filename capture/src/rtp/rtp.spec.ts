import { estimateMos } from './e-model';
import { readRtcpReports } from './rtcp';
import { looksLikeRtcp, RtpHeader } from './rtp-header';
import { buildRtpPacket, telephoneEventPayload } from './rtp-packet-builder';
import { RtpSequenceStats } from './rtp-sequence-stats';
import { TelephoneEventTracker } from './telephone-event';

describe('RtpHeader', () => {
  const header = new RtpHeader();

  it('reads the fixed header and finds the payload past CSRCs, extension and padding', () => {
    const payload = Buffer.from('payload!');
    const packet = buildRtpPacket({
      payloadType: 8,
      sequence: 65535,
      timestamp: 0xfffffff0,
      ssrc: 0xdeadbeef,
      marker: true,
      csrcs: [1, 2],
      extension: { profile: 0xbede, data: Buffer.alloc(8, 7) },
      padding: 3,
      payload,
    });
    expect(header.read(packet)).toBe(true);
    expect(header).toMatchObject({
      marker: true,
      payloadType: 8,
      sequence: 65535,
      timestamp: 0xfffffff0,
      ssrc: 0xdeadbeef,
    });
    expect(packet.subarray(header.payloadOffset, header.payloadOffset + header.payloadLength)).toEqual(payload);
  });

  it.each([
    ['too short', Buffer.alloc(11, 0x80)],
    ['version 1', Buffer.from([0x40, 8, ...Buffer.alloc(10)])],
    ['CSRCs past the end', Buffer.from([0x8f, 8, ...Buffer.alloc(10)])],
    ['padding larger than the packet', Buffer.from([0xa0, 8, ...Buffer.alloc(9), 200])],
    ['zero padding count', Buffer.from([0xa0, 8, ...Buffer.alloc(10)])],
  ])('rejects %s', (_name, bytes) => {
    expect(header.read(bytes)).toBe(false);
  });

  it('tells RTCP from RTP on a shared port', () => {
    expect(looksLikeRtcp(Buffer.from([0x81, 200, 0, 6, 0, 0, 0, 0]))).toBe(true);
    expect(
      looksLikeRtcp(
        buildRtpPacket({ payloadType: 8, sequence: 1, timestamp: 1, ssrc: 1, payload: Buffer.alloc(4), marker: true }),
      ),
    ).toBe(false);
  });
});

describe('RtpSequenceStats', () => {
  it('counts loss across a sequence wrap', () => {
    const stats = new RtpSequenceStats();
    const seqs = [65530, 65531, 65533, 65534, 65535, 0, 1, 3, 4];
    seqs.forEach((seq, i) => stats.add(seq, i * 160, i * 160, true));
    expect(stats.expected).toBe(11);
    expect(stats.lost).toBe(2);
  });

  it('does not count reordered packets as lost, nor duplicates as negative loss', () => {
    const stats = new RtpSequenceStats();
    [10, 12, 11, 13, 13, 14].forEach((seq, i) => stats.add(seq, seq * 160, i * 160, true));
    expect(stats.lost).toBe(0);
    expect(stats.outOfOrder).toBe(2);
  });

  it('accepts a sender restarting its sequence numbers once confirmed', () => {
    const stats = new RtpSequenceStats();
    [100, 101, 102].forEach((seq) => stats.add(seq, 0, 0, false));
    [40000, 40001, 40002].forEach((seq) => stats.add(seq, 0, 0, false));
    expect(stats.totalReceived).toBe(6);
    expect(stats.lost).toBe(0);
  });

  it('measures interarrival jitter (RFC 3550 A.8)', () => {
    const steady = new RtpSequenceStats();
    for (let i = 0; i < 100; i++) steady.add(i, i * 160, i * 160 + 1000, true);
    expect(steady.jitterMs(8000)).toBe(0);
    const jittery = new RtpSequenceStats();
    for (let i = 0; i < 500; i++) jittery.add(i, i * 160, i * 160 + (i % 2 ? 80 : 0), true);
    // |D| is 80 units (10 ms) every packet, so J converges to 10 ms.
    expect(jittery.jitterMs(8000)).toBeCloseTo(10, 1);
  });
});

describe('TelephoneEventTracker', () => {
  it('turns an event (start, updates, three end packets) into one digit with its duration', () => {
    const tracker = new TelephoneEventTracker(8000);
    const start = 1_700_000_000_000_000;
    tracker.add(telephoneEventPayload(1, false, 10, 160), 8000, start);
    tracker.add(telephoneEventPayload(1, false, 10, 320), 8000, start + 20_000);
    for (let i = 0; i < 3; i++) tracker.add(telephoneEventPayload(1, true, 10, 800), 8000, start + 100_000);
    tracker.add(telephoneEventPayload(11, false, 10, 160), 16000, start + 1_000_000);
    tracker.add(telephoneEventPayload(11, true, 10, 400), 16000, start + 1_050_000);
    expect(tracker.events.map((e) => [e.digit, e.durationMs, e.startUs])).toEqual([
      ['1', 100, start],
      ['#', 50, start + 1_000_000],
    ]);
    expect(tracker.add(Buffer.from([1, 2]), 0, 0)).toBe(false);
  });
});

describe('readRtcpReports', () => {
  it('reads report blocks of SR and RR in a compound packet', () => {
    const sr = Buffer.alloc(28 + 24);
    sr[0] = 0x81;
    sr[1] = 200;
    sr.writeUInt16BE(sr.length / 4 - 1, 2);
    sr.writeUInt32BE(0xabc, 28);
    sr[32] = 64; // fraction lost 25 %
    sr.writeUIntBE(12, 33, 3);
    sr.writeUInt32BE(160, 40);
    const sdes = Buffer.from([0x81, 202, 0, 1, 0, 0, 0, 1]);
    const seen: number[][] = [];
    expect(readRtcpReports(Buffer.concat([sr, sdes]), (...args) => seen.push(args))).toBe(true);
    expect(seen).toEqual([[0xabc, 64, 12, 160]]);
    expect(readRtcpReports(Buffer.concat([sr, sdes]).subarray(0, 40), () => undefined)).toBe(false);
    // Two stray bytes after the compound (seen from real stacks) do not spoil it.
    expect(readRtcpReports(Buffer.concat([sr, sdes, Buffer.from([0, 0])]), () => undefined)).toBe(true);
  });
});

describe('estimateMos', () => {
  it('falls with loss and jitter and favours G.711 over G.729', () => {
    const clean = estimateMos('PCMA', 0, 1);
    expect(clean).toBeGreaterThan(4.3);
    expect(estimateMos('PCMA', 5, 1)).toBeLessThan(clean);
    expect(estimateMos('PCMA', 0, 150)).toBeLessThan(clean);
    expect(estimateMos('G729', 0, 1)).toBeLessThan(clean);
    expect(estimateMos('PCMA', 100, 500)).toBeGreaterThanOrEqual(1);
  });
});
