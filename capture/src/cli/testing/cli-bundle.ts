import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';

// The capture's command line as a child process, the way other tools run it. main.ts is bundled
// with esbuild (as the nx build does, third-party packages left to node_modules) into the
// workspace's tmp/, so the test needs no prior build and node finds node_modules from there.
// Other entry points (a test's probe) are bundled the same way: whatever opens libpcap runs in a
// child process, never inside jest, whose workers must not hold a native capture handle.

const WORKSPACE = join(__dirname, '../../../..');
const OUT_DIR = join(WORKSPACE, 'tmp', `capture-cli-${process.pid}`);
export const CLI_ENTRY = join(WORKSPACE, 'capture/src/main.ts');
const bundles = new Map<string, Promise<string>>();

/** Removes the bundles (call from afterAll). */
export function removeCliBundle(): void {
  rmSync(OUT_DIR, { recursive: true, force: true });
  bundles.clear();
}

/** Bundles a TypeScript entry point of the capture into one CommonJS file; answers its path. */
export function bundleEntry(entry: string): Promise<string> {
  let bundled = bundles.get(entry);
  if (!bundled) {
    bundled = (async () => {
      mkdirSync(OUT_DIR, { recursive: true });
      const outfile = join(OUT_DIR, `${basename(entry, '.ts')}.js`);
      // Loaded at run time: esbuild is a tool of the workspace, not a dependency of the capture.
      const esbuild = (await import('esbuild')) as typeof import('esbuild');
      await esbuild.build({
        entryPoints: [entry],
        outfile,
        bundle: true,
        platform: 'node',
        target: 'node20',
        format: 'cjs',
        packages: 'external',
        tsconfig: join(WORKSPACE, 'capture/tsconfig.app.json'),
        logLevel: 'error',
      });
      return outfile;
    })();
    bundles.set(entry, bundled);
  }
  return bundled;
}

export function bundleCli(): Promise<string> {
  return bundleEntry(CLI_ENTRY);
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export async function runCli(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 120_000): Promise<CliRun> {
  const main = await bundleCli();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [main, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface RunningCli {
  pid: number;
  output: () => string;
  /** Resolves when a line of stdout/stderr matches. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
}

/** Starts the command line as a long-running child (the live service). */
export function startCli(args: string[], env: NodeJS.ProcessEnv): Promise<RunningCli> {
  return startEntry(CLI_ENTRY, args, env);
}

/** Starts a bundled entry point as a long-running child. */
export async function startEntry(entry: string, args: string[], env: NodeJS.ProcessEnv): Promise<RunningCli> {
  return startScript(await bundleEntry(entry), args, env);
}

/** Starts a built JavaScript file (e.g. dist/capture/main.js) as a long-running child. */
export function startScript(main: string, args: string[], env: NodeJS.ProcessEnv): RunningCli {
  const child = spawn(process.execPath, [main, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners: (() => void)[] = [];
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of [...listeners]) listener();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    pid: child.pid as number,
    output: () => output,
    exited,
    kill: (signal) => child.kill(signal),
    waitForOutput(pattern, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const line = output.split('\n').find((l) => pattern.test(l));
          if (line === undefined) return false;
          clearTimeout(timer);
          listeners.splice(listeners.indexOf(check), 1);
          resolve(line);
          return true;
        };
        const timer = setTimeout(() => {
          listeners.splice(listeners.indexOf(check), 1);
          reject(new Error(`no output matching ${pattern} within ${timeoutMs} ms:\n${output}`));
        }, timeoutMs);
        listeners.push(check);
        check();
      });
    },
  };
}
