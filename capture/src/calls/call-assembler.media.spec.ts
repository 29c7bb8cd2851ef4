import { A_LAW_TO_LINEAR } from '../codecs/g711';
import { telephoneEventPayload } from '../rtp/rtp-packet-builder';
import { CallAssembler } from './call-assembler';
import { at, harness, iso, renderAll } from './testing/assembler-harness';
import { DialogSimulator, DialogOptions, Party } from './testing/dialog-simulator';

const caller = { number: '101', ip: '192.168.1.10', rtpPort: 4000 };
const callee = { number: '202', ip: '192.168.1.20', rtpPort: 6000 };
const CALLER_BYTE = 0x9a; // A-law bytes whose decoded values identify each side
const CALLEE_BYTE = 0x1a;
const callerValue = A_LAW_TO_LINEAR[CALLER_BYTE];
const calleeValue = A_LAW_TO_LINEAR[CALLEE_BYTE];

function answeredCall(assembler: CallAssembler, options: Partial<DialogOptions> = {}) {
  const d = new DialogSimulator({ callId: 'media-1', caller, callee, ...options });
  assembler.udp(d.invite(at(0)));
  assembler.udp(d.answer(at(1)));
  assembler.udp(d.request(at(1.01), 'caller', 'ACK'));
  return d;
}

interface AudioRun {
  from: Party;
  start: number; // seconds
  packets: number;
  seq?: number;
  timestamp?: number;
  ssrc?: number;
  byte?: number;
  skip?: (i: number) => boolean;
  payloadType?: number;
  bytesPerPacket?: number;
}

/** RTP packets of a 20 ms ptime stream, as datagrams in send order. */
function audio(d: DialogSimulator, run: AudioRun) {
  const out = [];
  const bytes = run.bytesPerPacket ?? 160;
  for (let i = 0; i < run.packets; i++) {
    if (run.skip?.(i)) continue;
    out.push(
      d.rtp(at(run.start + i * 0.02), run.from, {
        sequence: ((run.seq ?? 1000) + i) & 0xffff,
        timestamp: ((run.timestamp ?? 50_000) + i * 160) >>> 0,
        ssrc: run.ssrc ?? (run.from === 'caller' ? 0x1111 : 0x2222),
        payload: Buffer.alloc(bytes, run.byte ?? (run.from === 'caller' ? CALLER_BYTE : CALLEE_BYTE)),
        payloadType: run.payloadType,
      }),
    );
  }
  return out;
}

const countValue = (pcm: Int16Array, value: number) => pcm.reduce((n, s) => n + (s === value ? 1 : 0), 0);

