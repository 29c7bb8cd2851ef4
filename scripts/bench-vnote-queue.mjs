// FlexVNote: transcription queue throughput with 1,000 queued jobs and 2 worker processes (issue 7).
//
//   npm run bench:vnote-queue                    # REDIS_URL (default redis://127.0.0.1:6379), JOBS=1000
//   WORK=pocketsphinx JOBS=100 npm run bench:vnote-queue
//
// Queues JOBS entries on bull (the production queue; same options as the app: 3 attempts,
// exponential backoff, priority) and only then starts WORKERS (default 2) separate node processes,
// each taking one job at a time. WORK=noop (default) measures the queue's own overhead per job (fetch,
// lock, complete, across processes); WORK=pocketsphinx runs the real recogniser on a 2-second clip per
// job, as the worker's child process does. Reports jobs/second from the first worker start to the last
// completion, and checks that every job ran exactly once.
import { execFileSync, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const Bull = require('bull');
const REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const JOBS = Number(process.env.JOBS ?? 1000);
const WORKERS = Number(process.env.WORKERS ?? 2);
const WORK = process.env.WORK ?? 'noop';

if (process.argv[2] === 'worker') {
  const [, , , prefix, wav] = process.argv;
  const queue = new Bull('vnote-transcribe', REDIS, { prefix });
  queue.process(1, async (job) => {
    if (WORK === 'pocketsphinx')
      execFileSync('pocketsphinx_continuous', ['-infile', wav, '-time', 'yes', '-logfn', '/dev/null']);
    process.send?.({ done: job.data.n });
  });
} else {
  const prefix = `bench-vnote-${Date.now()}`;
  const dir = mkdtempSync(join(tmpdir(), 'bench-vnote-queue-'));
  const wav = join(dir, 'clip.wav');
  execFileSync('espeak-ng', [
    '-v',
    'en-us+klatt2',
    '-s',
    '165',
    '-w',
    join(dir, 'raw.wav'),
    'my order number is four five six',
  ]);
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-i', join(dir, 'raw.wav'), '-ar', '16000', '-ac', '1', wav]);
  const queue = new Bull('vnote-transcribe', REDIS, { prefix });
  const addStart = Date.now();
  await queue.addBulk(
    Array.from({ length: JOBS }, (_, n) => ({
      data: { n },
      opts: {
        attempts: 3,
        backoff: { type: 'exponential', delay: 1000 },
        priority: 1000 - (n % 3),
        removeOnComplete: true,
      },
    })),
  );
  const addMs = Date.now() - addStart;
  const seen = new Map();
  const start = Date.now();
  const children = Array.from({ length: WORKERS }, () =>
    fork(new URL(import.meta.url).pathname, ['worker', prefix, wav]),
  );
  await new Promise((resolve) => {
    for (const child of children)
      child.on('message', (m) => {
        seen.set(m.done, (seen.get(m.done) ?? 0) + 1);
        if (seen.size === JOBS) resolve();
      });
  });
  const seconds = (Date.now() - start) / 1000;
  for (const child of children) child.kill();
  const twice = [...seen.values()].filter((v) => v > 1).length;
  await queue.obliterate({ force: true });
  await queue.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(
    JSON.stringify(
      {
        machine: `${cpus().length} x ${cpus()[0].model}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`,
        work: WORK,
        jobs: JOBS,
        workers: WORKERS,
        queueingMs: addMs,
        drainSeconds: Number(seconds.toFixed(2)),
        jobsPerSecond: Number((JOBS / seconds).toFixed(1)),
        ranTwice: twice,
      },
      null,
      2,
    ),
  );
}
