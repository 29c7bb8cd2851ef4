import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../cli/read-options';
import { startScript } from '../cli/testing/cli-bundle';
import { runBackendOutage } from './testing/backend-outage';

// `npm run soak:capture-outage -- --minutes 10`: the backend-outage scenario of
// backend-outage.spec.ts with an outage of minutes (the acceptance's 10), run against the built
// capture command line. Needs root (live capture on lo). Prints progress, a summary and one JSON line;
// exits 0 when every call arrived once and byte-identical to the spool, 1 otherwise, 2 on bad options.

export const SOAK_USAGE = `Usage: npm run soak:capture-outage -- [options]

Options:
  --minutes <m>       Length of the backend outage (default 10).
  --call-every <s>    Seconds between call starts, before, during and after the outage (default 0.5).
  --talk <s>          Talk time of each call (default 2).
  -h, --help          This text.
`;

export interface SoakOptions {
  minutes: number;
  callEvery: number;
  talk: number;
}

function positive(name: string, text: string | undefined, fallback: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || value > max) {
    throw new UsageError(`--${name}: must be a number above 0 and at most ${max} (got ${text})`);
  }
  return value;
}

export function parseSoakArguments(args: string[]): SoakOptions | null {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      strict: true,
      options: {
        minutes: { type: 'string' },
        'call-every': { type: 'string' },
        talk: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const v = parsed.values;
  if (v.help) return null;
  return {
    minutes: positive('minutes', v.minutes, 10, 24 * 60),
    callEvery: positive('call-every', v['call-every'], 0.5, 60),
    talk: positive('talk', v.talk, 2, 600),
  };
}

/** Runs the soak with the capture's command line at `captureMain` (a built main.js). */
export async function soakMain(args: string[], captureMain: string): Promise<number> {
  let options: SoakOptions | null;
  try {
    options = parseSoakArguments(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${SOAK_USAGE}`);
    return 2;
  }
  if (!options) {
    process.stdout.write(SOAK_USAGE);
    return 0;
  }
  const dir = mkdtempSync(join(tmpdir(), 'capture-outage-soak-'));
  const started = Date.now();
  const log = (line: string) =>
    process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(5)} s] ${line}\n`);
  try {
    log(`backend outage of ${options.minutes} min, a call every ${options.callEvery} s talking ${options.talk} s`);
    const report = await runBackendOutage({
      dir,
      startService: async (env) => startScript(captureMain, [], env),
      warmupSeconds: 30,
      outageSeconds: options.minutes * 60,
      afterSeconds: 30,
      callEverySeconds: options.callEvery,
      talkSeconds: options.talk,
      // The uploader's backoff reaches 5 minutes in a long outage: its next try may be that far off.
      drainTimeoutSeconds: 6 * 60,
      basePort: 47_000,
      log,
    });
    const ok = report.missing.length === 0 && report.storedTwice.length === 0 && report.byteIdentical;
    log(
      `${ok ? 'PASS' : 'FAIL'}: ${report.callsSent} calls sent, ${report.callsEndedDuringOutage} ended during the outage ` +
        `(${report.pendingAtRestore} waiting in the spool at its end), ${report.callsArrived} arrived, ` +
        `${report.missing.length} missing, ${report.storedTwice.length} stored twice, ` +
        `byte-identical to the spool: ${report.byteIdentical ? 'yes' : 'no'}; drained ${report.drainSeconds.toFixed(1)} s after the last call`,
    );
    process.stdout.write(`${JSON.stringify({ options, ...report })}\n`);
    return ok ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
