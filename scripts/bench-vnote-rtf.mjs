// FlexVNote: real-time factor of the pocketsphinx engine on this machine (issue 7).
//
//   npm run bench:vnote-rtf            # RUNS (default 3) runs over SECONDS (default ~60) of speech
//
// espeak-ng speaks an English call-centre paragraph (repeated to about SECONDS), ffmpeg resamples it
// to 16 kHz mono 16-bit (what the pipeline hands the engine), then pocketsphinx_continuous runs with
// the engine's exact arguments. RTF = recognition time / audio duration (below 1 = faster than real
// time), as wall time and as the recogniser's own CPU time. One channel; a stereo call costs two.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';

const RUNS = Number(process.env.RUNS ?? 3);
const SECONDS = Number(process.env.SECONDS ?? 60);
const PARAGRAPH =
  'thank you for calling. my name is sato and i will help you today. could you tell me your order number please. ' +
  'the order number is four five six seven. i would like to change the delivery date to next tuesday. ';

const dir = mkdtempSync(join(tmpdir(), 'bench-vnote-rtf-'));
try {
  const raw = join(dir, 'raw.wav');
  const wav = join(dir, 'speech.wav');
  execFileSync('espeak-ng', ['-v', 'en-us+klatt2', '-s', '165', '-w', raw, PARAGRAPH]);
  const once = Number(execFileSync('soxi', ['-D', raw]).toString());
  const repeats = Math.max(1, Math.round(SECONDS / once));
  execFileSync('espeak-ng', ['-v', 'en-us+klatt2', '-s', '165', '-w', raw, PARAGRAPH.repeat(repeats)]);
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-i', raw, '-ar', '16000', '-ac', '1', '-c:a', 'pcm_s16le', wav]);
  const duration = Number(execFileSync('soxi', ['-D', wav]).toString());
  const wall = [];
  const cpu = [];
  for (let i = 0; i < RUNS; i++) {
    // bash's \`time\` gives the recogniser's wall and CPU (user + system) seconds. On a shared machine
    // the CPU figure is the stable one: wall time grows with everybody else's load.
    const script = `TIMEFORMAT='%R %U %S'; time pocketsphinx_continuous -infile '${wav}' -time yes -logfn /dev/null -samprate 16000 >/dev/null`;
    const out = spawnSync('bash', ['-c', script], { encoding: 'utf8' });
    const [r, u, s] = out.stderr.trim().split('\n').pop().split(' ').map(Number);
    wall.push(r);
    cpu.push(u + s);
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(
    JSON.stringify(
      {
        machine: `${cpus().length} x ${cpus()[0].model}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`,
        loadAverage1m: Number(loadavg()[0].toFixed(1)),
        audioSeconds: Number(duration.toFixed(1)),
        runs: RUNS,
        wallSecondsPerRun: wall.map((t) => Number(t.toFixed(2))),
        cpuSecondsPerRun: cpu.map((t) => Number(t.toFixed(2))),
        rtfWallMedian: Number((median(wall) / duration).toFixed(3)),
        rtfCpuMedian: Number((median(cpu) / duration).toFixed(3)),
      },
      null,
      2,
    ),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
