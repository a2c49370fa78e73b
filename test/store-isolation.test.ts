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
      assert.deepEqual(
        names.map((r) => r.name),
        ['Also in A', 'In A'],
      );
      const other = await inAccount(s.db, b, (tx) => tx.query<{ name: string }>('SELECT name FROM customers'));
      assert.deepEqual(
        other.map((r) => r.name),
        ['In B'],
      );
    });

    test('an unscoped write cannot touch another account', async () => {
      await inAccount(s.db, b, (tx) => tx.query(`UPDATE customers SET name = 'hijacked'`));
      const names = await inAccount(s.db, a, (tx) => tx.query<{ name: string }>('SELECT name FROM customers ORDER BY name'));
      assert.deepEqual(
        names.map((r) => r.name),
        ['Also in A', 'In A'],
      );
      // Refused by the policy (42501), not by anything else the row might break: the same row
      // written into its own account goes in.
      const insert = (into: string) => `INSERT INTO customers (account_id, id, number, uuid, type) VALUES ('${into}', 'x', 999, gen_random_uuid(), 'individual')`;
      await assert.rejects(
        inAccount(s.db, b, (tx) => tx.query(insert(a))),
        (e: { code?: string; message?: string }) => e.code === '42501' && /row-level security/.test(e.message ?? ''),
      );
      await inAccount(s.db, b, async (tx) => {
        await tx.query(insert(b));
        await tx.query(`DELETE FROM customers WHERE id = 'x'`);
      });
      const [{ n }] = await s.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM customers WHERE id = 'x'`);
      assert.equal(n, 0);
    });

    // postgres.js returns its own array class; compare plain rows.
    const rows = async (p: Promise<Record<string, unknown>[]>) => [...(await p)].map((r) => ({ ...r }));

    test('a reader sees only its account, and leaves no role or account behind', async () => {
      const session = `SELECT current_user AS who, coalesce(current_setting('roster.account_id', true), '') AS account`;
      const names = `SELECT name FROM customers ORDER BY name`;
      const owner = (await s.db.query<{ who: string }>(session))[0].who;
      for (const prepare of [true, false, true]) {
        for (const account of [a, b]) {
          const expected = await rows(inAccount(s.db, account, (tx) => tx.query(names)));
          assert.ok(expected.length > 0);
          assert.deepEqual(await rows(s.db.reader(account).query(names, [], { prepare })), expected);
          assert.deepEqual(await rows(s.db.reader(account).query(session, [], { prepare })), [{ who: 'roster_app', account }]);
        }
        assert.deepEqual(await rows(s.db.query(session, [], { prepare })), [{ who: owner, account: '' }]);
      }
    });

    test('a failed read leaves the store as it was', async () => {
      await assert.rejects(s.db.reader(a).query('SELECT 1/0', [], { prepare: true }), { code: '22012' });
      await assert.rejects(s.db.reader(a).query('SELECT nope FROM customers'), { code: '42703' });
      assert.deepEqual(await rows(s.db.query(`SELECT coalesce(current_setting('roster.account_id', true), '') AS account`)), [{ account: '' }]);
      assert.equal((await s.db.reader(b).query('SELECT name FROM customers', [], { prepare: true })).length, 1);
    });

    test('reads interleaved with a write transaction each keep their own role and account', async () => {
      const count = (acc: string) => s.db.reader(acc).query<{ n: number }>('SELECT count(*)::int AS n FROM customers', [], { prepare: true });
      const [, counts] = await Promise.all([
        inAccount(s.db, b, async (tx) => {
          await tx.query(`SELECT 1`);
          await new Promise((r) => setTimeout(r, 10));
          assert.deepEqual(await rows(tx.query(`SELECT current_setting('roster.account_id') AS account`)), [{ account: b }]);
          await tx.query(`UPDATE customers SET name = name`);
        }),
        Promise.all([a, b, a].map(count)),
      ]);
      assert.deepEqual(
        counts.map((r) => r[0].n),
        [2, 1, 2],
      );
      await s.db.transaction(async (tx) => {
        assert.deepEqual(await rows(tx.query(`SELECT coalesce(current_setting('roster.account_id', true), '') AS account`, [], { prepare: true })), [{ account: '' }]);
      });
    });
  });
}
