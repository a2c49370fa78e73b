import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORES } from './support/stores.ts';
import { startFuzzServer, type FuzzServer } from './support/fuzz/fixtures.ts';
import { formatTally, runFuzz } from './support/fuzz/runner.ts';

// Generated hostile requests against every route of every surface, on both stores: no 5xx, no
// hang, every error in its surface's shape, nothing written by a refused request. A short run
// here; `npm run fuzz -- --count 100000 [--seed N]` runs the long one. A failure prints the
// seed, which replays the same requests.

const COUNT = Number(process.env.ROSTER_FUZZ_COUNT ?? 3000);
const SEED = Number(process.env.ROSTER_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));

for (const kind of STORES) {
  describe(`fuzz (${kind})`, () => {
    let f: FuzzServer;
    before(async () => {
      f = await startFuzzServer(kind);
    });
    after(() => f.server.close());

    test(`${COUNT} hostile requests across every route (seed ${SEED})`, async (t) => {
      assert.ok(f.routes.length > 40, `routes were collected (${f.routes.length})`);
      for (const prefix of ['/v1/', '/dakota/', '/spirii/', '/dintero/v1/', '/investifi/v1/'])
        assert.ok(
          f.routes.some((r) => r.url.startsWith(prefix)),
          `routes under ${prefix}`,
        );
      const started = Date.now();
      const tally = await runFuzz({ base: f.server.base, db: f.server.db, routes: f.routes, fixtures: f.fixtures, count: COUNT, seed: SEED });
      const report = formatTally(`fuzz ${kind} seed ${SEED}`, tally, Date.now() - started);
      t.diagnostic(report);
      assert.equal(tally.total, COUNT, report);
      assert.equal(tally.failures.length, 0, report);
      // The requests must reach the store, not only bounce off validation.
      assert.ok(
        Object.entries(tally.byStatus).some(([s, n]) => s.startsWith('2') && n > COUNT / 20),
        report,
      );
    });
  });
}
