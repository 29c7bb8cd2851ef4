import { CallAssembler } from '../../calls/call-assembler';
import type { UdpDatagram } from '../../packet/packet-types';
import { CallSpool, type CallSpoolOptions } from '../call-spool';
import { ClockedSink } from '../clocked-sink';

// The live wiring of the spool without a network: datagrams into a clocked sink, the call
// assembler, and the spool as its media log factory and progress/end listener.

export interface SpoolRig {
  spool: CallSpool;
  assembler: CallAssembler;
  sink: ClockedSink;
  logs: { level: string; msg: string; fields?: Record<string, unknown> }[];
  feed(datagrams: UdpDatagram[]): void;
}

export async function openSpoolRig(root: string, options: Partial<CallSpoolOptions> = {}): Promise<SpoolRig> {
  const clock = { nowUs: 0 };
  const logs: SpoolRig['logs'] = [];
  const spool = await CallSpool.open({
    root,
    capacityBytes: 1 << 30,
    siteKey: 'ak_testsite',
    clock,
    log: (level, msg, fields) => logs.push({ level, msg, fields }),
    ...options,
  });
  const assembler = new CallAssembler(
    { mediaLogFactory: spool.mediaLogFactory, onCallProgress: (progress) => spool.onCallProgress(progress) },
    (call) => spool.onCallEnded(call),
  );
  const sink = new ClockedSink(assembler, clock);
  return {
    spool,
    assembler,
    sink,
    logs,
    feed: (datagrams) => [...datagrams].sort((a, b) => a.ts - b.ts).forEach((d) => sink.udp(d)),
  };
}
