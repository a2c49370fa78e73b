import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORES, openTestStore, type TestStore } from '../../test/support/stores.ts';
import { RateCounters, WINDOW_MS } from './rate-counters.ts';

// The shared window counts: exact in one process whatever the flushes are doing, summed across
// processes through the table, and fresh in the next window.

for (const kind of STORES) {
  describe(`rate counters (${kind})`, () => {
    let store: TestStore;
    before(async () => {
      store = await openTestStore(kind);
    });
    after(() => store.close());

    test('hits made while a flush is in flight are never lost from the count', async () => {
      let now = 10 * WINDOW_MS;
      const c = new RateCounters(store.db, () => now);
      for (let i = 1; i <= 3; i++) assert.equal(c.hit('b1').count, i);
      const flushing = c.flush();
      assert.equal(c.hit('b1').count, 4, 'counted while the first three are being sent');
      await flushing;
      assert.equal(c.peek('b1').count, 4);
      await c.flush();
      assert.equal(c.peek('b1').count, 4);
      now += WINDOW_MS;
      assert.equal(c.hit('b1').count, 1, 'a new window starts from zero');
      await c.close();
    });

    test('two processes add up through the table', async () => {
      const now = () => 20 * WINDOW_MS;
      const a = new RateCounters(store.db, now);
      const b = new RateCounters(store.db, now);
      a.hit('shared');
      a.hit('shared');
      b.hit('shared');
      await a.flush();
      await b.flush();
      assert.equal(b.peek('shared').count, 3);
      await a.flush(); // nothing new from a: it reads b's hit back
      assert.equal(a.peek('shared').count, 3);
      await a.close();
      await b.close();
    });
  });
}
