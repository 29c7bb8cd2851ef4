import { LinkType } from './capture-frame';
import { CollectingSink } from './collecting-sink';
import { IpFragmentReassembler, DEFAULT_REASSEMBLY_LIMITS } from './ip-reassembly';
import { emptyPacketCounters, PacketPipeline, type PacketPipelineOptions } from './packet-pipeline';
import { IP_PROTO_UDP, ipv4Fragments, ipv4Packet, ipv6Fragments, udpDatagram } from './pcap-writer';

// A SIP-sized payload with recognisable bytes at every offset.
const body = Buffer.from(Array.from({ length: 3000 }, (_, i) => `${i % 10}`).join(''));
const datagram = udpDatagram(5060, 5060, body);
const v4 = (id = 7) =>
  ipv4Fragments({ src: '192.0.2.1', dst: '192.0.2.2', protocol: IP_PROTO_UDP, payload: datagram, id }, 1000);
const v6 = (id = 9) =>
  ipv6Fragments({ src: '2001:db8::1', dst: '2001:db8::2', nextHeader: IP_PROTO_UDP, payload: datagram }, 1000, id);

function run(packets: Buffer[], options: PacketPipelineOptions = {}, spacingMicros = 1000) {
  const sink = new CollectingSink();
  const pipeline = new PacketPipeline(sink, options);
  packets.forEach((data, i) =>
    pipeline.push({ linkType: LinkType.raw, ts: 1_000_000_000 + i * spacingMicros, data, originalLength: data.length }),
  );
  return { sink, pipeline };
}

describe.each([
  ['IPv4', v4],
  ['IPv6', v6],
])('%s fragment reassembly', (_name, fragments) => {
  it('reassembles fragments in order into one datagram', () => {
    const packets = fragments();
    expect(packets).toHaveLength(4);
    const { sink, pipeline } = run(packets);
    expect(sink.datagrams).toHaveLength(1);
    expect(sink.datagrams[0].payload.equals(body)).toBe(true);
    expect(pipeline.counters).toMatchObject({ ipFragments: 4, ipReassembled: 1, malformed: 0 });
  });

  it('reassembles fragments in any order', () => {
    const [a, b, c, d] = fragments();
    for (const order of [
      [d, c, b, a],
      [b, d, a, c],
      [c, a, d, b],
    ]) {
      const { sink } = run(order);
      expect(sink.datagrams.map((g) => g.payload.equals(body))).toEqual([true]);
    }
  });

  it('delivers once when a fragment is duplicated', () => {
    const [a, b, c, d] = fragments();
    const { sink } = run([a, b, b, c, a, d, d]);
    expect(sink.datagrams).toHaveLength(1);
    expect(sink.datagrams[0].payload.equals(body)).toBe(true);
  });

  it('keeps two datagrams with different identifications apart', () => {
    const first = fragments(1);
    const second = fragments(2);
    const interleaved = first.flatMap((packet, i) => [packet, second[3 - i]]);
    expect(run(interleaved).sink.datagrams).toHaveLength(2);
  });

  it('gives up a datagram with a missing fragment after 30 s of capture time', () => {
    const [a, b, , d] = fragments();
    const { sink, pipeline } = run([a, b, d]);
    expect(sink.datagrams).toEqual([]);
    expect(pipeline.fragments.pendingDatagrams).toBe(1);
    // Any frame 30 s later (capture time) triggers the sweep.
    const later = udpDatagram(1, 2, Buffer.from('x'));
    const other = ipv4Packet({ src: '198.51.100.1', dst: '198.51.100.2', protocol: IP_PROTO_UDP, payload: later });
    pipeline.push({
      linkType: LinkType.raw,
      ts: 1_000_000_000 + 31_000_000,
      data: other,
      originalLength: other.length,
    });
    expect(pipeline.fragments.pendingDatagrams).toBe(0);
    expect(pipeline.fragments.stats.expired).toBe(1);
  });
});

