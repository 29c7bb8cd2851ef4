import { spawn, spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

// The reference the issue compares against: Wireshark's command-line `tshark -q -z rtp,streams`
// on the same file (it follows SIP/SDP to find the RTP, like the capture does, and lists each
// stream with its packet count). Timed from spawn to exit.

export const TSHARK_INSTALL_HINT =
  'install it with: echo "wireshark-common wireshark-common/install-setuid boolean false" | ' +
  'sudo debconf-set-selections && sudo apt-get install -y tshark (or run scripts/dev-setup.sh)';

export interface TsharkResult {
  version: string;
  wallSeconds: number;
  /** tshark's user + system CPU time (bash's `times` after it ran). */
  cpuSeconds: number;
  streams: number;
  packets: number;
}

/** tshark's version line, or null when it is not installed. */
export function tsharkVersion(): string | null {
  const run = spawnSync('tshark', ['--version'], { encoding: 'utf8' });
  if (run.error || run.status !== 0) return null;
  return (/^TShark \(Wireshark\) (\S+)/m.exec(run.stdout)?.[1] ?? run.stdout.split('\n')[0]).trim();
}

/**
 * The stream lines of `-z rtp,streams` output: between the column header ("Src IP addr") and the
 * closing row of '='. Each starts with start and end time, then addresses, ports, SSRC, payload,
 * packet count.
 */
export function parseRtpStreams(output: string): { streams: number; packets: number } {
  const lines = output.split('\n');
  const header = lines.findIndex((line) => line.includes('Src IP addr'));
  if (header < 0) throw new Error('tshark printed no rtp,streams table');
  let streams = 0;
  let packets = 0;
  for (const line of lines.slice(header + 1)) {
    if (line.startsWith('=')) break;
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10) continue;
    // start end src sport dst dport ssrc payload... packets lost: packets is the field before "lost (x%)".
    const lostAt = fields.findIndex((field, i) => i > 7 && /^\(\d/.test(field));
    const count = Number(fields[lostAt - 2]);
    if (lostAt < 0 || !Number.isFinite(count)) throw new Error(`unexpected rtp,streams line: ${line.trim()}`);
    streams++;
    packets += count;
  }
  return { streams, packets };
}

export async function runTsharkRtpStreams(pcapPath: string): Promise<TsharkResult> {
  const version = tsharkVersion();
  if (!version) throw new Error(`tshark is not installed; ${TSHARK_INSTALL_HINT}`);
  const started = performance.now();
  // Through bash so that its `times` can report the CPU time tshark used: on a shared machine that
  // is a fairer comparison than the wall time alone.
  const script = 'tshark -q -z rtp,streams -r "$1"; code=$?; times >&2; exit $code';
  const child = spawn('bash', ['-c', script, 'bash', pcapPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const wallSeconds = (performance.now() - started) / 1000;
  const errors = Buffer.concat(err).toString();
  if (code !== 0) throw new Error(`tshark exited with ${code}: ${errors.slice(0, 500)}`);
  return {
    version,
    wallSeconds,
    cpuSeconds: childCpuSeconds(errors),
    ...parseRtpStreams(Buffer.concat(out).toString()),
  };
}

/** The children's user and system time from the last line of bash's `times` ("0m1.5s 0m0.2s"). */
export function childCpuSeconds(timesOutput: string): number {
  const lines = timesOutput.trim().split('\n');
  const match = /^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/.exec(lines[lines.length - 1].trim());
  if (!match) throw new Error(`no CPU times after tshark: ${lines[lines.length - 1]}`);
  const [, um, us, sm, ss] = match.map(Number);
  return um * 60 + us + sm * 60 + ss;
}
