import { buildSipMessage } from '../sip/sip-message-builder';
import { at, harness } from './testing/assembler-harness';
import { DialogSimulator } from './testing/dialog-simulator';

const caller = { number: '101', ip: '10.0.0.1', rtpPort: 4000 };
const callee = { number: '202', ip: '10.0.0.2', rtpPort: 6000 };
const sipPort = (ip: string) => ({ ip, port: 5060 });

function lcg(seed: number) {
  let state = seed;
  return () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) >>> 24;
}

describe('CallAssembler: bad input is counted, never thrown', () => {
  it('survives random bytes on the SIP port over UDP and TCP', () => {
    const udp = harness();
    const tcp = harness();
    const random = lcg(1);
    for (let i = 0; i < 5000; i++) {
      const payload = Buffer.from(Array.from({ length: 8 + (random() % 64) * 8 }, random));
      // Half of them start like a request line to get past the cheap pre-check.
      if (i % 2) payload.write('INVITE sip:x SIP/2.0\r\n', 0);
      udp.assembler.udp({ ts: at(i / 1000), src: sipPort('10.9.9.9'), dst: sipPort('10.0.0.1'), payload });
      tcp.assembler.tcp({
        ts: at(i / 1000),
        src: { ip: '10.9.9.9', port: 40000 },
        dst: sipPort('10.0.0.1'),
        bytes: payload,
      });
    }
    udp.assembler.finish(at(10));
    tcp.assembler.finish(at(10));
    expect(udp.ended).toHaveLength(0);
    expect(tcp.ended).toHaveLength(0);
    const udpCounters = udp.assembler.counters;
    expect(udpCounters.sipMalformed + udpCounters.udpIgnored + udpCounters.rtpUnmatched).toBe(5000);
    const tcpCounters = tcp.assembler.counters;
    expect(tcpCounters.tcpSipJunkBytes + tcpCounters.tcpSipOversized + tcpCounters.sipMalformed).toBeGreaterThan(0);
  });

  it('survives bit flips of a real INVITE', () => {
    const { assembler } = harness();
    const d = new DialogSimulator({ callId: 'fuzz', caller, callee, compact: true });
    const invite = d.invite(at(0));
    const random = lcg(2);
    for (let i = 0; i < 20000; i++) {
      const payload = Buffer.from(invite.payload);
      for (let flips = 1 + (random() % 8); flips > 0; flips--)
        payload[((random() << 8) | random()) % payload.length] ^= 1 << (random() % 8);
      expect(() => assembler.udp({ ...invite, ts: at(i / 100), payload })).not.toThrow();
    }
    expect(() => assembler.finish(at(300))).not.toThrow();
    const { sipMessages, sipMalformed, udpIgnored, rtpUnmatched } = assembler.counters;
    expect(sipMessages + sipMalformed + udpIgnored + rtpUnmatched).toBe(20000);
  });

  it('rejects absurd header sizes over UDP and TCP', () => {
    const { assembler } = harness();
    const huge = buildSipMessage({
      startLine: 'INVITE sip:202@10.0.0.2 SIP/2.0',
      headers: [
        ['Call-ID', 'huge'],
        ['X-Padding', 'x'.repeat(70 * 1024)],
      ],
    });
    assembler.udp({ ts: at(0), src: sipPort('10.0.0.1'), dst: sipPort('10.0.0.2'), payload: huge });
    const many = buildSipMessage({
      startLine: 'INVITE sip:202@10.0.0.2 SIP/2.0',
      headers: Array.from({ length: 500 }, (_, i): [string, string] => [`X-${i}`, 'y']),
    });
    assembler.udp({ ts: at(0), src: sipPort('10.0.0.1'), dst: sipPort('10.0.0.2'), payload: many });
    for (let i = 0; i < huge.length; i += 1400) {
      assembler.tcp({
        ts: at(1),
        src: { ip: '10.0.0.1', port: 40000 },
        dst: sipPort('10.0.0.2'),
        bytes: huge.subarray(i, i + 1400),
      });
    }
    expect(assembler.counters.sipMalformed).toBe(2);
    expect(assembler.counters.tcpSipOversized).toBeGreaterThan(0);
    expect(assembler.activeCalls).toBe(0);
  });

  it('follows a call whose SDP has 1,000 media lines, using only the first 64', () => {
    const { assembler, ended } = harness();
    const d = new DialogSimulator({ callId: 'm-lines', caller, callee });
    const lines = ['v=0', 'o=- 1 1 IN IP4 10.0.0.1', 's=-', 'c=IN IP4 10.0.0.1', 't=0 0'];
    for (let i = 0; i < 1000; i++) lines.push(`m=audio ${10000 + 2 * i} RTP/AVP 0`);
    assembler.udp(d.invite(at(0), `${lines.join('\r\n')}\r\n`));
    assembler.finish(at(1));
    expect(ended).toHaveLength(1);
    expect(assembler.counters.sdpMediaLinesDropped).toBe(936);
  });

  it('counts malformed SDP and malformed RTP to a known endpoint', () => {
    const { assembler } = harness();
    const d = new DialogSimulator({ callId: 'bad-sdp', caller, callee });
    assembler.udp(d.invite(at(0)));
    assembler.udp(d.answer(at(1), 'v=0\r\nc=IN IP4 nonsense\r\n'));
    assembler.udp({
      ts: at(2),
      src: { ip: '10.0.0.2', port: 6000 },
      dst: { ip: '10.0.0.1', port: 4000 },
      payload: Buffer.from([0x40, 1, 2]),
    });
    expect(assembler.counters.sdpMalformed).toBe(1);
    expect(assembler.counters.rtpMalformed).toBe(1);
  });

  it("reads SIP sent to a port that is also a call's RTP port + 1 (its RTCP port) as SIP", () => {
    const { assembler, ended } = harness();
    // A phone whose media port is 5059: its RTCP port is the PBX's SIP port.
    const first = new DialogSimulator({
      callId: 'media-on-5059',
      caller: { number: '101', ip: '10.0.0.1', rtpPort: 5059 },
      callee: { number: '202', ip: '10.0.0.2', rtpPort: 5059 },
    });
    assembler.udp(first.invite(at(0)));
    assembler.udp(first.answer(at(1)));
    const second = new DialogSimulator({ callId: 'next-call', caller: { ...caller, number: '103' }, callee });
    assembler.udp(second.invite(at(2)));
    assembler.udp(second.answer(at(3)));
    assembler.udp(second.request(at(4), 'caller', 'BYE'));
    assembler.finish(at(10));
    expect(ended.map((c) => c.record.callId).sort()).toEqual(['media-on-5059', 'next-call']);
    expect(ended.find((c) => c.record.callId === 'next-call')?.record).toMatchObject({
      disposition: 'answered',
      endReason: 'bye',
    });
  });

  it('bounds the number of calls followed', () => {
    const { assembler } = harness({ maxActiveCalls: 10 });
    for (let i = 0; i < 25; i++)
      assembler.udp(new DialogSimulator({ callId: `c${i}`, caller, callee }).invite(at(i / 100)));
    expect(assembler.activeCalls).toBe(10);
    expect(assembler.counters.callsOverCapacity).toBe(15);
  });

  it('bounds the TCP connections followed', () => {
    const { assembler } = harness();
    for (let i = 0; i < 10_050; i++) {
      assembler.tcp({
        ts: at(0),
        src: { ip: '10.1.0.1', port: 1024 + i },
        dst: sipPort('10.0.0.1'),
        bytes: Buffer.from('INVITE sip:'),
      });
    }
    expect(assembler.counters.tcpConnectionsEvicted).toBe(50);
  });
});
