// The search part of `npm run bench:recordings`: runs scripts/bench-recordings-search.mjs (its own app,
// on the seeded 10 M-call database) and reads back its JSON.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * mysqlServer: mysql://user@host:port (no database). seed: false = --measure-only (fails fast with a
 * hint when the database was never seeded), true = seed first when needed (about 20 minutes).
 */
export async function runSearchBench({ mysqlServer, database, shapes, shapeSeconds, iterations, out, seed }) {
  const args = ['scripts/bench-recordings-search.mjs', ...(seed ? [] : ['--measure-only'])];
  const child = spawn(process.execPath, args, {
    env: {
      ...process.env,
      BENCH_MYSQL: mysqlServer,
      BENCH_DB: database,
      BENCH_SHAPES: shapes.join(','),
      BENCH_SHAPE_SECONDS: String(shapeSeconds),
      BENCH_ITERATIONS: String(iterations),
      BENCH_OUT: out,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const code = await new Promise((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`bench-recordings-search.mjs exited with ${code} (see above)`);
  const json = JSON.parse(readFileSync(out, 'utf8'));
  return {
    database,
    bufferPoolMB: json.database.bufferPoolMB,
    version: json.database.version,
    seed: { calls: json.seed.calls, dataMB: json.database.dataMB, indexMB: json.database.indexMB },
    apiFloor: json.apiFloor,
    loadAverage1m: json.loadAverage1m,
    results: json.results.map((r) => ({
      shape: r.shape,
      name: r.name,
      plan: r.plan,
      iterations: r.iterations,
      mismatches: r.mismatches,
      api: r.api,
      raw: r.raw,
      apiHot: r.apiHot,
      rawHot: r.rawHot,
      apiNextPage: r.apiNextPage,
      explain: r.explain,
    })),
    json: out,
  };
}
