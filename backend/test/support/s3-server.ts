import { ChildProcess, ChildProcessByStdio, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';

/**
 * A real S3-compatible server for tests: s3rver (npm, dev dependency) in a child process on a random
 * loopback port, storing into a temporary directory, with one bucket. The AWS SDK talks real HTTP to it.
 * Known gaps of s3rver 3.7.1: it checks the access key id but not the SigV4 signature, has no
 * AbortMultipartUpload (parts of an aborted upload stay invisible in its upload directory), and answers
 * 'bytes=N-0' with the object from N on (the driver trims such over-long answers itself).
 */
export interface TestS3Server {
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  stop(): Promise<void>;
}

/** Why no server can be had here (package missing), or null when one can. */
export function s3ServerUnavailable(): string | null {
  try {
    require.resolve('s3rver');
    return null;
  } catch {
    return "npm package 's3rver' is not installed (npm install)";
  }
}

// Runs in the child: prints the bound address as one JSON line, stops on SIGTERM.
const SERVER_SCRIPT = `
const S3rver = require(process.argv[1]);
const [directory, bucket] = process.argv.slice(2);
const server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true, configureBuckets: [{ name: bucket }] });
server.run().then(
  (address) => process.stdout.write(JSON.stringify(address) + '\\n'),
  (error) => { console.error(error); process.exit(1); },
);
process.on('SIGTERM', () => server.close().then(() => process.exit(0)));
`;

export async function startS3Server(): Promise<TestS3Server> {
  const unavailable = s3ServerUnavailable();
  if (unavailable) throw new Error(unavailable);
  const directory = await mkdtemp(join(tmpdir(), 's3rver-'));
  const bucket = `test-${randomBytes(4).toString('hex')}`;
  // s3rver encrypts ListObjectsV2 continuation tokens with DES, which OpenSSL 3 keeps in its legacy provider.
  const args = ['--openssl-legacy-provider', '-e', SERVER_SCRIPT, require.resolve('s3rver'), directory, bucket];
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const port = await readPort(child);
    return {
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      bucket,
      accessKeyId: 'S3RVER', // s3rver's built-in account
      secretAccessKey: 'S3RVER',
      stop: async () => {
        await stopChild(child);
        await rm(directory, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await stopChild(child);
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
}

function readPort(child: ChildProcessByStdio<null, Readable, Readable>): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`s3rver did not start in 15 s: ${err}`)), 15_000);
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n')) {
        clearTimeout(timer);
        try {
          resolve((JSON.parse(line) as { port: number }).port);
        } catch {
          reject(new Error(`s3rver printed ${line}`));
        }
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`s3rver exited with ${code}: ${err}`));
    });
  });
}

export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** The storage settings (as the setup wizard saves them) that point the appliance at a test server. */
export function s3StorageSettings(s3: TestS3Server) {
  return {
    driver: 's3' as const,
    endpoint: s3.endpoint,
    region: s3.region,
    bucket: s3.bucket,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    forcePathStyle: true,
  };
}
