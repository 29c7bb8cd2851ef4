import { LinkType } from './capture-frame';
import { CollectingSink } from './collecting-sink';
import { PacketPipeline } from './packet-pipeline';
import type { PacketSink } from './packet-types';
import {
  ethernetFrame,
  IP_PROTO_TCP,
  IP_PROTO_UDP,
  ipv4Packet,
  TCP_FLAGS,
  tcpSegment,
  udpDatagram,
} from './pcap-writer';

const udpFrame = (srcPort: number, text: string) =>
  ethernetFrame({
    etherType: 0x0800,
    payload: ipv4Packet({
      src: '10.0.0.1',
      dst: '10.0.0.2',
      protocol: IP_PROTO_UDP,
      payload: udpDatagram(srcPort, 5060, Buffer.from(text)),
    }),
  });
const tcpFrame = (dstPort: number, seq: number, text: string, flags?: number) =>
  ethernetFrame({
    etherType: 0x0800,
    payload: ipv4Packet({
      src: '10.0.0.1',
      dst: '10.0.0.2',
      protocol: IP_PROTO_TCP,
      payload: tcpSegment({ srcPort: 33000, dstPort, seq, flags, payload: Buffer.from(text) }),
    }),
  });
const push = (pipeline: PacketPipeline, data: Buffer, ts = 0) =>
  pipeline.push({ linkType: LinkType.ethernet, ts, data, originalLength: data.length });

describe('PacketPipeline', () => {
  it('counts frames and captured bytes', () => {
    const pipeline = new PacketPipeline(new CollectingSink());
    push(pipeline, udpFrame(1, 'a'));
    push(pipeline, udpFrame(1, 'bb'));
    expect(pipeline.counters).toMatchObject({ frames: 2, bytes: udpFrame(1, 'a').length + udpFrame(1, 'bb').length });
  });

  it('counts a consumer exception apart from malformed input and goes on with the next frame', () => {
    const delivered: string[] = [];
    const sink: PacketSink = {
      udp: (datagram) => {
        if (datagram.src.port === 666) throw new Error('consumer bug');
        delivered.push(datagram.payload.toString());
      },
      tcp: () => undefined,
    };
    const pipeline = new PacketPipeline(sink);
    expect(() => push(pipeline, udpFrame(666, 'boom'))).not.toThrow();
    push(pipeline, udpFrame(1, 'fine'));
    expect(delivered).toEqual(['fine']);
    expect(pipeline.sinkErrors).toBe(1);
    expect((pipeline.lastSinkError as Error).message).toBe('consumer bug');
    expect(pipeline.counters.malformed).toBe(0);
  });

  it('counts a frame the decoder chokes on as malformed without throwing', () => {
    const pipeline = new PacketPipeline(new CollectingSink());
    // A frame whose data is not a Buffer at all is the crudest decoder failure there is.
    expect(() =>
      pipeline.push({ linkType: 1, ts: 0, data: null as unknown as Buffer, originalLength: 0 }),
    ).not.toThrow();
    expect(pipeline.counters.malformed).toBe(1);
    expect(pipeline.decoderErrors).toBe(1);
    expect(pipeline.lastDecoderError).toBeInstanceOf(TypeError);
  });

  it('counts records the reader could not frame as malformed frames, keeping the reason', () => {
    const pipeline = new PacketPipeline(new CollectingSink());
    pipeline.malformedFrame('capture file ends inside a record');
    expect(pipeline.counters).toMatchObject({ frames: 1, malformed: 1 });
    expect(pipeline.lastMalformedReason).toBe('capture file ends inside a record');
  });

  it('follows only the TCP connections the predicate accepts', () => {
    const sink = new CollectingSink();
    const pipeline = new PacketPipeline(sink, { followTcp: (src, dst) => src === 5060 || dst === 5060 });
    push(pipeline, tcpFrame(443, 1, 'tls'));
    push(pipeline, tcpFrame(5060, 1, 'REGISTER'));
    expect(sink.tcpChunks.map((c) => c.bytes.toString())).toEqual(['REGISTER']);
    expect(pipeline.counters.ignored).toBe(1);
  });

  it('closes open TCP directions when the input ends', () => {
    const sink = new CollectingSink();
    const pipeline = new PacketPipeline(sink);
    push(pipeline, tcpFrame(5060, 1, 'half a mess'));
    pipeline.finish();
    expect(sink.closed.map((c) => c.direction)).toEqual(['10.0.0.1:33000>10.0.0.2:5060']);
    expect(pipeline.tcp.trackedDirections).toBe(0);
  });

  it('expires idle TCP state by capture time as frames flow', () => {
    const sink = new CollectingSink();
    const pipeline = new PacketPipeline(sink, { tcp: { idleTimeoutMicros: 5_000_000 } });
    push(pipeline, tcpFrame(5060, 1, 'x', TCP_FLAGS.ack), 0);
    push(pipeline, udpFrame(1, 'tick'), 6_000_000);
    expect(sink.closed).toHaveLength(1);
  });
});
