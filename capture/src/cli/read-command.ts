import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { CallAssembler } from '../calls/call-assembler';
import type { CallRecord, EndedCall } from '../calls/call-record';
import { CaptureFileFormatError, readCaptureFile } from '../packet/capture-file';
import { PacketPipeline } from '../packet/packet-pipeline';
import { type EncodedAudio, encodeStereoToFile } from '../output/call-audio-encoder';
import { TaskQueue } from '../output/task-queue';
import { ClockedSink } from '../spool/clocked-sink';
import { SpoolUsage } from '../spool/file-media-log';
import { FileMediaLogs } from '../spool/file-media-logs';
import type { ReadOptions } from './read-options';

// The offline mode: a capture file in, `<id>.json` and `<id>.ogg` per call out, no backend.
// It runs the same pipeline as the live service (packet pipeline, call assembler, file-backed
// media logs), with the packet times of the file as the only clock, so a file always gives the
// same calls. Calls are encoded as they end, a few at a time, while the file is still being read.

export interface ReadSummary {
  file: string;
  format: string;
  calls: number;
  callsWithAudio: number;
  audioBytes: number;
  audioSeconds: number;
  encodingFailures: number;
  frames: number;
  malformedFrames: number;
  sipMessages: number;
  sipMalformed: number;
  rtpPackets: number;
  rtpUnmatched: number;
}

/** Writes one ended call's files: the audio first, so a JSON naming an audio file never precedes it. */
async function writeCall(call: EndedCall, outDir: string, options: ReadOptions): Promise<WrittenCall> {
  const record: CallRecord = { ...call.record };
  let audio: EncodedAudio | null = null;
  if (record.audio) {
    try {
      const path = join(outDir, record.audio);
      // Output for other tools: the usual permissions (0666 less the umask), like the JSON beside it.
      audio = await encodeStereoToFile(call.audio.chunks(), call.audio.sampleRate, path, options.opus, 0o666);
    } catch (error) {
      // The metadata is still worth having; the document says why there is no audio.
      Object.assign(record, { audio: null, audioError: (error as Error).message });
    }
  }
  await fs.writeFile(join(outDir, `${record.id}.json`), `${JSON.stringify(record, null, 2)}\n`);
  return { record, audio };
}

interface WrittenCall {
  record: CallRecord;
  audio: EncodedAudio | null;
}

export async function runRead(options: ReadOptions, stderr: NodeJS.WritableStream = process.stderr): Promise<number> {
  try {
    await fs.mkdir(options.outDir, { recursive: true });
  } catch (error) {
    stderr.write(`--out: cannot create ${options.outDir} (${(error as NodeJS.ErrnoException).code ?? error})\n`);
    return 1;
  }
  const workDir = await fs.mkdtemp(join(options.workDir, 'capture-read-'));
  try {
    return await readInto(options, workDir, stderr);
  } finally {
    await fs.rm(workDir, { recursive: true, force: true });
  }
}

async function readInto(options: ReadOptions, workDir: string, stderr: NodeJS.WritableStream): Promise<number> {
  let sequence = 0;
  const clock = { nowUs: 0 };
  const logs = new FileMediaLogs(() => join(workDir, `${++sequence}.log`), new SpoolUsage(Infinity), clock);
  const queue = new TaskQueue(options.concurrency);
  const written: WrittenCall[] = [];
  let encodingFailures = 0;
  const assembler = new CallAssembler(
    { direction: options.direction, muteDtmf: options.muteDtmf, mediaLogFactory: logs.factory },
    (call) => {
      const log = logs.take(call.record.callId);
      queue.push(async () => {
        try {
          await log?.finish();
          const result = await writeCall(call, options.outDir, options);
          if (call.record.audio && !result.audio) encodingFailures++;
          written.push(result);
        } finally {
          call.audio.release();
          if (log) await fs.rm(log.path, { force: true });
        }
      });
    },
  );
  const sink = new ClockedSink(assembler, clock);
  const pipeline = new PacketPipeline(sink);
  let format: string;
  try {
    format = await readCaptureFile(options.file, pipeline);
  } catch (error) {
    const reason =
      error instanceof CaptureFileFormatError
        ? error.message
        : `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
    stderr.write(`${options.file}: ${reason}\n`);
    return 1;
  }
  pipeline.finish();
  assembler.finish(sink.latestUs);
  await queue.idle();
  if (queue.failures > 0) {
    stderr.write(`writing calls failed: ${String((queue.lastFailure as Error)?.message ?? queue.lastFailure)}\n`);
    return 1;
  }
  if (!options.quiet) {
    const counters = assembler.counters;
    const summary: ReadSummary = {
      file: options.file,
      format,
      calls: written.length,
      callsWithAudio: written.filter((w) => w.audio).length,
      audioBytes: written.reduce((sum, w) => sum + (w.audio?.bytes ?? 0), 0),
      audioSeconds: Math.round(written.reduce((sum, w) => sum + (w.audio?.durationMs ?? 0), 0) / 100) / 10,
      encodingFailures,
      frames: pipeline.counters.frames,
      malformedFrames: pipeline.counters.malformed,
      sipMessages: counters.sipMessages,
      sipMalformed: counters.sipMalformed,
      rtpPackets: counters.rtpPackets,
      rtpUnmatched: counters.rtpUnmatched,
    };
    stderr.write(`${JSON.stringify(summary)}\n`);
  }
  return 0;
}
