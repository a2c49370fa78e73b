import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORES, openTestStore, type TestStore } from '../../test/support/stores.ts';

// copyRows: chunks of rows in, all or nothing with the transaction around it, every constraint
// checked, and an error from the server always comes back (a refused COPY must not leave the
// caller waiting).

const rows = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `${from + i}\tname ${from + i}\n`).join('');
const count = async (store: TestStore, table = 'copy_target') => (await store.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0].n;

for (const kind of STORES) {
  describe(`copyRows (${kind})`, { timeout: 60_000 }, () => {
    let store: TestStore;
    before(async () => {
      store = await openTestStore(kind);
      await store.db.exec(`CREATE TABLE copy_target (id int PRIMARY KEY, name text NOT NULL); CREATE TABLE copy_child (parent int NOT NULL REFERENCES copy_target (id))`);
    });
    after(() => store.close());

    test('loads chunks holding many rows each', async () => {
      await store.db.transaction((tx) => tx.copyRows('copy_target', ['id', 'name'], [rows(0, 500), rows(500, 1000)]));
      assert.equal(await count(store), 1000);
    });

    test("a duplicate in the last rows fails the whole COPY with the server's error", async () => {
      await assert.rejects(
        store.db.transaction((tx) => tx.copyRows('copy_target', ['id', 'name'], [rows(2000, 2100), rows(2100, 2200), '5\tagain\n'])),
        /duplicate key/,
      );
      assert.equal(await count(store), 1000);
    });

    test('a source that throws fails the COPY and nothing lands', async () => {
      function* broken() {
        yield rows(3000, 3100);
        throw new Error('generator broke');
      }
      await assert.rejects(
        store.db.transaction((tx) => tx.copyRows('copy_target', ['id', 'name'], broken())),
        /generator broke/,
      );
      assert.equal(await count(store), 1000);
    });

    test('a COPY that went in is rolled back with its transaction', async () => {
      await assert.rejects(
        store.db.transaction(async (tx) => {
          await tx.copyRows('copy_target', ['id', 'name'], [rows(4000, 4100)]);
          assert.equal((await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM copy_target`))[0].n, 1100, 'visible inside the transaction');
          throw new Error('changed my mind');
        }),
        /changed my mind/,
      );
      assert.equal(await count(store), 1000);
    });

    test('foreign keys are checked on every row', async () => {
      await assert.rejects(
        store.db.transaction((tx) => tx.copyRows('copy_child', ['parent'], ['1\n', '999999\n'])),
        /foreign key/,
      );
      assert.equal(await count(store, 'copy_child'), 0);
    });
  });
}
