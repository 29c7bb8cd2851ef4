import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { UsageError } from '../cli/read-options';
import { MAX_BENCH_CALLS, writeConcurrentCallsPcap, type ConcurrentCallsCapture } from './concurrent-calls-pcap';
import { type EncodingResult, measureEncoding } from './encoding-bench';
import { type PacketPathResult, runPacketPath, type SpoolVerification, verifySpooledCalls } from './packet-path-bench';
import { runTsharkRtpStreams, TSHARK_INSTALL_HINT, type TsharkResult, tsharkVersion } from './tshark-rtp-streams';

// `npm run bench:capture`: the capture benchmark of the FlexLog issue. Generates a capture of N
// concurrent G.711 calls, runs parse + pair + spool over it (timed, then every call checked in
// the spool), encodes some of the spooled calls to Ogg Opus (timed, sizes), and times tshark's
// `-z rtp,streams` on the same file. Prints a summary and one JSON line.

export const BENCH_USAGE = `Usage: npm run bench:capture -- [options]

Options:
  --calls <n>         Concurrent calls in the generated capture (default 2000, at most ${MAX_BENCH_CALLS}).
  --seconds <s>       Seconds of two-way RTP per call (default 60).
  --encode-calls <n>  Spooled calls to encode to Ogg Opus for the encoder figures (default 20).
  --out <file.pcap>   Write the capture here and keep it (default: a temporary directory).
  --keep              Keep the temporary directory (capture and spools) and print where it is.
  --no-tshark         Skip the tshark comparison.
  -h, --help          This text.
`;

/** The issue's goals and the anchor it names. */
export const GOALS = {
  concurrentCallsPerCore: 1000,
  rtpPacketsPerSecondPerCore: 100_000,
  tsharkRatio: 20,
  megabytesPerCallHour: 7.2,
  voipmonitorCallsPerCore: 420,
} as const;

export interface CaptureBenchOptions {
  calls: number;
  seconds: number;
  encodeCalls: number;
  out: string | null;
  keep: boolean;
  tshark: boolean;
  /** A loop of audio per side for the calls (default: tones). */
  audio?: [Float32Array, Float32Array];
  /** Where the temporary directory goes (default: the system's). */
  tempRoot?: string;
}

function numberOption(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new UsageError(`--${name}: must be a number from ${min} to ${max} (got ${text})`);
  }
  return value;
}

function integerOption(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  const value = numberOption(name, text, fallback, min, max);
  if (!Number.isInteger(value)) throw new UsageError(`--${name}: must be a whole number (got ${text})`);
  return value;
}