describe('CallAssembler: media', () => {
  it('pairs both directions by SDP endpoint and renders caller left, callee right, aligned', () => {
    const { assembler, ended } = harness();
    const d = answeredCall(assembler);
    // The callee starts half a second after the caller.
    const packets = [
      ...audio(d, { from: 'caller', start: 1, packets: 100 }),
      ...audio(d, { from: 'callee', start: 1.5, packets: 75 }),
    ];
    packets.sort((a, b) => a.ts - b.ts).forEach((p) => assembler.udp(p));
    assembler.udp(d.request(at(3.1), 'caller', 'BYE'));
    assembler.finish(at(4));
    const [call] = ended;
    expect(call.record).toMatchObject({
      codec: 'PCMA',
      audio: `${call.record.id}.ogg`,
      audioStartedAt: iso(1),
      sampleRate: 8000,
      pairingConfidence: 1,
      codecUnsupported: false,
      quality: { lossPercent: 0 },
    });
    expect(call.record.rtpStreams).toEqual([
      expect.objectContaining({
        source: '192.168.1.10:4000',
        destination: '192.168.1.20:6000',
        sender: 'caller',
        packets: 100,
        lost: 0,
        ssrc: 0x1111,
        payloadType: 8,
        pairing: 'sdp',
      }),
      expect.objectContaining({
        source: '192.168.1.20:6000',
        destination: '192.168.1.10:4000',
        sender: 'callee',
        packets: 75,
        lost: 0,
        ssrc: 0x2222,
      }),
    ]);
    const { left, right } = renderAll(call);
    expect(left.length).toBe(16000);
    expect(countValue(left, callerValue)).toBe(16000);
    expect(right.subarray(0, 4000).every((s) => s === 0)).toBe(true);
    expect(countValue(right.subarray(4000), calleeValue)).toBe(12000);
  });

  it('fills lost packets with silence of exactly their length', () => {
    const { assembler, ended } = harness();
    const d = answeredCall(assembler);
    audio(d, { from: 'caller', start: 1, packets: 50, skip: (i) => i >= 10 && i < 15 }).forEach((p) =>
      assembler.udp(p),
    );
    assembler.finish(at(3));
    const { left } = renderAll(ended[0]);
    expect(left.length).toBe(50 * 160);
    expect(left.subarray(1600, 2400).every((s) => s === 0)).toBe(true);
    expect(countValue(left, callerValue)).toBe(45 * 160);
    expect(ended[0].record.rtpStreams[0].lost).toBe(5);
    expect(ended[0].record.quality?.lossPercent).toBe(10);
  });

  it('puts reordered packets back in order', () => {
    const { assembler, ended } = harness();
    const d = answeredCall(assembler);
    const packets = audio(d, { from: 'caller', start: 1, packets: 40 });
    // Distinct payload per packet so order is visible in the output.
    packets.forEach((p, i) => p.payload.fill(0x80 + i, 12));
    for (let i = 0; i + 1 < packets.length; i += 4) [packets[i], packets[i + 1]] = [packets[i + 1], packets[i]];
    packets.forEach((p) => assembler.udp(p));
    assembler.finish(at(3));
    const { left } = renderAll(ended[0]);
    for (let i = 0; i < 40; i++) expect(left[i * 160 + 5]).toBe(A_LAW_TO_LINEAR[0x80 + i]);
    expect(ended[0].record.rtpStreams[0].lost).toBe(0);
  });

  it('runs through a sequence-number and timestamp wrap without loss or gaps', () => {
    const { assembler, ended } = harness();
    const d = answeredCall(assembler);
    audio(d, { from: 'caller', start: 1, packets: 100, seq: 65500, timestamp: 0xffffffff - 160 * 20 }).forEach((p) =>
      assembler.udp(p),
    );
    assembler.finish(at(3.1));
    expect(ended[0].record.rtpStreams[0]).toMatchObject({ packets: 100, lost: 0 });
    const { left } = renderAll(ended[0]);
    expect(countValue(left, callerValue)).toBe(16000);
  });

  it('keeps audio continuous over an SSRC change (new stream, new timestamp base)', () => {
    const { assembler, ended } = harness();
    const d = answeredCall(assembler);
    audio(d, { from: 'caller', start: 1, packets: 25 }).forEach((p) => assembler.udp(p));
    audio(d, { from: 'caller', start: 1.5, packets: 25, ssrc: 0x9999, seq: 7, timestamp: 123_456_789 }).forEach((p) =>
      assembler.udp(p),
    );
    assembler.finish(at(2.5));
    expect(ended[0].record.rtpStreams.map((s) => [s.ssrc, s.packets, s.lost])).toEqual([
      [0x1111, 25, 0],
      [0x9999, 25, 0],
    ]);
    const { left } = renderAll(ended[0]);
    expect(countValue(left.subarray(0, 8000), callerValue)).toBe(8000);
  });

  it('follows hold and resume by re-INVITE, with a new address, and keeps recording after 15 minutes on hold', () => {
    const { assembler, ended } = harness();
    const d = answeredCall(assembler);
    audio(d, { from: 'caller', start: 1, packets: 50 }).forEach((p) => assembler.udp(p));
    assembler.udp(d.request(at(2), 'caller', 'INVITE', { sdp: d.sdp('caller', { direction: 'sendonly' }) }));
    assembler.udp(d.response(at(2.1), 200, 'OK', { cseq: 2, sdp: d.sdp('callee', { direction: 'recvonly' }) }));
    const resumeAt = 2 + 16 * 60;
    // The caller comes back from a new address; its RTP clock paused during the hold.
    const moved = { ip: '192.168.1.99', rtpPort: 4100 };
    Object.assign(caller, {}); // the dialog's party object is unchanged; the new address is in SDP
    assembler.udp(
      d.request(at(resumeAt), 'caller', 'INVITE', { sdp: d.sdp('caller', { ip: moved.ip, port: moved.rtpPort }) }),
    );
    assembler.udp(d.response(at(resumeAt + 0.1), 200, 'OK', { cseq: 3, sdp: d.sdp('callee') }));
    const resumed = audio(d, {
      from: 'caller',
      start: resumeAt + 0.2,
      packets: 50,
      seq: 1050,
      timestamp: 50_000 + 50 * 160,
    });
    resumed.forEach((p) => assembler.udp({ ...p, src: { ip: moved.ip, port: moved.rtpPort } }));
    audio(d, { from: 'callee', start: resumeAt + 0.2, packets: 50 }).forEach((p) =>
      assembler.udp({ ...p, dst: { ip: moved.ip, port: moved.rtpPort } }),
    );
    assembler.udp(d.request(at(resumeAt + 2), 'caller', 'BYE'));
    assembler.finish(at(resumeAt + 5));
    const [call] = ended;
    expect(call.record).toMatchObject({
      disposition: 'answered',
      endReason: 'bye',
      holds: [{ startedAt: iso(2), endedAt: iso(resumeAt) }],
      pairingConfidence: 1,
    });
    let frames = 0;
    let heard = 0;
    let largestChunk = 0;
    let resumedAtFrame = -1;
    for (const chunk of call.audio.chunks()) {
      largestChunk = Math.max(largestChunk, chunk.left.length);
      chunk.left.forEach((s, i) => {
        if (s === callerValue) {
          if (frames + i > 8000 && resumedAtFrame < 0) resumedAtFrame = frames + i;
          heard++;
        }
      });
      frames += chunk.left.length;
    }
    expect(heard).toBe(100 * 160);
    expect(largestChunk).toBeLessThanOrEqual(8000);
    // The resumed audio sits where it was captured: resumeAt + 0.2 s after the media origin (1 s).
    expect(resumedAtFrame).toBe(Math.round((resumeAt + 0.2 - 1) * 8000));
    expect(frames).toBeGreaterThanOrEqual(resumedAtFrame + 50 * 160);
  });

  it('learns a NATed source sending to a known endpoint, and traffic back to it, with lower confidence', () => {
    const { assembler, ended } = harness();
    const d = answeredCall(assembler);
    const nat = { ip: '198.51.100.9', port: 34000 };
    audio(d, { from: 'callee', start: 1, packets: 50 }).forEach((p) => assembler.udp({ ...p, src: nat }));
    audio(d, { from: 'caller', start: 1, packets: 50 }).forEach((p) => assembler.udp({ ...p, dst: nat }));
    assembler.finish(at(3));
    const [call] = ended;
    expect(call.record.rtpStreams.map((s) => [s.sender, s.source, s.destination, s.packets, s.pairing])).toEqual([
      ['callee', '198.51.100.9:34000', '192.168.1.10:4000', 50, 'learned'],
      ['caller', '192.168.1.10:4000', '198.51.100.9:34000', 50, 'learned'],
    ]);
    expect(call.record.pairingConfidence).toBeGreaterThan(0.5);
    expect(call.record.pairingConfidence).toBeLessThan(1);
    const { right } = renderAll(call);
    expect(countValue(right, calleeValue)).toBe(8000);
  });

  it('lists RFC 4733 DTMF digits and mutes their tones when asked', () => {
    for (const muteDtmf of [false, true]) {
      const { assembler, ended } = harness({ muteDtmf });
      const d = answeredCall(assembler, { payloadTypes: [8, 101], rtpmap: { 101: 'telephone-event/8000' } });
      audio(d, { from: 'caller', start: 1, packets: 50 }).forEach((p) => assembler.udp(p));
      // Digit 5 at 1.4 s for 100 ms (5 updates, then three end packets).
      for (let i = 0; i < 8; i++) {
        const end = i >= 5;
        const duration = Math.min(i + 1, 5) * 160;
        assembler.udp(
          d.rtp(at(1.4 + Math.min(i, 5) * 0.02), 'caller', {
            sequence: 5000 + i,
            timestamp: 99_000,
            ssrc: 0x1112,
            payloadType: 101,
            payload: telephoneEventPayload(5, end, 10, duration),
          }),
        );
      }
      assembler.finish(at(3));
      const [call] = ended;
      expect(call.record.dtmf).toEqual([{ digit: '5', at: iso(1.4), durationMs: 100, sender: 'caller' }]);
      const { left } = renderAll(call);
      const toneWindow = left.subarray(Math.round(0.4 * 8000), Math.round(0.5 * 8000));
      expect(toneWindow.every((s) => s === 0)).toBe(muteDtmf);
      expect(countValue(left.subarray(0, 3000), callerValue)).toBe(3000);
    }
  });

  it('turns comfort noise into silence without counting loss', () => {
    const { assembler, ended } = harness();
    const d = answeredCall(assembler, { payloadTypes: [8, 13] });
    audio(d, { from: 'caller', start: 1, packets: 10 }).forEach((p) => assembler.udp(p));
    assembler.udp(
      d.rtp(at(1.2), 'caller', {
        sequence: 1010,
        timestamp: 50_000 + 1600,
        ssrc: 0x1111,
        payloadType: 13,
        payload: Buffer.from([40]),
      }),
    );
    audio(d, { from: 'caller', start: 2, packets: 10, seq: 1011, timestamp: 50_000 + 8000 }).forEach((p) =>
      assembler.udp(p),
    );
    assembler.finish(at(3));
    const { left } = renderAll(ended[0]);
    expect(left.length).toBe(8000 + 1600);
    expect(left.subarray(1600, 8000).every((s) => s === 0)).toBe(true);
    expect(ended[0].record.rtpStreams[0].lost).toBe(0);
  });

  it('records G.722 at 16 kHz, upsampling a G.711 side to match', () => {
    const { assembler, ended } = harness();
    const d = answeredCall(assembler, { payloadTypes: [9, 8] });
    audio(d, { from: 'caller', start: 1, packets: 50, payloadType: 9 }).forEach((p) => assembler.udp(p));
    audio(d, { from: 'callee', start: 1, packets: 50, payloadType: 8 }).forEach((p) => assembler.udp(p));
    assembler.finish(at(3));
    const [call] = ended;
    expect(call.record.sampleRate).toBe(16000);
    const { left, right } = renderAll(call);
    expect(left.length).toBe(16000);
    expect(left.some((s) => s !== 0)).toBe(true);
    expect(countValue(right.subarray(2, 16000), calleeValue)).toBe(15998);
  });

  it('keeps G.729 as raw payload and marks the call', () => {
    const { assembler, ended } = harness();
    const d = answeredCall(assembler, { payloadTypes: [18] });
    audio(d, { from: 'caller', start: 1, packets: 20, payloadType: 18, bytesPerPacket: 20 }).forEach((p) =>
      assembler.udp(p),
    );
    assembler.finish(at(2));
    const [call] = ended;
    expect(call.record).toMatchObject({ codec: 'G729', codecUnsupported: true, rawCodecs: ['G729'], audio: null });
    expect(call.audio.hasAudio).toBe(false);
    expect([...call.audio.rawRecords(0)].map((r) => r.payload.length)).toEqual(new Array(20).fill(20));
  });

  it('follows a media address change announced by the callee in an UPDATE', () => {
    const { assembler, ended } = harness();
    const d = answeredCall(assembler);
    audio(d, { from: 'callee', start: 1, packets: 25 }).forEach((p) => assembler.udp(p));
    const moved = { ip: '192.168.1.77', port: 6100 };
    assembler.udp(d.request(at(1.5), 'callee', 'UPDATE', { sdp: d.sdp('callee', { ip: moved.ip, port: moved.port }) }));
    assembler.udp(d.response(at(1.51), 200, 'OK', { method: 'UPDATE', requester: 'callee', sdp: d.sdp('caller') }));
    audio(d, { from: 'callee', start: 1.52, packets: 25, seq: 1025, timestamp: 50_000 + 25 * 160 }).forEach((p) =>
      assembler.udp({ ...p, src: moved }),
    );
    audio(d, { from: 'caller', start: 1.52, packets: 25 }).forEach((p) => assembler.udp({ ...p, dst: moved }));
    assembler.finish(at(3));
    const [call] = ended;
    expect(call.record.pairingConfidence).toBe(1);
    expect(call.record.rtpStreams.map((s) => [s.sender, s.packets, s.pairing])).toEqual([
      ['callee', 50, 'sdp'],
      ['caller', 25, 'sdp'],
    ]);
  });

  it('passes Opus through as raw payload on its 48 kHz timeline', () => {
    const { assembler, ended } = harness();
    const d = answeredCall(assembler, { payloadTypes: [111], rtpmap: { 111: 'opus/48000/2' } });
    for (let i = 0; i < 10; i++) {
      assembler.udp(
        d.rtp(at(1 + i * 0.02), 'caller', { sequence: i, timestamp: i * 960, ssrc: 5, payload: Buffer.alloc(40, i) }),
      );
    }
    assembler.finish(at(2));
    const [call] = ended;
    expect(call.record).toMatchObject({ codec: 'OPUS', codecUnsupported: true, rawCodecs: ['OPUS'], audio: null });
    const raw = [...call.audio.rawRecords(0)];
    expect(raw.map((r) => r.rtpOffset)).toEqual(Array.from({ length: 10 }, (_, i) => i * 960));
    expect(raw[3].payload[0]).toBe(3);
  });

  it('reads RTCP receiver reports into the quality summary', () => {
    const { assembler, ended } = harness();
    const d = answeredCall(assembler);
    audio(d, { from: 'caller', start: 1, packets: 10 }).forEach((p) => assembler.udp(p));
    const rr = Buffer.alloc(32);
    rr[0] = 0x81;
    rr[1] = 201;
    rr.writeUInt16BE(7, 2);
    rr.writeUInt32BE(0x1111, 8);
    rr[12] = 26; // ~10 % lost
    rr.writeUInt32BE(240, 20); // 30 ms at 8 kHz
    assembler.udp({ ts: at(1.3), src: { ip: callee.ip, port: 6001 }, dst: { ip: caller.ip, port: 4001 }, payload: rr });
    assembler.finish(at(2));
    expect(ended[0].record.quality?.rtcp).toEqual({ reports: 1, fractionLostPercent: 10.16, jitterMs: 30 });
    expect(assembler.counters.rtcpPackets).toBe(1);
  });

  it('records early media before the answer and ignores RTP after the call ended', () => {
    const { assembler, ended } = harness();
    const d = new DialogSimulator({ callId: 'early', caller, callee });
    assembler.udp(d.invite(at(0)));
    assembler.udp(d.response(at(0.5), 183, 'Session Progress', { sdp: d.sdp('callee') }));
    audio(d, { from: 'callee', start: 0.6, packets: 20 }).forEach((p) => assembler.udp(p));
    assembler.udp(d.request(at(1.5), 'caller', 'CANCEL'));
    audio(d, { from: 'callee', start: 1.6, packets: 5, seq: 1020 }).forEach((p) => assembler.udp(p));
    assembler.finish(at(5));
    expect(ended[0].record).toMatchObject({ disposition: 'cancelled', audioStartedAt: iso(0.6) });
    expect(ended[0].record.rtpStreams[0].packets).toBe(20);
    expect(assembler.counters.rtpAfterEnd).toBe(5);
  });
});
