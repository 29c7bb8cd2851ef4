import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

// Encoders run on worker threads in the backend and in the capture service. A build ships each
// worker as its own bundle beside main.js; from source (jest, ts-node) the worker's .ts file is
// compiled on the fly, with the @appliance/audio-format alias that tsconfig.base.json declares.

export interface WorkerEntry {
  /** The built worker bundle (e.g. `<dist>/encode-worker.js`); used when it exists. */
  built: string;
  /** The worker's TypeScript source; used when the bundle does not exist. */
  source: string;
}

/** A function that starts the worker, or null when neither the bundle nor the source exists. */
export function workerSpawner(entry: WorkerEntry): (() => Worker) | null {
  if (existsSync(entry.built)) return () => new Worker(entry.built);
  if (!existsSync(entry.source)) return null;
  const workerData = {
    tsNode: require.resolve('ts-node'),
    entry: entry.source,
    library: join(__dirname, '..', 'index.ts'),
  };
  return () => new Worker(SOURCE_BOOTSTRAP, { eval: true, workerData });
}

// Registers ts-node (transpile only) and maps the library's alias to its source.
const SOURCE_BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
require(workerData.tsNode).register({ transpileOnly: true, skipProject: true, compilerOptions: { module: 'commonjs', target: 'es2022', esModuleInterop: true } });
const Module = require('node:module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolve.call(this, request === '@appliance/audio-format' ? workerData.library : request, ...rest);
};
require(workerData.entry);
`;
