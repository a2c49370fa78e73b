import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORES, openTestStore, type TestStore } from './support/stores.ts';
import { createAccount } from '../src/store/accounts-repo.ts';
import { createCustomer } from '../src/store/customers-repo.ts';
import { inAccount } from '../src/store/db.ts';

// Row-level security is the second wall: even SQL that forgets its account scope sees only
// the account its transaction was opened for.

for (const kind of STORES) {
  describe(`row-level security (${kind})`, () => {
    let s: TestStore;
    let a: string;
    let b: string;
    before(async () => {
      s = await openTestStore(kind);
      a = (await createAccount(s.db, 'A')).account_id;
      b = (await createAccount(s.db, 'B')).account_id;
      await createCustomer(s.db, a, { name: 'In A' });
      await createCustomer(s.db, a, { name: 'Also in A' });
      await createCustomer(s.db, b, { name: 'In B' });
    });
    after(() => s.close());

    test('an unscoped read sees only its own account', async () => {
      const names = await inAccount(s.db, a, (tx) => tx.query<{ name: string }>('SELECT name FROM customers ORDER BY name'));
      assert.deepEqual(names.map((r) => r.name), ['Also in A', 'In A']);
      const other = await inAccount(s.db, b, (tx) => tx.query<{ name: string }>('SELECT name FROM customers'));
      assert.deepEqual(other.map((r) => r.name), ['In B']);
    });

    test('an unscoped write cannot touch another account', async () => {
      await inAccount(s.db, b, (tx) => tx.query(`UPDATE customers SET name = 'hijacked'`));
      const names = await inAccount(s.db, a, (tx) => tx.query<{ name: string }>('SELECT name FROM customers ORDER BY name'));
      assert.deepEqual(names.map((r) => r.name), ['Also in A', 'In A']);
      await assert.rejects(inAccount(s.db, b, (tx) => tx.query(`INSERT INTO customers (account_id, id, number, uuid, type) VALUES ($1, 'x', 999, gen_random_uuid(), 'individual')`, [a])));
    });
  });
}
