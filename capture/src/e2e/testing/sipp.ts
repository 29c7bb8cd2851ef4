import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';

// Runs SIPp (Debian's sip-tester; scripts/dev-setup.sh installs it) as a child process. Its
// screen output goes to a file in the working directory, read back when a run fails.

/** "SIPp v3.6.1-…" or null when sipp is not installed. */
export function sippVersion(): string | null {
  const probe = spawnSync('sipp', ['-v'], { encoding: 'utf8', timeout: 10_000 });
  if (probe.error) return null;
  return /SIPp v[\w.-]*\w/.exec(`${probe.stdout}${probe.stderr}`)?.[0] ?? null;
}

export interface SippRun {
  pid: number;
  /** sipp's exit code: 0 when every call of the scenario succeeded. */
  exited: Promise<number | null>;
  kill(): void;
}

export function startSipp(name: string, args: string[], cwd: string): SippRun {
  const log = openSync(join(cwd, `${name}.log`), 'w');
  const child = spawn('sipp', [...args, '-nostdin', '-trace_err', '-error_file', join(cwd, `${name}-errors.log`)], {
    cwd,
    stdio: ['ignore', log, log],
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  }).finally(() => closeSync(log));
  return { pid: child.pid as number, exited, kill: () => child.kill('SIGKILL') };
}
