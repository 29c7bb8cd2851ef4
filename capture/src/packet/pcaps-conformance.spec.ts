import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readCaptureFile } from './capture-file';
import { CollectingSink } from './collecting-sink';
import { PacketPipeline } from './packet-pipeline';

// Conformance over the real captures in ../shared/pcaps (CI has them; a clone may not: then skip).
// The expected figures are what tshark 4.0 reports for the same files (UDP datagrams after
// reassembly; TCP payload bytes without retransmissions, i.e. `!tcp.analysis.retransmission`).
const PCAPS = join(__dirname, '../../../../shared/pcaps');
const describeWithPcaps = existsSync(PCAPS) ? describe : describe.skip;

async function decodeFile(name: string) {
  const sink = new CollectingSink();
  const pipeline = new PacketPipeline(sink);
  const format = await readCaptureFile(join(PCAPS, name), pipeline);
  pipeline.finish();
  return { sink, pipeline, format };
}

const onPort = (port: number) => (d: { src: { port: number }; dst: { port: number } }) =>
  d.src.port === port || d.dst.port === port;

/** Splits a SIP byte stream into messages by Content-Length; `complete` false if the last one is cut. */
function sipMessages(stream: string): { messages: string[]; complete: boolean } {
  const messages: string[] = [];
  let at = 0;
  while (at < stream.length) {
    while (stream.startsWith('\r\n', at)) at += 2; // keep-alive CRLFs between messages
    if (at >= stream.length) break;
    const headerEnd = stream.indexOf('\r\n\r\n', at);
    if (headerEnd < 0) return { messages, complete: false };
    const header = stream.slice(at, headerEnd);
    const length = /^(?:Content-Length|l)\s*:\s*(\d+)/im.exec(header);
    const end = headerEnd + 4 + (length ? Number(length[1]) : 0);
    if (end > stream.length) return { messages, complete: false };
    messages.push(stream.slice(at, end));
    at = end;
  }
  return { messages, complete: true };
}

const table: [string, { udp: number; udp5060: number; tcpBytes: number; tcp5060Bytes: number }][] = [
  ['heplify-erspan_sip_ipv4_udp.pcapng', { udp: 140, udp5060: 71, tcpBytes: 0, tcp5060Bytes: 0 }],
  ['heplify-ipv6_udp_fragmented.pcap', { udp: 3, udp5060: 0, tcpBytes: 0, tcp5060Bytes: 0 }],
  ['heplify-rtp_rtcp_sip_ipv4_udp.pcap', { udp: 3583, udp5060: 17, tcpBytes: 99_282, tcp5060Bytes: 0 }],
  ['heplify-sip_ipv4_tcp.pcap', { udp: 68, udp5060: 0, tcpBytes: 4035, tcp5060Bytes: 4035 }],
  ['heplify-sip_ipv4_tcp_fragmented.pcap', { udp: 0, udp5060: 0, tcpBytes: 281_860, tcp5060Bytes: 0 }],
  ['heplify-sip_ipv4_tcp_retrans.pcap', { udp: 4, udp5060: 4, tcpBytes: 28_785, tcp5060Bytes: 2663 }],
  ['heplify-sip_ipv6_udp.pcap', { udp: 6, udp5060: 6, tcpBytes: 0, tcp5060Bytes: 0 }],
  ['heplify-sip_tcp_websocket.pcap', { udp: 28, udp5060: 28, tcpBytes: 14_385, tcp5060Bytes: 0 }],
  ['sipp-dtmf_2833_1.pcap', { udp: 10, udp5060: 0, tcpBytes: 0, tcp5060Bytes: 0 }],
  ['sipp-g711a.pcap', { udp: 236, udp5060: 0, tcpBytes: 0, tcp5060Bytes: 0 }],
];

