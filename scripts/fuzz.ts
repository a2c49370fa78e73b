// `npm run fuzz -- --count 100000 [--seed N] [--store pglite|postgres]`: the long run of the
// fuzz test (test/fuzz.test.ts) on the embedded store and on a real PostgreSQL (DATABASE_URL, or
// a throwaway cluster started here), printing each store's tally. Exits non-zero on any failure.
import { parseArgs } from 'node:util';
import { startCluster } from './pg-cluster.js';
import { startFuzzServer } from '../test/support/fuzz/fixtures.ts';
import { formatTally, runFuzz } from '../test/support/fuzz/runner.ts';
import type { StoreKind } from '../test/support/stores.ts';

const { values } = parseArgs({ options: { count: { type: 'string', default: '100000' }, seed: { type: 'string' }, store: { type: 'string' } } });
const count = Number(values.count);
const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
const stores: StoreKind[] = values.store ? [values.store as StoreKind] : ['pglite', 'postgres'];

let cluster: Awaited<ReturnType<typeof startCluster>> | undefined;
if (stores.includes('postgres') && !process.env.ROSTER_TEST_DATABASE_URL) {
  if (process.env.DATABASE_URL) process.env.ROSTER_TEST_DATABASE_URL = process.env.DATABASE_URL;
  else {
    cluster = await startCluster();
    process.env.ROSTER_TEST_DATABASE_URL = cluster.url;
  }
}

let failed = false;
const wall = Date.now();
try {
  for (const kind of stores) {
    const f = await startFuzzServer(kind);
    const started = Date.now();
    try {
      const tally = await runFuzz({
        base: f.server.base,
        db: f.server.db,
        routes: f.routes,
        fixtures: f.fixtures,
        count,
        seed,
        onProgress: (done, t) => {
          if (done % 10_000 === 0 || done === count)
            process.stderr.write(`${kind}: ${done}/${count}, 5xx ${t.fiveXX}, failures ${t.failures.length}, ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
        },
      });
      console.log(formatTally(`${kind} (seed ${seed}, ${f.routes.length} routes)`, tally, Date.now() - started));
      failed ||= tally.failures.length > 0 || tally.total !== count;
    } finally {
      await f.server.close();
    }
  }
} finally {
  cluster?.stop();
}
console.log(`wall time ${((Date.now() - wall) / 1000).toFixed(1)} s`);
process.exit(failed ? 1 : 0);
