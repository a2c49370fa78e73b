import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORES, openTestStore, type TestStore } from '../../test/support/stores.ts';
import { createAccount } from '../store/accounts-repo.ts';
import { createCustomer } from '../store/customers-repo.ts';
import type { Db } from '../store/db.ts';
import { generateCustomers } from './generate.ts';
import { seed } from './load.ts';

// The bulk path (indexes dropped and rebuilt, parallel COPY streams, foreign keys skipped for a
// superuser) must leave the same schema and the same records as row-by-row inserts would.

const COUNT = 3000;

/** Every index and constraint on the seeded tables, as SQL. */
async function schema(db: Db) {
  const indexes = await db.query<{ name: string; def: string }>(`SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE tablename IN ('customers', 'product_accounts') ORDER BY 1`);
  const constraints = await db.query<{ name: string; def: string }>(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid IN ('customers'::regclass, 'product_accounts'::regclass) ORDER BY 1`,
  );
  return { indexes, constraints };
}

const count = async (db: Db, sql: string, params: unknown[]) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params))[0].n;
const writeVersion = async (db: Db, account: string) => Number((await db.query<{ v: string }>(`SELECT write_version AS v FROM account_modes WHERE account_id = $1`, [account]))[0].v);

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
      await seed(store.db, { accountId: a, customers: COUNT, users: 5, seed: 3, bulk: true });
    });
    after(() => store.close());

    test('every index and constraint is back as it was', async () => {
      assert.deepEqual(await schema(store.db), before0);
    });

    test('the records are the generated ones, and the other account is untouched', async () => {
      const want = [...generateCustomers({ count: COUNT, seed: 3, firstNumber: 1 })];
      const got = await store.db.query<{ id: string; number: string; uuid: string; email: string; parent_id: string | null; operator_id: string | null; ancestors: string[]; deleted: boolean; products: number }>(
        `SELECT id, number, uuid, email, parent_id, operator_id, ancestors, deleted_at IS NOT NULL AS deleted,
                (SELECT count(*)::int FROM product_accounts p WHERE p.account_id = c.account_id AND p.customer_id = c.id) AS products
           FROM customers c WHERE account_id = $1 ORDER BY number`,
        [a],
      );
      assert.deepEqual(
        got.map((r) => ({ ...r, number: Number(r.number) })),
        want.map((c) => ({ id: c.id, number: c.number, uuid: c.uuid, email: c.email, parent_id: c.parent_id, operator_id: c.operator_id, ancestors: c.ancestors, deleted: c.deleted_at !== null, products: c.product_accounts.length })),
      );
      assert.equal(await count(store.db, `customers WHERE account_id = $1 AND name = 'Kept'`, [b]), 1);
      assert.equal(await count(store.db, `users WHERE account_id = $1`, [a]), 5);
    });

    test('the hierarchy holds in the store: parents exist, ancestors and operators match', async () => {
      assert.equal(await count(store.db, `customers c WHERE account_id = $1 AND parent_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM customers p WHERE p.account_id = c.account_id AND p.id = c.parent_id)`, [a]), 0);
      assert.equal(
        await count(store.db, `customers c JOIN customers p ON p.account_id = c.account_id AND p.id = c.parent_id
          WHERE c.account_id = $1 AND (c.ancestors <> p.ancestors || p.id OR c.operator_id IS DISTINCT FROM (CASE WHEN p.type = 'operator' THEN p.id ELSE p.operator_id END))`, [a]),
        0,
      );
      // The owner's and operator's names and numbers carried on each record are theirs.
      const carried = `customers c LEFT JOIN customers p ON p.account_id = c.account_id AND p.id = c.parent_id
          LEFT JOIN customers o ON o.account_id = c.account_id AND o.id = c.operator_id WHERE c.account_id = $1`;
      assert.equal(
        await count(store.db, `${carried} AND (c.parent_number IS DISTINCT FROM p.number OR c.parent_name IS DISTINCT FROM p.name
          OR c.operator_number IS DISTINCT FROM o.number OR c.operator_name IS DISTINCT FROM o.name)`, [a]),
        0,
      );
      assert.ok(await count(store.db, `${carried} AND c.operator_number IS NOT NULL AND c.parent_number <> c.operator_number`, [a]) > 0);
      assert.ok(await count(store.db, `customers WHERE account_id = $1 AND cardinality(ancestors) >= 3`, [a]) > 0);
      assert.equal(await count(store.db, `product_accounts p WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.account_id = p.account_id AND c.id = p.customer_id)`, []), 0);
    });

    test('derived columns are computed and the write version moved on', async () => {
      assert.equal(await count(store.db, `customers WHERE account_id = $1 AND (kyc_status IS NULL OR search_text IS NULL OR sort_name IS NULL)`, [a]), 0);
      assert.ok((await count(store.db, `customers WHERE account_id = $1 AND search_text LIKE '%example.com%'`, [a])) === COUNT);
      assert.ok((await writeVersion(store.db, a)) > version0);
    });

    test('a load that fails leaves no records behind and every index in place', async () => {
      const customers = await count(store.db, `customers WHERE account_id = $1`, [a]);
      const products = await count(store.db, `product_accounts WHERE account_id = $1`, [a]);
      // The same seed again makes the same ids: the primary key, kept during the load, refuses them.
      await assert.rejects(seed(store.db, { accountId: a, customers: COUNT, users: 0, seed: 3, bulk: true }), /duplicate key|customers_pkey/);
      assert.equal(await count(store.db, `customers WHERE account_id = $1`, [a]), customers);
      assert.equal(await count(store.db, `product_accounts WHERE account_id = $1`, [a]), products);
      assert.deepEqual(await schema(store.db), before0);
    });
  });
}
