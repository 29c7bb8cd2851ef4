// `npm run bench:capture`: builds the capture benchmark (capture/src/bench/capture-bench.ts) into
// one file with esbuild, as the capture service itself is built, and runs it in this process.
// The calls carry speech-like audio (scripts/bench/call-audio.mjs), not tones, so the encoder
// figures are for something like a conversation. Options: npm run bench:capture -- --help
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { conversation } from './bench/call-audio.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'dist', 'capture-bench', 'capture-bench.js');

await build({
  entryPoints: [join(root, 'capture', 'src', 'bench', 'capture-bench.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  tsconfig: join(root, 'capture', 'tsconfig.app.json'),
  // npm packages load from node_modules at run time; the workspace library is bundled.
  packages: 'external',
  logLevel: 'warning',
});

const { benchMain } = createRequire(import.meta.url)(outfile);
// 20 s of conversation per side, looped: each call starts at its own place in it.
const audio = conversation(20, 4);
process.exitCode = await benchMain(process.argv.slice(2), { audio });
