import { performance } from 'node:perf_hooks';
import { CallAssembler } from '../calls/call-assembler';
import { readCaptureFile } from '../packet/capture-file';
import { PacketPipeline } from '../packet/packet-pipeline';
import { CallSpool } from '../spool/call-spool';
import { ClockedSink } from '../spool/clocked-sink';
import { codecTable, scanMedia } from '../spool/spooled-media';
import { MEDIA_FILE, SpoolStore } from '../spool/spool-store';
import { benchCall, type ConcurrentCallsCapture } from './concurrent-calls-pcap';

// Parse + pair + spool, timed: the live service's wiring (packet pipeline -> clocked sink -> call
// assembler -> crash-safe spool with its flush/fsync timers) fed from the capture file instead of
// libpcap. Ended calls are finalised and moved to done/ as live, but not encoded (the encoder is
// measured on its own). Everything runs on the one JavaScript thread; the spool's writes and
// fsyncs go to libuv's thread pool, which is why the CPU time is reported beside the wall time.

export interface PacketPathResult {
  wallSeconds: number;
  /** Until the last packet was through (the rest of wallSeconds: the spool finishing the calls that ended last). */
  packetsSeconds: number;
  /** User + system CPU of the whole process (main thread and the write threads). */
  cpuSeconds: number;
  frames: number;
  rtpPackets: number;
  sipMessages: number;
  callsStarted: number;
  callsEnded: number;
  /** Everything that would count as lost or broken: all must be zero. */
  problems: Record<string, number>;
  spoolBytes: number;
}

export async function runPacketPath(pcapPath: string, spoolRoot: string): Promise<PacketPathResult> {
  const clock = { nowUs: 0 };
  const spool = await CallSpool.open({
    root: spoolRoot,
    capacityBytes: Number.MAX_SAFE_INTEGER,
    siteKey: 'ak_bench',
    clock,
    encodeEndedCalls: false,
    log: (level, msg, fields) => {
      if (level !== 'info') process.stderr.write(`spool ${level}: ${msg} ${JSON.stringify(fields ?? {})}\n`);
    },
  });
  const assembler = new CallAssembler(
    { mediaLogFactory: spool.mediaLogFactory, onCallProgress: (progress) => spool.onCallProgress(progress) },
    (call) => spool.onCallEnded(call),
  );
  const sink = new ClockedSink(assembler, clock);
  const pipeline = new PacketPipeline(sink);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  spool.startTimers();
  await readCaptureFile(pcapPath, pipeline);
  pipeline.finish();
  assembler.finish(sink.latestUs);
  const packetsSeconds = (performance.now() - started) / 1000;
  await spool.idle();
  await spool.close();
  const wallSeconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const a = assembler.counters;
  const p = pipeline.counters;
  return {
    wallSeconds,
    packetsSeconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    frames: p.frames,
    rtpPackets: a.rtpPackets,
    sipMessages: a.sipMessages,
    callsStarted: a.callsStarted,
    callsEnded: a.callsEnded,
    problems: {
      malformedFrames: p.malformed,
      ignoredFrames: p.ignored,
      decoderErrors: pipeline.decoderErrors,
      sinkErrors: pipeline.sinkErrors,
      kernelDrops: p.kernelDrops,
      interfaceDrops: p.interfaceDrops,
      sipMalformed: a.sipMalformed,
      sipIgnored: a.sipIgnored,
      sdpMalformed: a.sdpMalformed,
      rtpMalformed: a.rtpMalformed,
      rtpUnmatched: a.rtpUnmatched,
      rtpAfterEnd: a.rtpAfterEnd,
      udpIgnored: a.udpIgnored,
      callsOverCapacity: a.callsOverCapacity,
      spoolRefusedAppends: spool.store.usage.refusedAppends,
    },
    spoolBytes: spool.store.usage.usedBytes,
  };
}

export interface SpoolVerification {
  /** Calls found in done/. */
  calls: number;
  /** Of the expected calls, those whose metadata and media are complete. */
  complete: number;
  /** Media records read back from the spool's files, both sides of every call. */
  mediaRecords: number;
  /** The first few differences, for the report. */
  mismatches: string[];
}

/**
 * Reads every finished call back from the spool and checks it against what the capture holds:
 * the numbers, an answered call ended by BYE, both RTP streams with every packet and none lost,
 * and as many media records of each side in its media file as packets were sent.
 */
export async function verifySpooledCalls(
  spoolRoot: string,
  capture: ConcurrentCallsCapture,
): Promise<SpoolVerification> {
  const store = new SpoolStore(spoolRoot, Number.MAX_SAFE_INTEGER, () => undefined);
  const names = await store.names('done');
  const expected = new Map(Array.from({ length: capture.calls }, (_, i) => [benchCall(i).callId, benchCall(i)]));
  const mismatches: string[] = [];
  const seen = new Set<string>();
  let mediaRecords = 0;
  let complete = 0;
  const packets = capture.packetsPerSide;
  for (const name of names) {
    const document = await store.readDocument('done', name);
    const { record } = document;
    const call = expected.get(record.callId);
    const problems: string[] = [];
    if (!call) problems.push('not a call of the capture');
    else if (seen.has(record.callId)) problems.push('spooled twice');
    else {
      seen.add(record.callId);
      if (record.from.number !== call.caller || record.to.number !== call.callee) {
        problems.push(`numbers ${record.from.number} -> ${record.to.number}`);
      }
    }
    if (record.disposition !== 'answered' || record.endReason !== 'bye') {
      problems.push(`${record.disposition}/${record.endReason}`);
    }
    const streams = record.rtpStreams.map((s) => `${s.sender}:${s.packets}/${s.lost}`).sort();
    if (streams.join(',') !== `callee:${packets}/0,caller:${packets}/0`) problems.push(`streams ${streams.join(',')}`);
    if (record.audioTruncated || document.problems.length > 0) problems.push(document.problems.join('; '));
    const scan = scanMedia(store.path('done', name, MEDIA_FILE), codecTable(document));
    mediaRecords += scan.records[0] + scan.records[1];
    if (scan.records[0] !== packets || scan.records[1] !== packets) problems.push(`media ${scan.records.join('/')}`);
    if (problems.length === 0) complete++;
    else if (mismatches.length < 10) mismatches.push(`${record.callId}: ${problems.join(', ')}`);
  }
  for (const callId of expected.keys()) {
    if (!seen.has(callId) && mismatches.length < 10) mismatches.push(`${callId}: missing from the spool`);
  }
  return { calls: names.length, complete, mediaRecords, mismatches };
}
