import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORES, openTestStore, type TestStore } from './support/stores.ts';
import { COUNTED, PAIRS, countedCounters, keptCounters } from './support/record-counts.ts';
import { createAccount } from '../src/store/accounts-repo.ts';
import { createCustomer, deleteCustomer, updateCustomer } from '../src/store/customers-repo.ts';
import { createUser, deleteUser, updateUser } from '../src/store/users-repo.ts';
import { inAccount, isUniqueViolation } from '../src/store/db.ts';
import { runList } from '../src/store/list.ts';
import { countIsKept } from '../src/store/compiler/compile-list.ts';
import { scopeQuery } from '../src/core/scope.ts';
import { eq, inList, listQuery, type Field, type FieldTest, type ListQuery, type Scalar, type Tree } from '../src/core/list-query.ts';
import { APPLICATION_DECISIONS, APPLICATION_STATUSES, CUSTOMER_TYPES, KYB_STATUSES, USER_ROLES, type CustomerInput } from '../src/core/model.ts';
import { seed } from '../src/seed/load.ts';
import { prng } from '../src/seed/random.ts';

// The oracle for counts kept on write: random writes of every kind (single records through the
// repositories, multi-row statements, restores and hard deletes, bulk seeds in batches), each
// followed by the counters compared with count(*) over the records, and, every
// few steps, every count a list can read from the counters compared through runList.

const DELETED = ['exclude', 'include', 'only'] as const;
const COUNTRIES = ['DK', 'SE', 'US', null];
const STATUSES = ['active', 'blocked', 'Active', null];
const LINK_STATUSES = ['created', 'completed', 'needs_review', 'pending', 'expired'];

