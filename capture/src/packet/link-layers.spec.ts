import { LinkType } from './capture-frame';
import { CollectingSink } from './collecting-sink';
import { PacketPipeline } from './packet-pipeline';
import {
  ethernetFrame,
  IP_PROTO_UDP,
  ipv4Packet,
  ipv6Packet,
  linuxSll2Frame,
  linuxSllFrame,
  nullLoopbackFrame,
  udpDatagram,
  type Ipv6ExtensionHeader,
} from './pcap-writer';

const sip = Buffer.from('OPTIONS sip:a@b SIP/2.0\r\n\r\n');
const v4 = ipv4Packet({
  src: '10.0.0.1',
  dst: '10.0.0.2',
  protocol: IP_PROTO_UDP,
  payload: udpDatagram(5060, 5062, sip),
});
const v6 = ipv6Packet({
  src: '2001:db8::1',
  dst: '2001:db8::2',
  nextHeader: IP_PROTO_UDP,
  payload: udpDatagram(5060, 5062, sip),
});
const udpOverIpv6 = (src: string, dst: string, extensionHeaders?: Ipv6ExtensionHeader[]) =>
  ipv6Packet({ src, dst, nextHeader: IP_PROTO_UDP, payload: udpDatagram(5060, 5062, sip), extensionHeaders });
const v4Endpoints = { src: { ip: '10.0.0.1', port: 5060 }, dst: { ip: '10.0.0.2', port: 5062 } };
const v6Endpoints = { src: { ip: '2001:db8::1', port: 5060 }, dst: { ip: '2001:db8::2', port: 5062 } };

function decode(linkType: number, data: Buffer) {
  const sink = new CollectingSink();
  const pipeline = new PacketPipeline(sink);
  pipeline.push({ linkType, ts: 42, data, originalLength: data.length });
  return { sink, counters: pipeline.counters };
}

function expectOneDatagram(linkType: number, data: Buffer, endpoints: typeof v4Endpoints) {
  const { sink, counters } = decode(linkType, data);
  expect(counters).toMatchObject({ frames: 1, malformed: 0, ignored: 0 });
  expect(sink.datagrams).toHaveLength(1);
  expect(sink.datagrams[0]).toMatchObject({ ts: 42, ...endpoints });
  expect(sink.datagrams[0].payload.toString()).toBe(sip.toString());
}

describe('link layers', () => {
  it('Ethernet II with IPv4 and IPv6', () => {
    expectOneDatagram(LinkType.ethernet, ethernetFrame({ etherType: 0x0800, payload: v4 }), v4Endpoints);
    expectOneDatagram(LinkType.ethernet, ethernetFrame({ etherType: 0x86dd, payload: v6 }), v6Endpoints);
  });

  it.each([
    ['802.1Q', [{ tpid: 0x8100, id: 20 }]],
    [
      'QinQ 802.1ad',
      [
        { tpid: 0x88a8, id: 100 },
        { tpid: 0x8100, id: 20 },
      ],
    ],
    [
      'QinQ pre-standard 0x9100',
      [
        { tpid: 0x9100, id: 100 },
        { tpid: 0x8100, id: 20 },
      ],
    ],
    [
      'three stacked tags',
      [
        { tpid: 0x88a8, id: 1 },
        { tpid: 0x9100, id: 2 },
        { tpid: 0x8100, id: 3 },
      ],
    ],
  ])('Ethernet with %s tags', (_name, vlans) => {
    expectOneDatagram(LinkType.ethernet, ethernetFrame({ etherType: 0x0800, payload: v4, vlans }), v4Endpoints);
  });

  it('ignores Ethernet padding after the IP packet', () => {
    const padded = Buffer.concat([ethernetFrame({ etherType: 0x0800, payload: v4 }), Buffer.alloc(20, 0xee)]);
    expectOneDatagram(LinkType.ethernet, padded, v4Endpoints);
  });

  it('Linux cooked capture v1 (113) and v2 (276)', () => {
    expectOneDatagram(LinkType.linuxSll, linuxSllFrame(0x0800, v4), v4Endpoints);
    expectOneDatagram(LinkType.linuxSll, linuxSllFrame(0x86dd, v6), v6Endpoints);
    expectOneDatagram(LinkType.linuxSll2, linuxSll2Frame(0x0800, v4), v4Endpoints);
    expectOneDatagram(LinkType.linuxSll2, linuxSll2Frame(0x86dd, v6), v6Endpoints);
  });

  it.each([LinkType.raw, LinkType.rawIpOpenBsd, LinkType.rawIpBsdOs])(
    'raw IP (link type %d), either version',
    (linkType) => {
      expectOneDatagram(linkType, v4, v4Endpoints);
      expectOneDatagram(linkType, v6, v6Endpoints);
    },
  );

  it('IPv4-only (228) and IPv6-only (229) raw link types', () => {
    expectOneDatagram(LinkType.ipv4, v4, v4Endpoints);
    expectOneDatagram(LinkType.ipv6, v6, v6Endpoints);
    expect(decode(LinkType.ipv4, v6).counters.malformed).toBe(1);
  });

  it('null/loopback (0) in either byte order, with the AF_INET6 values of several systems', () => {
    expectOneDatagram(LinkType.null, nullLoopbackFrame(2, v4, true), v4Endpoints);
    expectOneDatagram(LinkType.null, nullLoopbackFrame(2, v4, false), v4Endpoints);
    for (const family of [10, 24, 28, 30]) expectOneDatagram(LinkType.null, nullLoopbackFrame(family, v6), v6Endpoints);
    expectOneDatagram(LinkType.loop, nullLoopbackFrame(2, v4, false), v4Endpoints);
  });

  it('counts ARP and unknown link types as ignored, not malformed', () => {
    expect(
      decode(LinkType.ethernet, ethernetFrame({ etherType: 0x0806, payload: Buffer.alloc(28) })).counters,
    ).toMatchObject({
      ignored: 1,
      malformed: 0,
    });
    expect(decode(LinkType.linuxSll, linuxSllFrame(0x0806, Buffer.alloc(28))).counters.ignored).toBe(1);
    expect(decode(147, v4).counters.ignored).toBe(1);
  });

  it('counts frames cut short at every layer as malformed', () => {
    const frame = ethernetFrame({ etherType: 0x0800, payload: v4, vlans: [{ tpid: 0x8100, id: 5 }] });
    for (let length = 0; length < frame.length; length++) {
      const { sink, counters } = decode(LinkType.ethernet, frame.subarray(0, length));
      expect(sink.datagrams).toEqual([]);
      expect(counters.malformed).toBe(1);
    }
    expect(decode(LinkType.linuxSll2, linuxSll2Frame(0x0800, v4).subarray(0, 19)).counters.malformed).toBe(1);
  });
});

