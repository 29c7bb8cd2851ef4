import { CollectingSink } from './collecting-sink';
import { emptyPacketCounters } from './packet-pipeline';
import type { Endpoint } from './packet-types';
import {
  DEFAULT_TCP_LIMITS,
  TCP_FIN,
  TCP_RST,
  TCP_SYN,
  TcpStreamReassembler,
  type TcpReassemblyLimits,
} from './tcp-reassembly';

const client: Endpoint = { ip: '10.0.0.1', port: 40000 };
const server: Endpoint = { ip: '10.0.0.2', port: 5060 };
const FORWARD = '10.0.0.1:40000>10.0.0.2:5060';
const BACKWARD = '10.0.0.2:5060>10.0.0.1:40000';

function setup(limits: Partial<TcpReassemblyLimits> = {}) {
  const sink = new CollectingSink();
  const counters = emptyPacketCounters();
  const tcp = new TcpStreamReassembler(sink, counters, { ...DEFAULT_TCP_LIMITS, ...limits });
  let ts = 1_000_000;
  const send = (seq: number, text: string, flags = 0, from = client, to = server) =>
    tcp.segment(from, to, (ts += 1000), seq >>> 0, flags, Buffer.from(text));
  const stream = (key = FORWARD) => sink.tcpStreams().get(key)?.toString() ?? '';
  return { sink, counters, tcp, send, stream, now: () => ts };
}

describe('TCP stream reassembly', () => {
  it('delivers in order after the handshake', () => {
    const { send, stream, sink } = setup();
    send(1000, '', TCP_SYN);
    send(5000, '', TCP_SYN, server, client);
    send(1001, 'INVITE ');
    send(1008, 'sip:bob SIP/2.0\r\n');
    send(5001, 'SIP/2.0 100 Trying\r\n', 0, server, client);
    expect(stream()).toBe('INVITE sip:bob SIP/2.0\r\n');
    expect(stream(BACKWARD)).toBe('SIP/2.0 100 Trying\r\n');
    expect(sink.tcpChunks.map((c) => c.ts)).toEqual([1_003_000, 1_004_000, 1_005_000]);
  });

  it('buffers out-of-order segments until the gap is filled', () => {
    const { send, stream, sink } = setup();
    send(1000, '', TCP_SYN);
    send(1011, 'CCCCC');
    send(1006, 'BBBBB');
    expect(stream()).toBe('');
    send(1001, 'AAAAA');
    expect(stream()).toBe('AAAAABBBBBCCCCC');
    expect(sink.tcpChunks).toHaveLength(3);
  });

  it('delivers retransmitted and overlapping bytes once, counting retransmissions', () => {
    const { send, stream, counters } = setup();
    send(1000, '', TCP_SYN);
    send(1001, 'ABCDE');
    send(1001, 'ABCDE'); // full retransmission
    send(1004, 'DEFGH'); // overlaps the last two bytes
    send(1012, 'LMN'); // out of order…
    send(1012, 'LMN'); // …and retransmitted while waiting
    send(1009, 'IJKLM'); // fills the gap and overlaps the buffered segment
    expect(stream()).toBe('ABCDEFGHIJKLMN');
    expect(counters.tcpRetransmissions).toBe(4);
  });

  it('handles sequence numbers that wrap around 2^32', () => {
    const { send, stream } = setup();
    send(0xfffffff0, '', TCP_SYN);
    send(0xfffffff1, 'a'.repeat(10));
    send(0xfffffffb + 10, 'c'.repeat(5)); // after the wrap, out of order
    send(0xfffffffb, 'b'.repeat(10)); // crosses the wrap
    send(0xfffffff1, 'a'.repeat(10)); // an old retransmission from before the wrap
    expect(stream()).toBe('a'.repeat(10) + 'b'.repeat(10) + 'c'.repeat(5));
  });

  it('passes several messages in one segment and one message across segments through as bytes', () => {
    const { send, stream } = setup();
    const two = 'OPTIONS sip:a SIP/2.0\r\nContent-Length: 0\r\n\r\nOPTIONS sip:b SIP/2.0\r\nContent-Length: 0\r\n\r\n';
    send(1, two.slice(0, 30));
    send(31, two.slice(30));
    expect(stream()).toBe(two);
  });

  it('picks a connection up mid-stream at the first segment seen', () => {
    const { send, stream } = setup();
    send(777_777, 'SIP/2.0 200 OK\r\n');
    send(777_777 + 16, 'Content-Length: 0\r\n\r\n');
    expect(stream()).toBe('SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n');
  });

  it('closes a direction on FIN once all bytes before it arrived, and ignores late retransmissions', () => {
    const { send, stream, sink, counters } = setup();
    send(1000, '', TCP_SYN);
    send(1006, 'world', TCP_FIN); // FIN ahead of a gap
    expect(sink.closed).toEqual([]);
    send(1001, 'hello');
    expect(stream()).toBe('helloworld');
    expect(sink.closed.map((c) => c.direction)).toEqual([FORWARD]);
    send(1001, 'hello'); // retransmitted after the close
    expect(stream()).toBe('helloworld');
    expect(counters.tcpRetransmissions).toBe(1);
  });

  it('closes both directions on RST', () => {
    const { send, sink } = setup();
    send(1, 'request');
    send(9, 'response', 0, server, client);
    send(0, '', TCP_RST, server, client);
    expect(sink.closed.map((c) => c.direction).sort()).toEqual([FORWARD, BACKWARD].sort());
  });

  it('starts over when a new SYN reuses the ports', () => {
    const { send, stream, sink } = setup();
    send(1000, '', TCP_SYN);
    send(1001, 'first ');
    send(9000, '', TCP_SYN);
    send(9001, 'second');
    expect(stream()).toBe('first second');
    expect(sink.closed).toHaveLength(1);
  });

  it('skips a gap that buffering would exceed its bound for, telling the consumer first', () => {
    const { send, stream, sink, tcp } = setup({ maxBufferedBytesPerDirection: 1000 });
    send(1, 'start');
    send(1000, 'x'.repeat(600));
    expect(sink.closed).toEqual([]);
    send(1600, 'y'.repeat(600)); // 1200 bytes waiting: give up on bytes 6..999
    expect(sink.closed.map((c) => c.direction)).toEqual([FORWARD]);
    expect(stream()).toBe('start' + 'x'.repeat(600) + 'y'.repeat(600));
    expect(tcp.gapsSkipped).toBe(1);
  });

  it('skips a gap that stays open longer than the gap timeout', () => {
    const { send, stream, tcp, now } = setup({ gapTimeoutMicros: 5_000_000 });
    send(1, 'start');
    send(100, 'later');
    tcp.expire(now() + 1_000_000);
    expect(stream()).toBe('start');
    tcp.expire(now() + 6_000_000);
    expect(stream()).toBe('startlater');
  });

  it('forgets idle connections and caps how many are tracked', () => {
    const { send, tcp, sink, now } = setup({ idleTimeoutMicros: 10_000_000, maxDirections: 50 });
    for (let port = 1; port <= 200; port++) send(1, 'x', 0, { ip: '10.0.0.9', port }, server);
    expect(tcp.trackedDirections).toBe(50);
    expect(sink.closed).toHaveLength(150);
    tcp.expire(now() + 11_000_000);
    expect(tcp.trackedDirections).toBe(0);
    expect(sink.closed).toHaveLength(200);
  });

  it('does not track bare ACKs', () => {
    const { send, tcp } = setup();
    for (let i = 0; i < 10; i++) send(i, '');
    expect(tcp.trackedDirections).toBe(0);
  });
});
