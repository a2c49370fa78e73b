import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORES, openTestStore, type TestStore } from '../../test/support/stores.ts';

// copyRows: chunks of rows in, all or nothing, and an error from the server always comes back
// (a refused COPY must not leave the caller waiting).

const rows = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `${from + i}\tname ${from + i}\n`).join('');
const count = async (store: TestStore) => (await store.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM copy_target`))[0].n;

for (const kind of STORES) {
  describe(`copyRows (${kind})`, { timeout: 60_000 }, () => {
    let store: TestStore;
    before(async () => {
      store = await openTestStore(kind);
      await store.db.exec(`CREATE TABLE copy_target (id int PRIMARY KEY, name text NOT NULL); CREATE TABLE copy_child (parent int NOT NULL REFERENCES copy_target (id))`);
    });
    after(() => store.close());

    test('loads chunks holding many rows each', async () => {
      await store.db.copyRows('copy_target', ['id', 'name'], [rows(0, 500), rows(500, 1000)]);
      assert.equal(await count(store), 1000);
    });

    for (const asReplica of [false, true]) {
      test(`a duplicate in the last rows fails the whole COPY with the server's error${asReplica ? ' (as a replica)' : ''}`, async () => {
        await assert.rejects(store.db.copyRows('copy_target', ['id', 'name'], [rows(2000, 2100), rows(2100, 2200), '5\tagain\n'], { asReplica }), /duplicate key/);
        assert.equal(await count(store), 1000);
      });

      test(`a source that throws fails the COPY and nothing lands${asReplica ? ' (as a replica)' : ''}`, async () => {
        function* broken() {
          yield rows(3000, 3100);
          throw new Error('generator broke');
        }
        await assert.rejects(store.db.copyRows('copy_target', ['id', 'name'], broken(), { asReplica }), /generator broke/);
        assert.equal(await count(store), 1000);
      });
    }

    test('as a replica, foreign keys are not checked; otherwise they are', async () => {
      await assert.rejects(store.db.copyRows('copy_child', ['parent'], ['999999\n']), /foreign key/);
      await store.db.copyRows('copy_child', ['parent'], ['999999\n'], { asReplica: true });
      assert.equal((await store.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM copy_child`))[0].n, 1);
      // The setting was for that COPY only.
      assert.equal((await store.db.query<{ r: string }>(`SELECT current_setting('session_replication_role') AS r`))[0].r, 'origin');
      await assert.rejects(store.db.copyRows('copy_child', ['parent'], ['999998\n']), /foreign key/);
    });
  });
}
