import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { A_LAW_TO_LINEAR } from '../codecs/g711';
import { readCaptureFile } from '../packet/capture-file';
import { PacketPipeline } from '../packet/packet-pipeline';
import { PacketSink, UdpDatagram } from '../packet/packet-types';
import { RtpHeader } from '../rtp/rtp-header';
import { CallAssembler, CallAssemblerOptions } from './call-assembler';
import { EndedCall } from './call-record';
import { renderAll } from './testing/assembler-harness';
import { DialogSimulator } from './testing/dialog-simulator';

// Calls rebuilt from the real captures in ../shared/pcaps, checked against what their README
// (and tshark) says is in them. Skipped where the folder is absent (a clone without shared/).
const PCAPS = join(__dirname, '../../../../shared/pcaps');
const describeWithPcaps = existsSync(PCAPS) ? describe : describe.skip;

/** Reads a capture through the packet pipeline into an assembler; `before` may inject packets first. */
async function assemble(name: string, options: CallAssemblerOptions = {}, before?: (a: CallAssembler) => void) {
  const ended: EndedCall[] = [];
  const assembler = new CallAssembler(options, (call) => ended.push(call));
  let lastTs = 0;
  const sink: PacketSink = {
    udp: (d) => {
      if (lastTs === 0) before?.(assembler);
      lastTs = Math.max(lastTs, d.ts);
      assembler.udp(d);
    },
    tcp: (t) => {
      lastTs = Math.max(lastTs, t.ts);
      assembler.tcp(t);
    },
    tcpClosed: (src, dst) => assembler.tcpClosed(src, dst),
  };
  const pipeline = new PacketPipeline(sink);
  await readCaptureFile(join(PCAPS, name), pipeline);
  pipeline.finish();
  assembler.finish(lastTs);
  expect(pipeline.sinkErrors).toBe(0);
  const byCallId = (id: string): EndedCall => {
    const call = ended.find((c) => c.record.callId === id);
    if (!call) throw new Error(`no call ${id} in ${name}`);
    return call;
  };
  return { ended, counters: assembler.counters, byCallId };
}

/** Only the RTP of a SIP-less capture: copies of its datagrams, for building a call around them. */
async function datagramsOf(name: string): Promise<UdpDatagram[]> {
  const datagrams: UdpDatagram[] = [];
  const pipeline = new PacketPipeline({
    udp: (d) => datagrams.push({ ...d, payload: Buffer.from(d.payload) }),
    tcp: () => undefined,
  });
  await readCaptureFile(join(PCAPS, name), pipeline);
  return datagrams;
}

