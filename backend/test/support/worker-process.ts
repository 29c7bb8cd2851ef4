import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';

const REPO_ROOT = join(__dirname, '..', '..', '..');

export interface WorkerProcess {
  readonly child: ChildProcess;
  /** Resolves when the process printed `worker ready` (its queue processors are registered). */
  readonly ready: Promise<void>;
  /** Everything it printed so far, for failure messages. */
  output(): string;
  /** Command names (as ps shows them, at most 15 characters) of the other processes in its group. */
  children(): string[];
  /** Whether any process of its group (the worker or a recogniser it started) still exists. */
  groupAlive(): boolean;
  /** SIGKILLs the whole process group (its recogniser children too) and waits until the group is gone. */
  kill(): Promise<void>;
}

/**
 * A real `main.js worker` process: backend/src/main.ts run by ts-node (transpile-only, with the
 * tsconfig paths jest maps too), so it works on a clean clone without a build. It is the leader of
 * its own process group, so a kill takes its engine child processes down with it, as a dead host would.
 * Only `env` and PATH/HOME reach it: nothing of the test runner's environment leaks in.
 */
export function startWorkerProcess(env: Record<string, string>): WorkerProcess {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'backend/src/main.ts', 'worker'],
    {
      cwd: REPO_ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env['PATH'] ?? '/usr/bin:/bin',
        HOME: process.env['HOME'] ?? '/tmp',
        TS_NODE_PROJECT: join(REPO_ROOT, 'backend', 'tsconfig.app.json'),
        // tsconfig.base.json's paths have no baseUrl (TypeScript resolves them from that file's folder,
        // the repository root); tsconfig-paths needs it said.
        TS_NODE_BASEURL: REPO_ROOT,
        ...env,
      },
    },
  );
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('worker ready')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code, signal) =>
      reject(new Error(`worker exited before it was ready (code ${code}, signal ${signal}):\n${output}`)),
    );
  });
  ready.catch(() => undefined); // observed by whoever awaits it; never an unhandled rejection
  return {
    child,
    ready,
    output: () => output,
    children() {
      const rows = execFileSync('ps', ['-e', '-o', 'pgid=,pid=,comm=']).toString().split('\n');
      return rows
        .map((row) => row.trim().split(/\s+/))
        .filter(([pgid, pid]) => Number(pgid) === child.pid && Number(pid) !== child.pid)
        .map(([, , comm]) => comm);
    },
    groupAlive() {
      try {
        process.kill(-(child.pid as number), 0);
        return true;
      } catch {
        return false;
      }
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        // The group is already gone.
      }
      await exited;
      // Its orphaned children are reaped by init a moment later: wait for that (bounded) before returning.
      for (let i = 0; i < 100 && this.groupAlive(); i++) await new Promise((r) => setTimeout(r, 50));
    },
  };
}
