import { LiveCapture } from '../live-capture';
import { CollectingSink } from '../../packet/collecting-sink';
import { PacketPipeline } from '../../packet/packet-pipeline';

// A child process for live-capture.spec.ts: LiveCapture on an interface with a BPF filter into a
// packet pipeline. Prints {"ready":…} once capturing, then, after `count` datagrams or `waitMs`,
// one line {"datagrams":[…],"counters":…} and exits. The process ending releases libpcap's handle,
// which node_pcap only lets go of on the next packet after close().
//   node loopback-probe.js <interface> <filter> <count> [waitMs]

async function main(): Promise<void> {
  const [device, filter, countText, waitText] = process.argv.slice(2);
  const count = Number(countText);
  const sink = new CollectingSink();
  const pipeline = new PacketPipeline(sink);
  const capture = await LiveCapture.start({ interface: device, filter, bufferTimeoutMs: 1 }, pipeline);
  process.stdout.write(`${JSON.stringify({ ready: true, linkType: capture.linkType })}\n`);
  const deadline = Date.now() + Number(waitText ?? 10_000);
  while (sink.datagrams.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  const datagrams = sink.datagrams.map((d) => ({ ...d, payload: d.payload.toString('latin1') }));
  process.stdout.write(`${JSON.stringify({ datagrams, counters: pipeline.counters, stats: capture.stats() })}\n`);
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stdout.write(`${JSON.stringify({ error: String((error as Error)?.message ?? error) })}\n`);
  process.exit(1);
});