describeWithPcaps('calls in the real captures (../shared/pcaps)', () => {
  it('classic G.711 sample: one answered call with 26 s of two-way audio and no BYE, one still ringing', async () => {
    const { ended, byCallId } = await assemble('heplify-rtp_rtcp_sip_ipv4_udp.pcap');
    expect(ended).toHaveLength(2);
    const answered = byCallId('12013223@200.57.7.195');
    expect(answered.record).toMatchObject({
      disposition: 'answered',
      endReason: 'endOfInput',
      to: { number: 'francisco' },
      codec: 'PCMA',
      pairingConfidence: 1,
    });
    expect(answered.record.ringSeconds).toBeGreaterThan(8.3);
    expect(answered.record.ringSeconds).toBeLessThan(8.7);
    expect(answered.record.talkSeconds).toBeGreaterThan(25.5);
    expect(answered.record.talkSeconds).toBeLessThan(27);
    const streams = answered.record.rtpStreams.map((s) => `${s.source}>${s.destination}:${s.packets}:${s.lost}`).sort();
    expect(streams).toEqual([
      '200.57.7.196:40376>200.57.7.204:8000:891:0',
      '200.57.7.204:8000>200.57.7.196:40376:548:0',
    ]);
    expect(answered.record.quality).toMatchObject({ lossPercent: 0 });
    expect(answered.record.quality?.rtcp?.reports).toBeGreaterThan(0);

    const { left, right } = renderAll(answered);
    expect(left.length / 8000).toBeGreaterThan(25.5);
    // Both sides speak: a good part of each channel carries signal.
    const loud = (pcm: Int16Array) => pcm.reduce((n, s) => n + (Math.abs(s) > 64 ? 1 : 0), 0) / pcm.length;
    expect(loud(left)).toBeGreaterThan(0.2);
    expect(loud(right)).toBeGreaterThan(0.1);

    const ringing = byCallId('12015624@200.57.7.195');
    expect(ringing.record).toMatchObject({
      from: { number: '5514540002', name: 'Ivan Alizade' },
      to: { number: 'francisco' },
      answeredAt: null,
      disposition: 'missed',
      endReason: 'endOfInput',
    });
  });

  it('SIP over TCP: 101 -> 201 with A-law and comfort noise', async () => {
    const { ended } = await assemble('heplify-sip_ipv4_tcp.pcap');
    expect(ended).toHaveLength(1);
    const [call] = ended;
    expect(call.record).toMatchObject({
      callId: '158936656982201062716@10.33.6.100',
      from: { number: '101' },
      to: { number: '201' },
      disposition: 'answered',
      endReason: 'bye',
      codec: 'PCMA',
    });
    const endpoints = call.record.rtpStreams.map((s) => `${s.source}>${s.destination}`).sort();
    expect(endpoints).toEqual(['10.33.6.100:6000>10.33.6.101:6050', '10.33.6.101:6050>10.33.6.100:6000']);
    expect(call.record.rtpStreams.every((s) => s.lost === 0)).toBe(true);
  });

  it('SIP over TCP split across segments: every INVITE is found', async () => {
    const { ended, counters } = await assemble('heplify-sip_ipv4_tcp_fragmented.pcap');
    expect(ended.length).toBe(37);
    expect(counters.sipMalformed).toBe(0);
    expect(counters.tcpSipJunkBytes).toBe(0);
    expect(ended.filter((c) => c.record.disposition === 'answered').length).toBeGreaterThan(25);
  });

  it('SIP over TCP with retransmissions: each message is seen once', async () => {
    const { counters } = await assemble('heplify-sip_ipv4_tcp_retrans.pcap');
    // Two REGISTER transactions, each over TCP (phone -> proxy) and UDP (proxy -> registrar).
    expect(counters.sipMessages).toBe(8);
    expect(counters.sipMalformed).toBe(0);
  });

  it('SIP over IPv6/UDP: the INVITE 9876 -> 4321', async () => {
    const { ended } = await assemble('heplify-sip_ipv6_udp.pcap');
    expect(ended.map((c) => [c.record.from.number, c.record.to.number])).toEqual([['9876', '4321']]);
  });

  it('SIP inside ERSPAN: three INVITE dialogs', async () => {
    const { ended } = await assemble('heplify-erspan_sip_ipv4_udp.pcapng');
    expect(ended).toHaveLength(3);
    for (const call of ended) {
      expect(call.record.from.number).toMatch(/^2000\d{4}$/);
      expect(call.record.to.number).toMatch(/^2000\d{4}$/);
      expect(call.record.disposition).toBe('answered');
    }
  });

  it('SIP over WebSocket: two INVITE dialogs with E.164 numbers', async () => {
    const { ended, counters } = await assemble('heplify-sip_tcp_websocket.pcap');
    expect(ended).toHaveLength(2);
    expect(counters.webSocketErrors).toBe(0);
    expect(
      ended.some((c) => /^\+\d{10,15}$/.test(c.record.from.number) || /^\+\d{10,15}$/.test(c.record.to.number)),
    ).toBe(true);
  });

  // The sipp captures carry RTP only; a dialog whose SDP names their endpoints is played first.
  function dialogAround(first: UdpDatagram, sdpOptions: { payloadTypes: number[]; rtpmap?: Record<number, string> }) {
    return new DialogSimulator({
      callId: 'sipp-replay',
      caller: { number: '100', ip: first.src.ip, rtpPort: first.src.port },
      callee: { number: '200', ip: first.dst.ip, rtpPort: first.dst.port },
      ...sdpOptions,
    });
  }

  it('RFC 2833 capture: digit 1 with its duration', async () => {
    const datagrams = await datagramsOf('sipp-dtmf_2833_1.pcap');
    const d = dialogAround(datagrams[0], { payloadTypes: [0, 101], rtpmap: { 101: 'telephone-event/8000' } });
    const { ended } = await assemble('sipp-dtmf_2833_1.pcap', {}, (assembler) => {
      assembler.udp(d.invite(datagrams[0].ts - 2_000_000));
      assembler.udp(d.answer(datagrams[0].ts - 1_000_000));
    });
    // Updates every 20 ms up to 2240 units, end bit on the last three: one 280 ms digit.
    expect(ended[0].record.dtmf).toEqual([expect.objectContaining({ digit: '1', durationMs: 280, sender: 'caller' })]);
  });

  it('G.711 A-law speech capture: decoded sample for sample, on the sender side', async () => {
    const datagrams = await datagramsOf('sipp-g711a.pcap');
    const d = dialogAround(datagrams[0], { payloadTypes: [8] });
    const { ended } = await assemble('sipp-g711a.pcap', {}, (assembler) => {
      assembler.udp(d.invite(datagrams[0].ts - 2_000_000));
      assembler.udp(d.answer(datagrams[0].ts - 1_000_000));
    });
    const header = new RtpHeader();
    const expected: number[] = [];
    for (const datagram of datagrams) {
      header.read(datagram.payload);
      const payload = datagram.payload.subarray(header.payloadOffset, header.payloadOffset + header.payloadLength);
      payload.forEach((byte) => expected.push(A_LAW_TO_LINEAR[byte]));
    }
    expect(ended[0].record.rtpStreams[0]).toMatchObject({ packets: 236, lost: 0, codec: 'PCMA' });
    const { left, right } = renderAll(ended[0]);
    expect(Array.from(left.subarray(0, expected.length))).toEqual(expected);
    expect(right.every((s) => s === 0)).toBe(true);
  });
});