for (const kind of STORES) {
  describe(`counts kept on write (${kind})`, () => {
    let s: TestStore;
    let a: string;
    let b: string;
    const rnd = prng(70);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
    let seeds = 0;

    before(async () => {
      s = await openTestStore(kind);
      a = (await createAccount(s.db, 'Counted')).account_id;
      b = (await createAccount(s.db, 'Neighbour')).account_id;
    });
    after(() => s.close());

    const randomFields = (): CustomerInput => {
      const input: Record<string, unknown> = {};
      if (rnd() < 0.6) input.type = pick(CUSTOMER_TYPES);
      if (rnd() < 0.5) input.country = pick(COUNTRIES);
      if (rnd() < 0.5) input.status = pick(STATUSES);
      if (rnd() < 0.5) input.kyb_status = pick(KYB_STATUSES);
      if (rnd() < 0.3) input.is_sub_client = rnd() < 0.5;
      // kyc_status is derived from the application and the links: change it through them.
      if (rnd() < 0.4) input.application = rnd() < 0.2 ? null : { id: 'app', status: pick(APPLICATION_STATUSES), ...(rnd() < 0.4 ? { decision: pick(APPLICATION_DECISIONS) } : {}) };
      if (rnd() < 0.3) input.kyc_links = [{ provider: 'persona', link_type: 'persona', url: 'https://example.com', status: pick(LINK_STATUSES), created_at: new Date().toISOString() }];
      return input as CustomerInput;
    };

    const ids = async (account: string, live: boolean) =>
      (await s.db.query<{ id: string }>(`SELECT id FROM customers WHERE account_id = $1 AND (deleted_at IS NULL) = $2 ORDER BY id`, [account, live])).map((r) => r.id);
    const userIds = async (account: string) => (await s.db.query<{ id: string }>(`SELECT id FROM users WHERE account_id = $1 AND deleted_at IS NULL ORDER BY id`, [account])).map((r) => r.id);

    /**
     * Every kind of write the counters must follow, with how often a random draw picks it. Each
     * returns what it did, for failure messages; one that finds nothing to act on does the
     * nearest write that it can.
     */
    const WRITES: { kind: string; weight: number; run: (account: string) => Promise<string> }[] = [
      {
        kind: 'create',
        weight: 25,
        run: async (account) => {
          await createCustomer(s.db, account, { type: 'individual', ...randomFields() });
          return 'create';
        },
      },
      {
        kind: 'update',
        weight: 25,
        run: async (account) => {
          await updateCustomer(s.db, account, { by: 'id', value: pick(await live(account)) }, randomFields());
          return 'update';
        },
      },
      {
        kind: 'soft delete',
        weight: 10,
        run: async (account) => {
          await deleteCustomer(s.db, account, { by: 'id', value: pick(await live(account)) }, { children: 'detach' });
          return 'soft delete';
        },
      },
      {
        kind: 'restore',
        weight: 7,
        run: async (account) => {
          const deleted = await ids(account, false);
          if (deleted.length === 0) return 'restore (none)';
          try {
            await inAccount(s.db, account, (tx) => tx.query(`UPDATE customers SET deleted_at = NULL, deleted_by = NULL WHERE account_id = $1 AND id = $2`, [account, pick(deleted)]));
          } catch (e) {
            if (!isUniqueViolation(e)) throw e;
          }
          return 'restore';
        },
      },
      {
        kind: 'hard delete',
        weight: 7,
        run: async (account) => {
          const all = [...(await live(account)), ...(await ids(account, false))];
          await inAccount(s.db, account, (tx) => tx.query(`DELETE FROM customers WHERE account_id = $1 AND id = $2`, [account, pick(all)]));
          return 'hard delete';
        },
      },
      {
        kind: 'multi-row update',
        weight: 6,
        run: async (account) => {
          // One statement over many records, moving some between counters and not others.
          await inAccount(s.db, account, (tx) =>
            tx.query(`UPDATE customers SET kyb_status = $2, is_sub_client = NOT is_sub_client WHERE account_id = $1 AND number % 3 = $3`, [account, pick(KYB_STATUSES), Math.floor(rnd() * 3)]),
          );
          return 'multi-row update';
        },
      },
      {
        kind: 'multi-row soft delete',
        weight: 5,
        run: async (account) => {
          await inAccount(s.db, account, (tx) =>
            tx.query(`UPDATE customers SET deleted_at = now() WHERE account_id = $1 AND deleted_at IS NULL AND number % 4 = $2`, [account, Math.floor(rnd() * 4)]),
          );
          return 'multi-row soft delete';
        },
      },
      {
        kind: 'seed',
        weight: 5,
        run: async (account) => {
          // A load of several batches, each its own transaction with the counters it moves.
          await seed(s.db, { accountId: account, customers: 120, users: 2, seed: 1000 + ++seeds, batchSize: 50 });
          return 'seed';
        },
      },
      {
        kind: 'create user',
        weight: 5,
        run: async (account) => {
          await newUser(account);
          return 'create user';
        },
      },
      {
        kind: 'update user',
        weight: 3,
        run: async (account) => {
          const users = await liveUsers(account);
          await updateUser(s.db, account, pick(users), { role: pick(USER_ROLES) });
          return 'update user';
        },
      },
      {
        kind: 'delete user',
        weight: 2,
        run: async (account) => {
          const users = await liveUsers(account);
          await deleteUser(s.db, account, pick(users));
          return 'delete user';
        },
      },
    ];
    /** The account's live customers; where it has none, one is created first. */
    async function live(account: string): Promise<string[]> {
      const found = await ids(account, true);
      if (found.length) return found;
      await createCustomer(s.db, account, { type: 'individual', ...randomFields() });
      return ids(account, true);
    }
    const newUser = (account: string) => createUser(s.db, account, { first_name: 'U', last_name: String(seeds), email: `u${rnd().toString(36).slice(2)}@example.com`, role: pick(USER_ROLES) });
    /** The account's live users; where it has none, one is created first. */
    async function liveUsers(account: string): Promise<string[]> {
      const found = await userIds(account);
      if (found.length) return found;
      await newUser(account);
      return userIds(account);
    }
    const TOTAL_WEIGHT = WRITES.reduce((sum, w) => sum + w.weight, 0);

    /** One write of a kind drawn by weight. */
    function randomWrite(account: string): Promise<string> {
      let r = rnd() * TOTAL_WEIGHT;
      for (const w of WRITES) if ((r -= w.weight) < 0) return w.run(account);
      return WRITES.at(-1)!.run(account);
    }

    async function assertCountersExact(step: string) {
      for (const table of ['customers', 'users'] as const) {
        for (const account of [a, b]) {
          assert.deepEqual(await keptCounters(s.db, table, account), await countedCounters(s.db, table, account), `${table} counters of ${account} after ${step}`);
        }
      }
    }

    /** count(*) with the same meaning as the list, written here independently of the compiler. */
    type By<F extends Field> = { field: F; values: Scalar[] };
    async function oracle(table: 'customers' | 'users', deleted: ListQuery['deleted'], by: By<Field>[]): Promise<number> {
      const conds = ['account_id = $1', deleted === 'exclude' ? 'deleted_at IS NULL' : deleted === 'only' ? 'deleted_at IS NOT NULL' : 'TRUE'];
      for (const [i, b] of by.entries()) conds.push(`${b.field}::text = ANY($${i + 2}::text[])`);
      const [{ n }] = await s.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${conds.join(' AND ')}`, [a, ...by.map((b) => b.values.map(String))]);
      return n;
    }

    type Rest = Pick<ListQuery, 'count' | 'deleted' | 'fields' | 'page'>;
    /** Every count of one resource the counters answer: none, each counted field, some pairs. */
    async function assertCountsOf<F extends Field>(
      step: string,
      table: 'customers' | 'users',
      counted: { fields: readonly F[]; pairs: (readonly [F, F])[] },
      list: (filter: Tree<FieldTest<F>>, rest: Rest) => ListQuery,
    ) {
      for (const deleted of DELETED) {
        const query = (by: By<F>[]) => {
          const filters = by.map((b) => (b.values.length === 1 && rnd() < 0.5 ? eq(b.field, b.values[0]) : inList(b.field, b.values)));
          return list({ kind: 'and', filters }, { count: true, deleted, fields: ['id'], page: { kind: 'keyset', limit: 1 } });
        };
        // Values present in the account, and one that is not.
        const draw = async (field: string): Promise<Scalar[]> => {
          const present = (await s.db.query<{ v: string }>(`SELECT DISTINCT ${field}::text AS v FROM ${table} WHERE account_id = $1 AND ${field} IS NOT NULL ORDER BY 1`, [a])).map((r) => r.v);
          const asValue = (v: string): Scalar => (field === 'is_sub_client' ? v === 'true' : v);
          const one = asValue(present.length ? pick(present) : 'none');
          return rnd() < 0.5 ? [one] : [one, asValue(present.length ? pick(present) : 'none'), asValue(field === 'is_sub_client' ? 'true' : 'no-such-value')];
        };
        const cases: By<F>[][] = [[]];
        for (const field of counted.fields) cases.push([{ field, values: await draw(field) }]);
        for (const [f, g] of counted.pairs.filter(() => rnd() < 0.3))
          cases.push([
            { field: g, values: await draw(g) },
            { field: f, values: await draw(f) },
          ]);
        // Three fields or more, where the combinations are kept: some drawn from a record, so
        // they match, and some at random.
        if (counted.pairs.length) {
          for (let i = 0; i < 4; i++) {
            const fields = [...counted.fields].sort(() => rnd() - 0.5).slice(0, 3 + Math.floor(rnd() * (counted.fields.length - 2)));
            const [r] = await s.db.query<Record<string, string | null>>(`SELECT ${fields.map((f) => `${f}::text AS ${f}`).join(', ')} FROM ${table} WHERE account_id = $1 ORDER BY random() LIMIT 1`, [
              a,
            ]);
            const asValue = (f: string, v: string): Scalar => (f === 'is_sub_client' ? v === 'true' : v);
            const by: By<F>[] = [];
            for (const f of fields) by.push({ field: f, values: i % 2 === 0 && r?.[f] != null ? [asValue(f, r[f]!)] : await draw(f) });
            cases.push(by);
          }
        }
        for (const by of cases) {
          const q = query(by);
          const what = by.map((b) => `${b.field} ${JSON.stringify(b.values)}`).join(' and ') || 'unfiltered';
          assert.ok(countIsKept(scopeQuery(q, a)), `${table} ${what} is read from the counters`);
          const got = (await runList(s.db, a, q)).total;
          assert.equal(got, await oracle(table, deleted, by), `${table} count, ${what}, deleted ${deleted}, after ${step}`);
        }
      }
    }

    async function assertListCounts(step: string) {
      await assertCountsOf(step, 'customers', { fields: COUNTED.customers, pairs: PAIRS.customers }, (filter, rest) => listQuery({ resource: 'customers', filter, ...rest }));
      await assertCountsOf(step, 'users', { fields: COUNTED.users, pairs: PAIRS.users }, (filter, rest) => listQuery({ resource: 'users', filter, ...rest }));
    }

    test('the counters match count(*) after every write, and lists report them', async () => {
      await seed(s.db, { accountId: a, customers: 300, users: 4, seed: 1000 + ++seeds, batchSize: 100 });
      await assertCountersExact('first seed');
      const done: string[] = [];
      for (let i = 0; i < 100; i++) {
        // Every kind of write once first, in an order where each finds what it needs, then at random.
        done.push(await (i < WRITES.length ? WRITES[i].run(a) : randomWrite(rnd() < 0.85 ? a : b)));
        await assertCountersExact(`step ${i}: ${done.at(-1)}`);
        if (i % 10 === 9) await assertListCounts(`step ${i}: ${done.slice(-10).join(', ')}`);
      }
      await assertListCounts('the last step');
      // Every kind of write was exercised.
      for (const { kind } of WRITES) {
        assert.ok(done.includes(kind), `no ${kind} among ${[...new Set(done)].join(', ')}`);
      }
    });

    test('counts with three counted filters are read from the combinations; a search or another filter is counted row by row', async () => {
      const [r] = await s.db.query<{ type: string; country: string; kyb_status: string }>(
        `SELECT type, country, kyb_status FROM customers WHERE account_id = $1 AND deleted_at IS NULL AND country IS NOT NULL ORDER BY id LIMIT 1`,
        [a],
      );
      const three = listQuery({ resource: 'customers', filter: { kind: 'and', filters: [eq('type', r.type), eq('country', r.country), eq('kyb_status', r.kyb_status)] }, count: true });
      const search = listQuery({ resource: 'customers', search: { term: 'smith', fields: ['name'], mode: 'substring' }, count: true });
      const other = listQuery({
        resource: 'customers',
        filter: { kind: 'and', filters: [eq('type', 'business'), eq('country', 'DK'), { kind: 'childOf', parent: { by: 'id', value: 'x' } }] },
        count: true,
      });
      assert.equal(countIsKept(scopeQuery(three, a)), true);
      for (const q of [search, other]) assert.equal(countIsKept(scopeQuery(q, a)), false);
      const [{ n }] = await s.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM customers WHERE account_id = $1 AND deleted_at IS NULL AND type = $2 AND country = $3 AND kyb_status = $4`, [
        a,
        r.type,
        r.country,
        r.kyb_status,
      ]);
      assert.ok(n > 0, 'the oracle finds records');
      assert.equal((await runList(s.db, a, three)).total, n);
    });

    test('a recount after the counters went wrong puts them right', async () => {
      await s.db.query(`UPDATE customer_counts SET n = n + 5 WHERE account_id = $1`, [a]);
      await s.db.query(`SELECT roster_recount($1)`, [a]);
      await assertCountersExact('a recount');
    });

    test('an update that changes no counted field writes no counter', async () => {
      const [id] = await ids(a, true);
      const before0 = await s.db.query(`SELECT xmin::text AS x FROM customer_counts WHERE account_id = $1 ORDER BY dim, value, live`, [a]);
      await updateCustomer(s.db, a, { by: 'id', value: id }, { name: 'Renamed' });
      assert.deepEqual(await s.db.query(`SELECT xmin::text AS x FROM customer_counts WHERE account_id = $1 ORDER BY dim, value, live`, [a]), before0);
    });
  });
}
