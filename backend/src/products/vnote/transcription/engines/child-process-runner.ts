import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';

/**
 * Engines that recognise locally run in a child process: a crash or a kill of the recogniser fails
 * the attempt (which is retried) instead of the worker. Every spawn is announced on `engineProcesses`
 * so operators' tooling (and the fault tests) can see which process works on which job.
 */
export const engineProcesses = new EventEmitter();

export interface ChildResult {
  stdout: string;
  stderr: string;
}

export function runChild(
  command: string,
  args: string[],
  info: { jobName: string; channel: number },
  input?: Buffer,
): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new Error(`${command} is not installed (not on PATH)`) : error),
    );
    child.on('spawn', () => engineProcesses.emit('spawn', { pid: child.pid, command, ...info }));
    child.on('close', (code, signal) => {
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (signal) return reject(new Error(`${command} was killed by ${signal}`));
      if (code !== 0) return reject(new Error(`${command} exited with ${code}: ${stderr.trim().slice(-500)}`));
      resolve({ stdout, stderr });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}