describeWithPcaps('real captures (../shared/pcaps)', () => {
  it.each(table)('%s: UDP datagrams and TCP bytes as tshark counts them, nothing malformed', async (name, expected) => {
    const { sink, pipeline } = await decodeFile(name);
    const tcpBytes = sink.tcpChunks.reduce((sum, c) => sum + c.bytes.length, 0);
    const tcp5060Bytes = sink.tcpChunks.filter(onPort(5060)).reduce((sum, c) => sum + c.bytes.length, 0);
    expect({
      udp: sink.datagrams.length,
      udp5060: sink.datagrams.filter(onPort(5060)).length,
      tcpBytes,
      tcp5060Bytes,
    }).toEqual(expected);
    expect(pipeline.counters.malformed).toBe(0);
  });

  it('ERSPAN (pcapng): the three INVITE dialogs come out of the GRE tunnel', async () => {
    const { sink, format } = await decodeFile('heplify-erspan_sip_ipv4_udp.pcapng');
    expect(format).toBe('pcapng');
    const invites = sink.datagrams
      .map((d) => d.payload.toString('latin1'))
      .filter((text) => text.startsWith('INVITE sip:'));
    const callIds = new Set(invites.map((text) => /^Call-ID:\s*(\S+)/im.exec(text)?.[1]));
    // 16 INVITE requests (both legs of a B2BUA, re-INVITEs, re-sent after 407) in 3 dialogs.
    expect(invites).toHaveLength(16);
    expect([...callIds].sort()).toEqual([
      'bf3880-0-16e4-5af571fa-38bc4ba4-5af571fa@101.231.48.19',
      'cdfef7c7647e97e4ff66fbf504c524e4@192.168.1.191',
      'ddd141f1d982d8989fb73db754a8fbb7@192.168.1.191',
    ]);
    expect(invites.every((text) => /^To:.*sip:2000(8777|8909|8910)@/im.test(text))).toBe(true);
  });

  it('IPv6 fragments: four fragments reassemble into the one 5,379-byte datagram tshark shows', async () => {
    const { sink, pipeline } = await decodeFile('heplify-ipv6_udp_fragmented.pcap');
    expect(pipeline.counters).toMatchObject({ ipFragments: 4, ipReassembled: 1 });
    expect(sink.datagrams.map((d) => d.payload.length)).toEqual([118, 31, 5379]);
    expect(sink.datagrams[2]).toMatchObject({
      src: { ip: '2607:f010:3f9::1001', port: 6363 },
      dst: { ip: '2607:f010:3f9::11:0', port: 6363 },
    });
  });

  it('SIP over TCP split across segments: 406 complete messages, 37 of them INVITEs', async () => {
    const { sink } = await decodeFile('heplify-sip_ipv4_tcp_fragmented.pcap');
    const perStream = [...sink.tcpStreams().values()].map((bytes) => sipMessages(bytes.toString('latin1')));
    expect(perStream.every((stream) => stream.complete)).toBe(true);
    const messages = perStream.flatMap((stream) => stream.messages);
    expect(messages).toHaveLength(406);
    expect(messages.filter((m) => m.startsWith('INVITE sip:'))).toHaveLength(37);
    expect(messages.filter((m) => m.startsWith('SIP/2.0 '))).toHaveLength(223);
  });

  it('SIP over TCP with a retransmitted segment (Linux cooked): each message once', async () => {
    const { sink, pipeline } = await decodeFile('heplify-sip_ipv4_tcp_retrans.pcap');
    const sipStreams = [...sink.tcpStreams()].filter(([direction]) => direction.includes(':5060'));
    const messages = sipStreams.flatMap(([, bytes]) => sipMessages(bytes.toString('latin1')).messages);
    expect(messages.map((m) => m.split('\r\n')[0]).sort()).toEqual([
      'REGISTER sip:172.168.0.228;transport=tcp SIP/2.0',
      'REGISTER sip:172.168.0.228;transport=tcp SIP/2.0',
      'SIP/2.0 200 OK',
      'SIP/2.0 401 Unauthorized',
    ]);
    expect(pipeline.counters.tcpRetransmissions).toBeGreaterThanOrEqual(1);
  });

  it('SIP over TCP: the INVITE of call 101 -> 201', async () => {
    const { sink } = await decodeFile('heplify-sip_ipv4_tcp.pcap');
    const text = [...sink.tcpStreams().values()].map((b) => b.toString('latin1')).join('');
    const invites = sipMessages(text).messages.filter((m) => m.startsWith('INVITE sip:'));
    expect(invites).toHaveLength(1);
    expect(invites[0]).toContain('158936656982201062716@10.33.6.100');
  });

  it('classic G.711 sample: two INVITE dialogs and the RTP streams the README lists', async () => {
    const { sink } = await decodeFile('heplify-rtp_rtcp_sip_ipv4_udp.pcap');
    const invites = sink.datagrams.filter((d) => d.payload.toString('latin1').startsWith('INVITE sip:'));
    expect(invites).toHaveLength(2);
    const count = (src: string, dst: string) =>
      sink.datagrams.filter((d) => `${d.src.ip}:${d.src.port}` === src && `${d.dst.ip}:${d.dst.port}` === dst).length;
    // tshark -z rtp,streams: 891 packets 196 -> 204 and 548 back.
    expect(count('200.57.7.196:40376', '200.57.7.204:8000')).toBe(891);
    expect(count('200.57.7.204:8000', '200.57.7.196:40376')).toBe(548);
  });

  it('SIP over IPv6/UDP: INVITE 9876 -> 4321', async () => {
    const { sink } = await decodeFile('heplify-sip_ipv6_udp.pcap');
    const invite = sink.datagrams.map((d) => d.payload.toString('latin1')).find((t) => t.startsWith('INVITE sip:'));
    expect(invite).toMatch(/^From:.*9876/im);
    expect(invite).toMatch(/^To:.*4321/im);
  });
});