/** The options, or null for --help. Throws UsageError naming the option. */
export function parseBenchArguments(args: string[]): CaptureBenchOptions | null {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      strict: true,
      options: {
        calls: { type: 'string' },
        seconds: { type: 'string' },
        'encode-calls': { type: 'string' },
        out: { type: 'string' },
        keep: { type: 'boolean' },
        'no-tshark': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const v = parsed.values;
  if (v.help) return null;
  if (v.out === '') throw new UsageError('--out: needs a file name');
  return {
    calls: integerOption('calls', v.calls, 2000, 1, MAX_BENCH_CALLS),
    seconds: numberOption('seconds', v.seconds, 60, 0.02, 86_400),
    encodeCalls: integerOption('encode-calls', v['encode-calls'], 20, 1, MAX_BENCH_CALLS),
    out: v.out ? resolve(v.out) : null,
    keep: v.keep ?? false,
    tshark: !v['no-tshark'],
  };
}

export interface CaptureBenchReport {
  date: string;
  machine: { cpu: string; cores: number; memoryGiB: number; node: string; loadAverage: Record<string, number[]> };
  capture: ConcurrentCallsCapture & { seconds: number; path: string; spanSeconds: number; generateSeconds: number };
  packetPath: PacketPathResult & {
    /** The packet path is one JavaScript thread: figures per core are per that thread. */
    threads: 1;
    framesPerSecond: number;
    rtpPacketsPerSecondPerCore: number;
    /** N × (capture span / wall time) / 1 thread. */
    concurrentCallsPerCore: number;
    /** The same over the process's CPU time (the spool's write threads included). */
    concurrentCallsPerCpuSecond: number;
    drops: number;
    verification: SpoolVerification;
  };
  encoding: EncodingResult;
  tshark: (TsharkResult & { expectedStreams: number; ratio: number; cpuRatio: number }) | { skipped: string };
  /** Counts all right: every call spooled complete, zero drops, tshark saw the same streams. */
  ok: boolean;
}

const round = (value: number, digits = 0) => Math.round(value * 10 ** digits) / 10 ** digits;
const load = () => loadavg().map((value) => round(value, 2));

export async function runCaptureBench(
  options: CaptureBenchOptions,
  progress: (line: string) => void = () => undefined,
): Promise<CaptureBenchReport> {
  const workDir = mkdtempSync(join(options.tempRoot ?? tmpdir(), 'capture-bench-'));
  const loadAverage: Record<string, number[]> = { start: load() };
  try {
    const path = options.out ?? join(workDir, 'capture.pcap');
    progress(`generating ${options.calls} calls of ${options.seconds} s into ${path}`);
    const started = performance.now();
    const written = writeConcurrentCallsPcap(path, {
      calls: options.calls,
      seconds: options.seconds,
      audio: options.audio,
    });
    const capture = {
      ...written,
      seconds: options.seconds,
      path,
      spanSeconds: (written.lastUs - written.firstUs) / 1e6,
      generateSeconds: (performance.now() - started) / 1000,
    };
    progress(`${capture.frames} frames, ${(capture.bytes / 1e6).toFixed(0)} MB; parse + pair + spool`);

    loadAverage['packetPath'] = load();
    const result = await runPacketPath(path, join(workDir, 'spool'));
    progress(`done in ${result.wallSeconds.toFixed(1)} s; checking every call in the spool`);
    const verification = await verifySpooledCalls(join(workDir, 'spool'), capture);
    const drops = Object.values(result.problems).reduce((sum, n) => sum + n, 0);
    const packetPath = {
      ...result,
      threads: 1 as const,
      framesPerSecond: result.frames / result.wallSeconds,
      rtpPacketsPerSecondPerCore: result.rtpPackets / result.wallSeconds,
      concurrentCallsPerCore: (options.calls * capture.spanSeconds) / result.wallSeconds,
      concurrentCallsPerCpuSecond: (options.calls * capture.spanSeconds) / result.cpuSeconds,
      drops,
      verification,
    };

    progress(`encoding ${Math.min(options.encodeCalls, options.calls)} spooled calls to Ogg Opus`);
    loadAverage['encoding'] = load();
    const encoding = await measureEncoding(join(workDir, 'spool'), join(workDir, 'encode-spool'), options.encodeCalls);

    let tshark: CaptureBenchReport['tshark'];
    const expectedStreams = options.calls * 2;
    if (!options.tshark) tshark = { skipped: '--no-tshark' };
    else if (!tsharkVersion()) tshark = { skipped: `tshark is not installed; ${TSHARK_INSTALL_HINT}` };
    else {
      progress('tshark -q -z rtp,streams on the same file');
      loadAverage['tshark'] = load();
      const run = await runTsharkRtpStreams(path);
      tshark = {
        ...run,
        expectedStreams,
        ratio: run.wallSeconds / result.wallSeconds,
        cpuRatio: run.cpuSeconds / result.cpuSeconds,
      };
    }
    loadAverage['end'] = load();
    const tsharkAgrees =
      'skipped' in tshark || (tshark.streams === expectedStreams && tshark.packets === capture.rtpPackets);
    const ok =
      drops === 0 &&
      verification.complete === options.calls &&
      verification.calls === options.calls &&
      result.rtpPackets === capture.rtpPackets &&
      tsharkAgrees;
    return {
      date: new Date().toISOString(),
      machine: {
        cpu: cpus()[0]?.model ?? 'unknown',
        cores: cpus().length,
        memoryGiB: round(totalmem() / 2 ** 30, 1),
        node: process.version,
        loadAverage,
      },
      capture,
      packetPath,
      encoding,
      tshark,
      ok,
    };
  } finally {
    if (options.keep) progress(`kept ${workDir}`);
    else rmSync(workDir, { recursive: true, force: true });
  }
}

const thousands = (value: number) => Math.round(value).toLocaleString('en');
const verdict = (met: boolean) => (met ? 'met' : 'MISSED');

/** The human summary: each figure beside its goal. */
export function formatSummary(report: CaptureBenchReport): string {
  const { capture: c, packetPath: p, encoding: e, tshark: t } = report;
  const lines = [
    `Capture benchmark, ${report.date} (${report.machine.cores} cores, ${report.machine.cpu}, Node ${report.machine.node})`,
    `load average (1/5/15 min): ${Object.entries(report.machine.loadAverage)
      .map(([phase, values]) => `${phase} ${values.join('/')}`)
      .join(', ')}`,
    `capture: ${thousands(c.calls)} concurrent G.711 calls x ${c.seconds} s, ${thousands(c.frames)} frames ` +
      `(${thousands(c.rtpPackets)} RTP, ${thousands(c.sipMessages)} SIP), ${(c.bytes / 1e6).toFixed(0)} MB, ` +
      `spans ${c.spanSeconds.toFixed(2)} s; generated in ${c.generateSeconds.toFixed(1)} s`,
    '',
    'parse + pair + spool (one JavaScript thread; spool writes on the thread pool):',
    `  wall ${p.wallSeconds.toFixed(2)} s (last packet through at ${p.packetsSeconds.toFixed(2)} s, then the spool ` +
      `finishing the calls), CPU ${p.cpuSeconds.toFixed(2)} s, spool ${(p.spoolBytes / 1e6).toFixed(0)} MB`,
    `  sustained ${thousands(p.framesPerSecond)} packets/s; RTP ${thousands(p.rtpPacketsPerSecondPerCore)} packets/s per core` +
      ` (goal ~${thousands(GOALS.rtpPacketsPerSecondPerCore)}: ${verdict(p.rtpPacketsPerSecondPerCore >= GOALS.rtpPacketsPerSecondPerCore)})`,
    `  concurrent calls per core ${thousands(p.concurrentCallsPerCore)} (goal >= ${GOALS.concurrentCallsPerCore}: ` +
      `${verdict(p.concurrentCallsPerCore >= GOALS.concurrentCallsPerCore)}; VoIPmonitor ~${GOALS.voipmonitorCallsPerCore}); ` +
      `per CPU second incl. write threads ${thousands(p.concurrentCallsPerCpuSecond)}`,
    `  drops/malformed ${p.drops} (${verdict(p.drops === 0)}); calls spooled complete ${p.verification.complete}/${c.calls}, ` +
      `media records read back ${thousands(p.verification.mediaRecords)}/${thousands(c.rtpPackets)}`,
    ...p.verification.mismatches.map((m) => `    ${m}`),
    ...Object.entries(p.problems)
      .filter(([, n]) => n > 0)
      .map(([name, n]) => `    ${name}: ${n}`),
    '',
    `Opus encoding (${e.settings.bitrateKbpsPerChannel} kbit/s per party, complexity ${e.settings.complexity}, one thread):`,
    `  ${e.calls} calls, ${e.audioSeconds.toFixed(1)} s of audio in ${e.wallSeconds.toFixed(2)} s: ` +
      `${e.realtimeFactor.toFixed(1)}x real time per core (wall), ${e.realtimeFactorPerCpuSecond.toFixed(1)}x per CPU second`,
    `  ${e.megabytesPerCallHour.toFixed(2)} MB per call-hour (goal <= ${GOALS.megabytesPerCallHour}: ` +
      `${verdict(e.megabytesPerCallHour <= GOALS.megabytesPerCallHour)})`,
    '',
  ];
  if ('skipped' in t) lines.push(`tshark: skipped (${t.skipped})`);
  else {
    lines.push(
      `tshark ${t.version} -q -z rtp,streams: ${t.wallSeconds.toFixed(2)} s (CPU ${t.cpuSeconds.toFixed(2)} s), ` +
        `${thousands(t.streams)} streams (expected ${thousands(t.expectedStreams)}), ${thousands(t.packets)} packets`,
      `  ratio tshark / ours ${t.ratio.toFixed(1)}x wall, ${t.cpuRatio.toFixed(1)}x CPU ` +
        `(goal >= ${GOALS.tsharkRatio}x: ${verdict(t.ratio >= GOALS.tsharkRatio)})`,
    );
  }
  lines.push(
    '',
    report.ok ? 'counts: all calls and packets accounted for' : 'counts: NOT all accounted for (see above)',
  );
  return lines.join('\n');
}

/** The command: exit 0 when every count checks out (goals are reported, not enforced), 1 if not, 2 on usage. */
export async function benchMain(args: string[], extras: Partial<CaptureBenchOptions> = {}): Promise<number> {
  let options: CaptureBenchOptions | null;
  try {
    options = parseBenchArguments(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${BENCH_USAGE}`);
    return 2;
  }
  if (!options) {
    process.stdout.write(BENCH_USAGE);
    return 0;
  }
  const report = await runCaptureBench({ ...options, ...extras }, (line) => process.stderr.write(`bench: ${line}\n`));
  process.stdout.write(`${formatSummary(report)}\n${JSON.stringify(report)}\n`);
  return report.ok ? 0 : 1;
}
