import { LinkType } from './capture-frame';
import { CollectingSink } from './collecting-sink';
import { PacketPipeline } from './packet-pipeline';
import {
  erspan2,
  erspan3,
  ethernetFrame,
  greHeader,
  IP_PROTO_GRE,
  IP_PROTO_UDP,
  ipv4Fragments,
  ipv4Packet,
  ipv6Packet,
  udpDatagram,
} from './pcap-writer';

const invite = Buffer.from('INVITE sip:20008909@192.168.1.222 SIP/2.0\r\n\r\n');
const innerV4 = ipv4Packet({
  src: '192.168.1.191',
  dst: '192.168.1.222',
  protocol: IP_PROTO_UDP,
  payload: udpDatagram(5060, 5060, invite),
});
const innerV6 = ipv6Packet({
  src: 'fd00::1',
  dst: 'fd00::2',
  nextHeader: IP_PROTO_UDP,
  payload: udpDatagram(5060, 5060, invite),
});
const mirrored = ethernetFrame({ etherType: 0x0800, payload: innerV4, vlans: [{ tpid: 0x8100, id: 42 }] });

/** The outer packet a remote switch sends to the capture box: Ethernet / IPv4 / GRE / … */
function overGre(greAndInner: Buffer): Buffer {
  const outer = ipv4Packet({ src: '192.168.1.213', dst: '192.168.8.68', protocol: IP_PROTO_GRE, payload: greAndInner });
  return ethernetFrame({ etherType: 0x0800, payload: outer });
}

function decode(...frames: Buffer[]) {
  const sink = new CollectingSink();
  const pipeline = new PacketPipeline(sink);
  frames.forEach((data, i) => pipeline.push({ linkType: LinkType.ethernet, ts: i, data, originalLength: data.length }));
  return { sink, counters: pipeline.counters };
}

function expectInvite(frame: Buffer, srcIp = '192.168.1.191') {
  const { sink, counters } = decode(frame);
  expect(counters).toMatchObject({ malformed: 0, ignored: 0 });
  expect(sink.datagrams).toHaveLength(1);
  expect(sink.datagrams[0].src).toEqual({ ip: srcIp, port: 5060 });
  expect(sink.datagrams[0].payload.equals(invite)).toBe(true);
}

describe('GRE', () => {
  it('carries a whole Ethernet frame (0x6558)', () => {
    expectInvite(overGre(Buffer.concat([greHeader({ protocol: 0x6558 }), mirrored])));
  });

  it('carries IPv4 (0x0800) and IPv6 (0x86DD) directly', () => {
    expectInvite(overGre(Buffer.concat([greHeader({ protocol: 0x0800 }), innerV4])));
    expectInvite(overGre(Buffer.concat([greHeader({ protocol: 0x86dd }), innerV6])), 'fd00::1');
  });

  it('skips the optional checksum, key and sequence number words', () => {
    const header = greHeader({ protocol: 0x0800, checksum: true, key: 0xdeadbeef, sequence: 99 });
    expect(header).toHaveLength(16);
    expectInvite(overGre(Buffer.concat([header, innerV4])));
  });

  it('ignores PPTP enhanced GRE (version 1) and counts a cut header as malformed', () => {
    const pptp = greHeader({ protocol: 0x880b });
    pptp[1] |= 1;
    expect(decode(overGre(Buffer.concat([pptp, Buffer.alloc(20)]))).counters.ignored).toBe(1);
    expect(decode(overGre(Buffer.from([0x30, 0x00, 0x08, 0x00, 0, 0]))).counters.malformed).toBe(1);
  });

  it('reassembles a fragmented outer packet before decapsulating', () => {
    const greAndInner = Buffer.concat([greHeader({ protocol: 0x6558 }), mirrored]);
    const fragments = ipv4Fragments(
      { src: '10.1.1.1', dst: '10.1.1.2', protocol: IP_PROTO_GRE, payload: greAndInner },
      48,
    );
    const { sink } = decode(...fragments.map((payload) => ethernetFrame({ etherType: 0x0800, payload })));
    expect(sink.datagrams.map((d) => d.payload.toString())).toEqual([invite.toString()]);
  });

  it('refuses tunnels nested deeper than four levels', () => {
    let packet = innerV4;
    for (let depth = 0; depth < 6; depth++) {
      packet = ipv4Packet({
        src: '10.9.9.1',
        dst: '10.9.9.2',
        protocol: IP_PROTO_GRE,
        payload: Buffer.concat([greHeader({ protocol: 0x0800 }), packet]),
      });
    }
    const { sink, counters } = decode(ethernetFrame({ etherType: 0x0800, payload: packet }));
    expect(sink.datagrams).toEqual([]);
    expect(counters.malformed).toBe(1);
  });
});

describe('ERSPAN', () => {
  it('type I (0x88be without a sequence number) carries the frame right after GRE', () => {
    expectInvite(overGre(Buffer.concat([greHeader({ protocol: 0x88be }), mirrored])));
  });

  it('type II (0x88be) skips its 8-byte header', () => {
    expectInvite(overGre(erspan2(mirrored)));
  });

  it('type III (0x22eb) skips its 12-byte header, and the platform sub-header when present', () => {
    expectInvite(overGre(erspan3(mirrored)));
    expectInvite(overGre(erspan3(mirrored, true)));
  });

  it('counts a cut ERSPAN header as malformed', () => {
    const cut = erspan3(mirrored).subarray(0, 8 + 6);
    expect(decode(overGre(cut)).counters.malformed).toBe(1);
  });
});
