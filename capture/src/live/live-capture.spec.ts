import { createSocket } from 'node:dgram';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { removeCliBundle, startEntry } from '../cli/testing/cli-bundle';
import { CollectingSink } from '../packet/collecting-sink';
import { LinkType } from '../packet/capture-frame';
import { PacketPipeline } from '../packet/packet-pipeline';
import { ethernetFrame, IP_PROTO_UDP, ipv4Packet, udpDatagram } from '../packet/pcap-writer';
import {
  LIVE_CAPTURE_INSTALL_HINT,
  LiveCapture,
  LiveCaptureOpenError,
  LiveCaptureUnavailableError,
  linkTypeFromBindingName,
  loadPcapBinding,
  type PcapBinding,
} from './live-capture';
import { liveCaptureAvailability, liveTestsCanRun } from './testing/live-capture-availability';

/** Stands in for node_pcap: records how it was opened and lets the test emit packets. */
class FakeSession extends EventEmitter {
  link_type = 'LINKTYPE_ETHERNET';
  closed = false;
  stats() {
    return { ps_recv: 10, ps_drop: 3, ps_ifdrop: 1 };
  }
  close() {
    this.closed = true;
  }
  deliver(data: Buffer, seconds: number, micros: number) {
    const buf = Buffer.alloc(65_535); // node_pcap reuses one snap-length buffer
    data.copy(buf);
    const header = Buffer.alloc(16);
    header.writeUInt32LE(seconds, 0);
    header.writeUInt32LE(micros, 4);
    header.writeUInt32LE(data.length, 8);
    header.writeUInt32LE(data.length + 4, 12);
    this.emit('packet', { buf, header });
  }
}

function fakeBinding() {
  const session = new FakeSession();
  const opened: { device: string; options: Record<string, unknown> }[] = [];
  const binding: PcapBinding = {
    createSession: (device, options) => {
      opened.push({ device, options });
      return session;
    },
  };
  return { binding, session, opened };
}

const frame = ethernetFrame({
  etherType: 0x0800,
  payload: ipv4Packet({
    src: '10.0.0.1',
    dst: '10.0.0.2',
    protocol: IP_PROTO_UDP,
    payload: udpDatagram(5060, 5060, Buffer.from('BYE')),
  }),
});

describe('LiveCapture', () => {
  it('says exactly what to install when the pcap module cannot be loaded', async () => {
    const missing = loadPcapBinding(() => Promise.reject(new Error("Cannot find module 'pcap'")));
    await expect(missing).rejects.toBeInstanceOf(LiveCaptureUnavailableError);
    await expect(missing).rejects.toThrow(LIVE_CAPTURE_INSTALL_HINT);
    expect(LIVE_CAPTURE_INSTALL_HINT).toBe(
      'live capture needs libpcap: apt-get install libpcap-dev, then npm rebuild pcap',
    );
  });

  it('opens the interface with the filter, snap length and buffer size, defaulting to "udp or tcp"', async () => {
    const { binding, opened } = fakeBinding();
    await LiveCapture.start(
      { interface: 'eth1', snapLength: 1600, bufferBytes: 8 << 20 },
      new PacketPipeline(new CollectingSink()),
      binding,
    );
    expect(opened).toEqual([
      {
        device: 'eth1',
        options: {
          filter: 'udp or tcp',
          snap_length: 1600,
          buffer_size: 8 << 20,
          buffer_timeout: 10,
          promiscuous: true,
        },
      },
    ]);
  });

  it('delivers frames with their capture timestamp and link type, and reports pcap drop counters', async () => {
    const { binding, session } = fakeBinding();
    const sink = new CollectingSink();
    const capture = await LiveCapture.start({ interface: 'eth1', filter: 'udp' }, new PacketPipeline(sink), binding);
    session.deliver(frame, 1_700_000_000, 123_456);
    expect(capture.linkType).toBe(LinkType.ethernet);
    expect(sink.datagrams).toHaveLength(1);
    expect(sink.datagrams[0].ts).toBe(1_700_000_000_123_456);
    expect(sink.datagrams[0].payload.toString()).toBe('BYE');
    expect(capture.stats()).toEqual({ received: 10, kernelDrops: 3, interfaceDrops: 1 });
    capture.stop();
    expect(session.closed).toBe(true);
  });

  it('keeps a throwing frame handler from reaching the native callback', async () => {
    const { binding, session } = fakeBinding();
    const handler = {
      frame: () => {
        throw new Error('handler bug');
      },
      malformedFrame: () => undefined,
    };
    const capture = await LiveCapture.start({ interface: 'eth1' }, handler, binding);
    expect(() => session.deliver(frame, 1, 2)).not.toThrow();
    expect(capture.failedDeliveries).toBe(1);
  });

  it('names the interface and filter when opening fails', async () => {
    const binding: PcapBinding = {
      createSession: () => {
        throw new Error('eth9: No such device exists');
      },
    };
    const opening = LiveCapture.start(
      { interface: 'eth9', filter: 'udp port 5060' },
      new PacketPipeline(new CollectingSink()),
      binding,
    );
    await expect(opening).rejects.toBeInstanceOf(LiveCaptureOpenError);
    await expect(opening).rejects.toThrow(
      'cannot capture on interface "eth9" with filter "udp port 5060": eth9: No such device exists',
    );
  });

  it('maps node_pcap link type names, including the ones it only numbers', () => {
    expect(linkTypeFromBindingName('LINKTYPE_LINUX_SLL')).toBe(113);
    expect(linkTypeFromBindingName('LINKTYPE_NULL')).toBe(0);
    expect(linkTypeFromBindingName('Unknown linktype 276')).toBe(276);
    expect(linkTypeFromBindingName('gibberish')).toBe(-1);
  });
});

