import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Drives Debian's OpenSSH clients (sftp, scp, ssh-keygen) against a server on this machine, the way
// a carrier's sender would: key or password login, host key not known in advance.

export interface OpenSshLogin {
  port: number;
  user: string;
  /** A private key file made by makeClientKey; when absent, `password` is used. */
  identityFile?: string;
  password?: string;
}

export interface ClientRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ClientKey {
  privateKeyPath: string;
  /** The public key line, as an account's authorizedKeys holds it. */
  publicKey: string;
}

/** An unencrypted ed25519 key pair in `dir`, made by ssh-keygen. */
export function makeClientKey(dir: string, name: string): ClientKey {
  const privateKeyPath = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', privateKeyPath]);
  return { privateKeyPath, publicKey: readFileSync(`${privateKeyPath}.pub`, 'utf8').trim() };
}

/** `ssh-keygen -lf`'s SHA256 fingerprint of a key file (private or public). */
export function keygenFingerprint(keyPath: string): string {
  const out = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', keyPath], { encoding: 'utf8' });
  return out.split(' ')[1] ?? '';
}

/** Runs `sftp -b` with the commands, from `workDir` (local file names are relative to it). */
export function sftpBatch(workDir: string, login: OpenSshLogin, commands: string[]): Promise<ClientRun> {
  const batch = join(workDir, `batch-${Date.now()}-${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(batch, commands.join('\n') + '\n');
  // -b turns BatchMode on, which forbids passwords; an earlier -o BatchMode=no wins (ssh keeps the first).
  return run('sftp', workDir, login, [
    '-P',
    String(login.port),
    ...authOptions(workDir, login),
    '-b',
    batch,
    `${login.user}@127.0.0.1`,
  ]);
}

/** Runs `scp` with `args` (use `remote(path)` for the server side); add '-O' for the legacy protocol. */
export function scp(workDir: string, login: OpenSshLogin, args: string[]): Promise<ClientRun> {
  return run('scp', workDir, login, ['-P', String(login.port), ...authOptions(workDir, login), ...args]);
}

export const remote = (login: OpenSshLogin, path: string) => `${login.user}@127.0.0.1:${path}`;

function authOptions(workDir: string, login: OpenSshLogin): string[] {
  const common = ['-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR'];
  common.push('-o', 'ConnectTimeout=20');
  if (login.identityFile) {
    return [
      ...common,
      '-o',
      'BatchMode=yes',
      '-o',
      'IdentitiesOnly=yes',
      '-o',
      'PasswordAuthentication=no',
      '-i',
      login.identityFile,
    ];
  }
  askpassScript(workDir);
  return [
    ...common,
    '-o',
    'BatchMode=no',
    '-o',
    'PubkeyAuthentication=no',
    '-o',
    'PreferredAuthentications=password',
    '-o',
    'NumberOfPasswordPrompts=1',
  ];
}

/**
 * OpenSSH reads passwords only from a terminal or an askpass program; SSH_ASKPASS_REQUIRE=force
 * (OpenSSH 8.4+) makes it use this script, which prints the password from the environment.
 */
function askpassScript(workDir: string): string {
  const path = join(workDir, 'askpass.sh');
  writeFileSync(path, '#!/bin/sh\nprintf "%s\\n" "$TEST_SSH_PASSWORD"\n');
  chmodSync(path, 0o700);
  return path;
}

function run(command: string, workDir: string, login: OpenSshLogin, args: string[]): Promise<ClientRun> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SSH_ASKPASS: join(workDir, 'askpass.sh'),
    SSH_ASKPASS_REQUIRE: 'force',
  };
  env['TEST_SSH_PASSWORD'] = login.password ?? '';
  env['DISPLAY'] = env['DISPLAY'] ?? ':0';
  return new Promise((resolve) => {
    const child = execFile(command, args, { cwd: workDir, env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
    child.stdin?.end();
  });
}
