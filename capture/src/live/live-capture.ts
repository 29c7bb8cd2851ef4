import { endianness } from 'node:os';
import type { CaptureFrame, FrameHandler } from '../packet/capture-frame';
import { LinkType } from '../packet/capture-frame';

// Live capture through libpcap. The binding is the `pcap` npm module (node_pcap), an optional
// dependency built from source against Debian's libpcap-dev: unlike `cap` it hands over each
// packet's capture timestamp, takes a snap length and reports pcap_stats() (kernel and interface
// drops), which the site heartbeat needs. It is loaded only when live capture starts, so the
// offline reader works on a machine without libpcap.

export const LIVE_CAPTURE_INSTALL_HINT =
  'live capture needs libpcap: apt-get install libpcap-dev, then npm rebuild pcap';

export class LiveCaptureUnavailableError extends Error {
  constructor(cause: unknown) {
    super(
      `${LIVE_CAPTURE_INSTALL_HINT} (loading the pcap module failed: ${String((cause as Error)?.message ?? cause)})`,
    );
    this.name = 'LiveCaptureUnavailableError';
  }
}

/** Opening the interface failed: no such device, no permission (needs CAP_NET_RAW), bad filter. */
export class LiveCaptureOpenError extends Error {
  constructor(interfaceName: string, filter: string, cause: unknown) {
    super(
      `cannot capture on interface "${interfaceName}" with filter "${filter}": ${String((cause as Error)?.message ?? cause)}` +
        ' (capturing needs root or CAP_NET_RAW and CAP_NET_ADMIN, e.g. a container with host networking)',
    );
    this.name = 'LiveCaptureOpenError';
  }
}

export interface LiveCaptureOptions {
  interface: string;
  /** BPF filter; the default keeps what can carry SIP and RTP. */
  filter?: string;
  snapLength?: number;
  /** Kernel capture buffer; bigger rides out bursts without drops. */
  bufferBytes?: number;
  /**
   * How long the kernel may hold packets to hand them over in batches (ms). Batching cuts the
   * per-packet cost at high rates; call events must still go out within 100 ms of capture.
   */
  bufferTimeoutMs?: number;
}

export const LIVE_CAPTURE_DEFAULTS = {
  filter: 'udp or tcp',
  snapLength: 65_535,
  bufferBytes: 64 << 20,
  bufferTimeoutMs: 10,
} as const;

/** The part of the `pcap` module's API we use. */
export interface PcapBinding {
  createSession(device: string, options: Record<string, unknown>): PcapBindingSession;
}

export interface PcapBindingSession {
  readonly link_type: string;
  on(event: 'packet', listener: (packet: { buf: Buffer; header: Buffer }) => void): unknown;
  stats(): { ps_recv: number; ps_drop: number; ps_ifdrop: number };
  close(): void;
}

export interface LiveCaptureStats {
  received: number;
  kernelDrops: number;
  interfaceDrops: number;
}

async function importPcap(): Promise<PcapBinding> {
  // A computed name keeps the type checker (and a build without the optional module) from
  // resolving it at compile time: whether it is there is only known when capture starts.
  const moduleName = 'pcap';
  return (await import(moduleName)) as PcapBinding;
}

export async function loadPcapBinding(importer: () => Promise<PcapBinding> = importPcap): Promise<PcapBinding> {
  try {
    return await importer();
  } catch (error) {
    throw new LiveCaptureUnavailableError(error);
  }
}

/** node_pcap names the link types it knows and says "Unknown linktype N" for the others. */
export function linkTypeFromBindingName(name: string): number {
  const known: Record<string, number> = {
    LINKTYPE_NULL: LinkType.null,
    LINKTYPE_ETHERNET: LinkType.ethernet,
    LINKTYPE_RAW: LinkType.raw,
    LINKTYPE_LINUX_SLL: LinkType.linuxSll,
  };
  if (name in known) return known[name];
  const numeric = /linktype (\d+)/i.exec(name);
  return numeric ? Number(numeric[1]) : -1;
}

/** Captures frames from a network interface into a FrameHandler (e.g. a PacketPipeline). */
export class LiveCapture {
  private session: PcapBindingSession | null = null;
  private frame: CaptureFrame = { linkType: -1, ts: 0, data: Buffer.alloc(0), originalLength: 0 };
  private handlerErrors = 0;

  private constructor(
    private readonly handler: FrameHandler,
    readonly options: Required<LiveCaptureOptions>,
  ) {}

  /**
   * Opens the interface and starts delivering frames. Rejects with LiveCaptureUnavailableError
   * when libpcap or the module is missing and LiveCaptureOpenError when the interface cannot be opened.
   */
  static async start(options: LiveCaptureOptions, handler: FrameHandler, binding?: PcapBinding): Promise<LiveCapture> {
    const pcap = binding ?? (await loadPcapBinding());
    const complete = { ...LIVE_CAPTURE_DEFAULTS, ...definedOnly(options) } as Required<LiveCaptureOptions>;
    const capture = new LiveCapture(handler, complete);
    capture.open(pcap);
    return capture;
  }

  get linkType(): number {
    return this.frame.linkType;
  }

  /** Counters from pcap_stats(): packets the kernel saw, dropped for lack of buffer, dropped by the NIC. */
  stats(): LiveCaptureStats {
    if (!this.session) return { received: 0, kernelDrops: 0, interfaceDrops: 0 };
    const stats = this.session.stats();
    return { received: stats.ps_recv, kernelDrops: stats.ps_drop, interfaceDrops: stats.ps_ifdrop };
  }

  /** Exceptions thrown by the frame handler (they must not reach libpcap's callback, which aborts). */
  get failedDeliveries(): number {
    return this.handlerErrors;
  }

  /**
   * Stops delivering frames. node_pcap's close() only breaks libpcap's loop: the handle is released
   * (and stops holding the event loop open) on the next packet the kernel hands over. A service
   * stopping for good exits anyway; a test sends one more matching packet.
   */
  stop(): void {
    this.session?.close();
    this.session = null;
  }

  private open(pcap: PcapBinding): void {
    const { interface: device, filter } = this.options;
    let session: PcapBindingSession;
    try {
      session = pcap.createSession(device, {
        filter,
        snap_length: this.options.snapLength,
        buffer_size: this.options.bufferBytes,
        buffer_timeout: this.options.bufferTimeoutMs,
        promiscuous: true,
      });
    } catch (error) {
      throw new LiveCaptureOpenError(device, filter, error);
    }
    this.session = session;
    this.frame.linkType = linkTypeFromBindingName(session.link_type);
    const littleEndian = endianness() === 'LE';
    session.on('packet', ({ buf, header }) => {
      // The header holds the native pcap_pkthdr fields: seconds, microseconds, captured and wire length.
      const seconds = littleEndian ? header.readUInt32LE(0) : header.readUInt32BE(0);
      const micros = littleEndian ? header.readUInt32LE(4) : header.readUInt32BE(4);
      const captured = littleEndian ? header.readUInt32LE(8) : header.readUInt32BE(8);
      const wire = littleEndian ? header.readUInt32LE(12) : header.readUInt32BE(12);
      const frame = this.frame;
      frame.ts = seconds * 1_000_000 + micros;
      frame.data = buf.subarray(0, Math.min(captured, buf.length));
      frame.originalLength = wire;
      try {
        this.handler.frame(frame);
      } catch {
        // An exception escaping into node_pcap's native callback would end the process.
        this.handlerErrors++;
      }
    });
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
