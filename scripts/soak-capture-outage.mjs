// `npm run soak:capture-outage -- --minutes 10`: builds the capture's command line and the outage
// scenario (capture/src/e2e/outage-soak.ts) with esbuild, as the capture service itself is built,
// and runs the backend-outage soak: the live service sniffs lo (root needed) while calls are played
// onto loopback and the stand-in backend is away for the given minutes. Options: -- --help
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'capture-soak');

await build({
  entryPoints: {
    main: join(root, 'capture', 'src', 'main.ts'),
    'outage-soak': join(root, 'capture', 'src', 'e2e', 'outage-soak.ts'),
  },
  outdir,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  tsconfig: join(root, 'capture', 'tsconfig.app.json'),
  // npm packages load from node_modules at run time; the workspace library is bundled.
  packages: 'external',
  logLevel: 'warning',
});

const { soakMain } = createRequire(import.meta.url)(join(outdir, 'outage-soak.js'));
process.exitCode = await soakMain(process.argv.slice(2), join(outdir, 'main.js'));
