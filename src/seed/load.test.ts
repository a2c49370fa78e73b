import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORES, openTestStore, type TestStore } from '../../test/support/stores.ts';
import { countedCounters, keptCounters } from '../../test/support/record-counts.ts';
import { createAccount } from '../store/accounts-repo.ts';
import { createCustomer } from '../store/customers-repo.ts';
import { runLoad } from '../store/bulk-load.ts';
import type { Db } from '../store/db.ts';
import { generateCustomers } from './generate.ts';
import { seed } from './load.ts';

// The seed loads batches with every index and constraint in force, so it must leave the same
// schema and the same records as row-by-row inserts would, never collide with what an account
// already holds, and a load stopped part way must be finished by running it again.

const COUNT = 3000;
const BATCH = 700;

/** Every index and constraint on the seeded tables, as SQL. */
async function schema(db: Db) {
  const indexes = await db.query<{ name: string; def: string }>(`SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE tablename IN ('customers', 'product_accounts', 'users') ORDER BY 1`);
  const constraints = await db.query<{ name: string; def: string }>(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid IN ('customers'::regclass, 'product_accounts'::regclass, 'users'::regclass) ORDER BY 1`,
  );
  return { indexes, constraints };
}

const count = async (db: Db, sql: string, params: unknown[]) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params))[0].n;
const writeVersion = async (db: Db, account: string) => Number((await db.query<{ v: string }>(`SELECT write_version AS v FROM account_modes WHERE account_id = $1`, [account]))[0].v);

async function assertCountersExact(db: Db, account: string) {
  for (const table of ['customers', 'users'] as const) assert.deepEqual(await keptCounters(db, table, account), await countedCounters(db, table, account), `${table} counters of ${account}`);
}

for (const kind of STORES) {
  describe(`bulk seed (${kind})`, () => {
    let store: TestStore;
    let a: string;
    let b: string;
    let before0: Awaited<ReturnType<typeof schema>>;
    let version0: number;
    before(async () => {
      store = await openTestStore(kind);
      a = (await createAccount(store.db, 'Seeded', 'test')).account_id;
      b = (await createAccount(store.db, 'Neighbour', 'test')).account_id;
      await createCustomer(store.db, b, { type: 'individual', name: 'Kept', email: 'kept@example.com', external_id: 'ext-0000001' });
      before0 = await schema(store.db);
      version0 = await writeVersion(store.db, a);
      await seed(store.db, { accountId: a, customers: COUNT, users: 5, seed: 3, batchSize: BATCH });
    });
    after(() => store.close());

    test('every index and constraint is as it was', async () => {
      assert.deepEqual(await schema(store.db), before0);
    });

    test('the records are the generated ones, and the other account is untouched', async () => {
      const want = [...generateCustomers({ count: COUNT, seed: 3, firstNumber: 1, batchSize: BATCH })];
      const got = await store.db.query<{
        id: string;
        number: string;
        uuid: string;
        email: string;
        parent_id: string | null;
        operator_id: string | null;
        ancestors: string[];
        deleted: boolean;
        products: number;
      }>(
        `SELECT id, number, uuid, email, parent_id, operator_id, ancestors, deleted_at IS NOT NULL AS deleted,
                (SELECT count(*)::int FROM product_accounts p WHERE p.account_id = c.account_id AND p.customer_id = c.id) AS products
           FROM customers c WHERE account_id = $1 ORDER BY number`,
        [a],
      );
      assert.deepEqual(
        got.map((r) => ({ ...r, number: Number(r.number) })),
        want.map((c) => ({
          id: c.id,
          number: c.number,
          uuid: c.uuid,
          email: c.email,
          parent_id: c.parent_id,
          operator_id: c.operator_id,
          ancestors: c.ancestors,
          deleted: c.deleted_at !== null,
          products: c.product_accounts.length,
        })),
      );
      assert.equal(await count(store.db, `customers WHERE account_id = $1 AND name = 'Kept'`, [b]), 1);
      assert.equal(await count(store.db, `users WHERE account_id = $1`, [a]), 5);
    });

    test('the hierarchy holds in the store: parents exist, ancestors and operators match', async () => {
      assert.equal(
        await count(store.db, `customers c WHERE account_id = $1 AND parent_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM customers p WHERE p.account_id = c.account_id AND p.id = c.parent_id)`, [a]),
        0,
      );
      assert.equal(
        await count(
          store.db,
          `customers c JOIN customers p ON p.account_id = c.account_id AND p.id = c.parent_id
          WHERE c.account_id = $1 AND (c.ancestors <> p.ancestors || p.id OR c.operator_id IS DISTINCT FROM (CASE WHEN p.type = 'operator' THEN p.id ELSE p.operator_id END))`,
          [a],
        ),
        0,
      );
      // The owner's and operator's names and numbers carried on each record are theirs.
      const carried = `customers c LEFT JOIN customers p ON p.account_id = c.account_id AND p.id = c.parent_id
          LEFT JOIN customers o ON o.account_id = c.account_id AND o.id = c.operator_id WHERE c.account_id = $1`;
      assert.equal(
        await count(
          store.db,
          `${carried} AND (c.parent_number IS DISTINCT FROM p.number OR c.parent_name IS DISTINCT FROM p.name
          OR c.operator_number IS DISTINCT FROM o.number OR c.operator_name IS DISTINCT FROM o.name)`,
          [a],
        ),
        0,
      );
      assert.ok((await count(store.db, `${carried} AND c.operator_number IS NOT NULL AND c.parent_number <> c.operator_number`, [a])) > 0);
      assert.ok((await count(store.db, `customers WHERE account_id = $1 AND cardinality(ancestors) >= 3`, [a])) > 0);
      // Batches stand alone: no customer is owned by one of another batch.
      assert.equal(
        await count(store.db, `customers c JOIN customers p ON p.account_id = c.account_id AND p.id = c.parent_id WHERE c.account_id = $1 AND (c.number - 1) / ${BATCH} <> (p.number - 1) / ${BATCH}`, [
          a,
        ]),
        0,
      );
      assert.equal(await count(store.db, `product_accounts p WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.account_id = p.account_id AND c.id = p.customer_id)`, []), 0);
    });

    test('derived columns are computed, the counters are exact and the write version moved on', async () => {
      assert.equal(await count(store.db, `customers WHERE account_id = $1 AND (kyc_status IS NULL OR search_text IS NULL OR sort_name IS NULL)`, [a]), 0);
      assert.ok((await count(store.db, `customers WHERE account_id = $1 AND search_text LIKE '%example.com%'`, [a])) === COUNT);
      assert.ok((await writeVersion(store.db, a)) > version0);
      await assertCountersExact(store.db, a);
    });

    test('seeding the same account again, with the same seed, adds new records and never collides', async () => {
      const ids = new Set((await store.db.query<{ id: string; uuid: string }>(`SELECT id, uuid::text AS uuid FROM customers WHERE account_id = $1`, [a])).flatMap((r) => [r.id, r.uuid]));
      await seed(store.db, { accountId: a, customers: 1000, users: 5, seed: 3, batchSize: BATCH });
      assert.equal(await count(store.db, `customers WHERE account_id = $1`, [a]), COUNT + 1000);
      assert.equal(await count(store.db, `users WHERE account_id = $1`, [a]), 10);
      const added = await store.db.query<{ id: string; uuid: string }>(`SELECT id, uuid::text AS uuid FROM customers WHERE account_id = $1 AND number > $2`, [a, COUNT]);
      assert.equal(added.length, 1000);
      assert.ok(
        added.every((r) => !ids.has(r.id) && !ids.has(r.uuid)),
        'new ids and uuids',
      );
      assert.deepEqual(await schema(store.db), before0);
      await assertCountersExact(store.db, a);
    });

    test('a seed whose external ids the account already uses is refused before it writes anything', async () => {
      const c = await createAccount(store.db, 'Taken', 'test');
      await createCustomer(store.db, c.account_id, { type: 'individual', name: 'Squatter', external_id: 'ext-0000007' });
      await assert.rejects(seed(store.db, { accountId: c.account_id, customers: 50, users: 0, seed: 1 }), /external_ids that account .* already uses \(external_id ext-0000007\); nothing was written/);
      assert.equal(await count(store.db, `customers WHERE account_id = $1`, [c.account_id]), 1);
    });

    test('a load that stops part way keeps whole batches, and the same load run again finishes it', async () => {
      const d = (await createAccount(store.db, 'Stopped', 'test')).account_id;
      const opts = { accountId: d, customers: 2100, users: 3, seed: 9, batchSize: 300 };
      // The same plan as the seed's, made to fail at its fifth batch.
      let failAt: number | undefined = 4;
      const { seedPlan } = await import('./load.ts');
      const failing = {
        ...seedPlan(opts),
        connections: 1,
        async batch(tx: Parameters<ReturnType<typeof seedPlan>['batch']>[0], index: number, params: Parameters<ReturnType<typeof seedPlan>['batch']>[2]) {
          if (index === failAt) throw new Error('stopped at batch 4');
          return seedPlan(opts).batch(tx, index, params);
        },
      };
      await assert.rejects(runLoad(store.db, failing), /stopped at batch 4/);
      assert.equal(await count(store.db, `customers WHERE account_id = $1`, [d]), 4 * 300, 'the four batches before it are in');
      await assertCountersExact(store.db, d);
      failAt = undefined;
      const r = await seed(store.db, opts);
      assert.equal(r.resumed, true);
      assert.equal(await count(store.db, `customers WHERE account_id = $1`, [d]), 2100);
      assert.equal(await count(store.db, `users WHERE account_id = $1`, [d]), 3);
      const want = [...generateCustomers({ count: 2100, seed: 9, firstNumber: 1, batchSize: 300 })].map((c) => c.id);
      const got = (await store.db.query<{ id: string }>(`SELECT id FROM customers WHERE account_id = $1 ORDER BY number`, [d])).map((x) => x.id);
      assert.deepEqual(got, want, 'exactly the records one uninterrupted run writes');
      await assertCountersExact(store.db, d);
      // Finished: the same command now starts a new load, of new records.
      assert.equal((await seed(store.db, opts)).resumed, false);
      assert.equal(await count(store.db, `customers WHERE account_id = $1`, [d]), 4200);
    });
  });
}