describe('overlapping fragments', () => {
  const counters = emptyPacketCounters();
  const reassembler = () => new IpFragmentReassembler(counters);
  const bytes = (text: string) => Buffer.from(text);

  it('reassembles consistent overlaps, each byte once', () => {
    const r = reassembler();
    expect(r.add('k', 'f', 0, 0, bytes('AAAAAAAABBBBBBBB'), true, 17)).toBeNull();
    expect(r.add('k', 'f', 0, 8, bytes('BBBBBBBBCCCCCCCC'), true, 17)).toBeNull();
    const whole = r.add('k', 'f', 0, 16, bytes('CCCCCCCCDD'), false, 17);
    expect(whole?.toString()).toBe('AAAAAAAABBBBBBBBCCCCCCCCDD');
    expect(r.stats.overlaps).toBe(2);
  });

  it('keeps the bytes that arrived first when a later fragment tries to rewrite them', () => {
    const r = reassembler();
    r.add('k', 'f', 0, 0, bytes('AAAAAAAAAAAAAAAA'), true, 17);
    const whole = r.add('k', 'f', 0, 8, bytes('XXXXXXXXXXXXXXXXYY'), false, 17);
    expect(whole?.toString()).toBe('AAAAAAAAAAAAAAAAXXXXXXXXYY');
  });

  it('fills a hole between two fragments from one that covers it and both neighbours', () => {
    const r = reassembler();
    r.add('k', 'f', 0, 0, bytes('AAAAAAAA'), true, 17);
    r.add('k', 'f', 0, 16, bytes('CCCCCCCC'), false, 17);
    const whole = r.add('k', 'f', 0, 0, bytes('xxxxxxxxBBBBBBBBxxxxxxxx'), true, 17);
    expect(whole?.toString()).toBe('AAAAAAAABBBBBBBBCCCCCCCC');
  });

  it('rejects contradictions: two different ends, data past the end, odd middle fragments, > 64 KiB', () => {
    const r = reassembler();
    const before = counters.malformed;
    r.add('a', 'f', 0, 0, bytes('AAAAAAAA'), false, 17);
    expect(r.add('b', 'f', 0, 16, bytes('AAAAAAAA'), false, 17)).toBeNull();
    expect(r.add('b', 'f', 0, 8, bytes('AAAAAAAA'), false, 17)).toBeNull(); // a second, different end
    expect(r.add('c', 'f', 0, 0, bytes('AAAAAAA'), true, 17)).toBeNull(); // 7 bytes, more to come
    expect(r.add('d', 'f', 0, 65_528, bytes('AAAAAAAAAA'), false, 17)).toBeNull();
    expect(counters.malformed - before).toBe(3);
    expect(r.stats.rejected).toBe(3);
    expect(r.pendingDatagrams).toBe(0);
  });
});

describe('reassembly bounds', () => {
  it('holds at most maxPendingPerFlow datagrams between two hosts, dropping the oldest', () => {
    const r = new IpFragmentReassembler(emptyPacketCounters(), { ...DEFAULT_REASSEMBLY_LIMITS, maxPendingPerFlow: 3 });
    for (let id = 0; id < 10; id++) r.add(`k${id}`, 'flow', id, 0, Buffer.alloc(8), true, 17);
    r.add('other', 'flow2', 0, 0, Buffer.alloc(8), true, 17);
    expect(r.pendingDatagrams).toBe(4);
    expect(r.stats.evicted).toBe(7);
    // the newest of the flow is still there and completes
    expect(r.add('k9', 'flow', 20, 8, Buffer.alloc(4), false, 17)?.length).toBe(12);
  });

  it('holds at most maxPendingDatagrams and maxPendingBytes overall', () => {
    const limits = { ...DEFAULT_REASSEMBLY_LIMITS, maxPendingDatagrams: 100, maxPendingBytes: 64 * 1024 };
    const r = new IpFragmentReassembler(emptyPacketCounters(), limits);
    for (let id = 0; id < 1000; id++) r.add(`k${id}`, `f${id}`, id, 0, Buffer.alloc(8), true, 17);
    expect(r.pendingDatagrams).toBe(100);
    for (let id = 0; id < 100; id++) r.add(`big${id}`, `g${id}`, id, 0, Buffer.alloc(4000), true, 17);
    expect(r.pendingDatagrams).toBeLessThanOrEqual(17);
  });

  it('bounds the pieces one datagram can be cut into', () => {
    const counters = emptyPacketCounters();
    const r = new IpFragmentReassembler(counters);
    // Every other 8-byte slot: each fragment becomes a piece of its own.
    for (let i = 0; i < 3000; i++) r.add('k', 'f', 0, i * 16, Buffer.alloc(8), true, 17);
    expect(r.stats.rejected).toBeGreaterThan(0);
    expect(r.pendingDatagrams).toBeLessThanOrEqual(1);
  });
});

describe('IPv6 fragment details', () => {
  it('treats an atomic fragment (offset 0, no more) as a whole packet', () => {
    const [only] = ipv6Fragments(
      { src: '2001:db8::1', dst: '2001:db8::2', nextHeader: IP_PROTO_UDP, payload: datagram },
      8192,
    );
    const { sink, pipeline } = run([only]);
    expect(sink.datagrams).toHaveLength(1);
    expect(pipeline.counters.ipFragments).toBe(0);
  });

  it('keeps hop-by-hop options before the fragment header', () => {
    const packets = ipv6Fragments(
      {
        src: '2001:db8::1',
        dst: '2001:db8::2',
        nextHeader: IP_PROTO_UDP,
        payload: datagram,
        extensionHeaders: [{ type: 0 }],
      },
      1000,
    );
    const { sink } = run(packets.reverse());
    expect(sink.datagrams[0].payload.equals(body)).toBe(true);
    expect(sink.datagrams[0].src.ip).toBe('2001:db8::1');
  });
});