// On a machine with libpcap and capture rights (root in CI, or CAP_NET_RAW): sniff loopback for real,
// in a child process (loopback-probe.ts) so that no native capture handle lives in the jest process.
const describeLive = liveTestsCanRun('LiveCapture on loopback') ? describe : describe.skip;

describeLive('LiveCapture on loopback', () => {
  afterAll(() => removeCliBundle());

  it('captures UDP datagrams sent to 127.0.0.1 through the packet pipeline', async () => {
    const port = 40_000 + (process.pid % 20_000);
    const probe = await startEntry(join(__dirname, 'testing/loopback-probe.ts'), ['lo', `udp port ${port}`, '20'], {});
    await probe.waitForOutput(/"ready":true/);
    const socket = createSocket('udp4');
    try {
      for (let i = 0; i < 20; i++) {
        await new Promise<void>((resolve, reject) =>
          socket.send(Buffer.from(`OPTIONS ${i}`), port, '127.0.0.1', (error) => (error ? reject(error) : resolve())),
        );
      }
    } finally {
      socket.close();
    }
    const line = await probe.waitForOutput(/"datagrams"/);
    expect(await probe.exited).toBe(0);
    const result = JSON.parse(line) as {
      datagrams: { ts: number; dst: { ip: string; port: number }; payload: string }[];
      counters: { malformed: number };
    };
    expect(result.datagrams.map((d) => d.payload)).toEqual(Array.from({ length: 20 }, (_, i) => `OPTIONS ${i}`));
    expect(result.datagrams[0].dst).toEqual({ ip: '127.0.0.1', port });
    const skew = Math.abs(result.datagrams[0].ts - Date.now() * 1000);
    expect(skew).toBeLessThan(60_000_000); // the kernel's capture time, in µs since the epoch
    expect(result.counters.malformed).toBe(0);
  });
});

// CI runs as root with libpcap installed: there the live tests must run, not skip (unless
// CAPTURE_LIVE_TESTS=0 says so on purpose).
(process.env['CI'] && process.env['CAPTURE_LIVE_TESTS'] !== '0' ? it : it.skip)(
  'can capture on lo in CI, so the live tests run there',
  () => {
    expect(liveCaptureAvailability('lo')).toEqual({ available: true, reason: '' });
  },
);