describe('IP headers', () => {
  it('reads IPv4 with options (header longer than 20 bytes)', () => {
    const withOptions = Buffer.concat([v4.subarray(0, 20), Buffer.from([1, 1, 1, 0]), v4.subarray(20)]);
    withOptions[0] = 0x46;
    withOptions.writeUInt16BE(withOptions.length, 2);
    expectOneDatagram(LinkType.raw, withOptions, v4Endpoints);
  });

  it('walks IPv6 hop-by-hop, routing and destination options headers', () => {
    const extensions = [{ type: 0 }, { type: 43, body: Buffer.alloc(14) }, { type: 60 }];
    const packet = udpOverIpv6('2001:db8::1', '2001:db8::2', extensions);
    expectOneDatagram(LinkType.raw, packet, v6Endpoints);
  });

  it('writes IPv6 addresses in RFC 5952 form', () => {
    const packet = udpOverIpv6('FE80:0:0:0:0:0:0:0001', '2001:db8:0:1:1:1:1:1');
    expect(decode(LinkType.raw, packet).sink.datagrams[0]).toMatchObject({
      src: { ip: 'fe80::1' },
      dst: { ip: '2001:db8:0:1:1:1:1:1' },
    });
    const mapped = udpOverIpv6('::ffff:192.0.2.1', '2001:0:0:1::1');
    expect(decode(LinkType.raw, mapped).sink.datagrams[0]).toMatchObject({
      src: { ip: '::ffff:192.0.2.1' },
      dst: { ip: '2001:0:0:1::1' },
    });
  });

  it('counts an IP length beyond the captured bytes (snap length) and a bad UDP length as malformed', () => {
    const frame = ethernetFrame({ etherType: 0x0800, payload: v4 });
    expect(decode(LinkType.ethernet, frame.subarray(0, frame.length - 1)).counters.malformed).toBe(1);
    const badUdp = Buffer.from(v4);
    badUdp.writeUInt16BE(7, 24);
    expect(decode(LinkType.raw, badUdp).counters.malformed).toBe(1);
  });

  it('counts ICMP as ignored', () => {
    const icmp = ipv4Packet({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 1, payload: Buffer.alloc(8) });
    expect(decode(LinkType.raw, icmp).counters).toMatchObject({ ignored: 1, malformed: 0 });
  });

  it('hands out one shared endpoint object per address and port', () => {
    const sink = new CollectingSink();
    const pipeline = new PacketPipeline(sink);
    for (let i = 0; i < 3; i++) pipeline.push({ linkType: LinkType.raw, ts: i, data: v4, originalLength: v4.length });
    expect(sink.datagrams[0].src).toBe(sink.datagrams[2].src);
    expect(Object.isFrozen(sink.datagrams[0].src)).toBe(true);
  });
});
