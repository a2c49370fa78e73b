import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openTestStore, type TestStore } from './support/stores.ts';
import { countedCounters, keptCounters } from './support/record-counts.ts';
import { createAccount } from '../src/store/accounts-repo.ts';
import { createCustomer, deleteCustomer, updateCustomer } from '../src/store/customers-repo.ts';
import { createUser, updateUser } from '../src/store/users-repo.ts';
import { inAccount } from '../src/store/db.ts';
import { runList } from '../src/store/list.ts';
import { listQuery } from '../src/core/list-query.ts';
import { CUSTOMER_TYPES, KYB_STATUSES, USER_ROLES } from '../src/core/model.ts';
import { seed } from '../src/seed/load.ts';
import { prng } from '../src/seed/random.ts';

// Several connections write one account at once: single records, multi-row statements, a COPY
// and recounts side by side. Every write must land (no deadlock, no error) and the counters
// must then equal count(*) for every counted value. Real PostgreSQL only: PGlite has one
// connection, so its writes never overlap.

const WORKERS = 6;
const STEPS = 30;

/** Another writer deleted the record first: the expected outcome of a race, not a failure. */
const deletedMeanwhile = (e: { code?: string }) => {
  if (e.code !== 'not_found') throw e;
};

describe('counts kept under concurrent writes (postgres)', { skip: process.env.ROSTER_TEST_DATABASE_URL ? false : 'runs on real PostgreSQL (npm test starts one)' }, () => {
  let s: TestStore;
  let a: string;
  before(async () => {
    s = await openTestStore('postgres');
    a = (await createAccount(s.db, 'Busy')).account_id;
  });
  after(() => s.close());

  test('concurrent writers of one account leave the counters exact', async () => {
    const mine: string[][] = Array.from({ length: WORKERS }, () => []);
    const shared: string[] = [];
    const users: string[] = [];
    const worker = async (w: number) => {
      const rnd = prng(100 + w);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
      for (let i = 0; i < STEPS; i++) {
        const r = rnd();
        // Records any worker may update: two writers often change the same one at once.
        const target = shared.length && rnd() < 0.5 ? pick(shared) : mine[w].length ? pick(mine[w]) : undefined;
        if (r < 0.3 || !target) {
          const c = await createCustomer(s.db, a, { type: pick(CUSTOMER_TYPES), kyb_status: pick(KYB_STATUSES), country: pick(['DK', 'SE', 'NO']) });
          mine[w].push(c.id);
          if (rnd() < 0.5) shared.push(c.id);
        } else if (r < 0.6) {
          await updateCustomer(s.db, a, { by: 'id', value: target }, { kyb_status: pick(KYB_STATUSES), country: pick(['DK', 'SE', 'NO', null]), is_sub_client: rnd() < 0.5 }).catch(deletedMeanwhile);
        } else if (r < 0.7) {
          await deleteCustomer(s.db, a, { by: 'id', value: target }, { children: 'detach' }).catch(deletedMeanwhile);
        } else if (r < 0.8) {
          // Many records in one statement, locked in id order first: two statements that lock
          // overlapping rows in whatever order their scans meet them deadlock on the rows
          // themselves, counters or not.
          await inAccount(s.db, a, (tx) =>
            tx.query(`UPDATE customers SET kyb_status = $2 WHERE account_id = $1 AND id IN (SELECT id FROM customers WHERE account_id = $1 AND number % 4 = $3 ORDER BY id FOR UPDATE)`, [
              a,
              pick(KYB_STATUSES),
              w % 4,
            ]),
          );
        } else if (r < 0.9 || users.length === 0) {
          users.push((await createUser(s.db, a, { first_name: 'W', last_name: `${w}-${i}`, email: `w${w}-${i}@example.com`, role: pick(USER_ROLES) })).id);
        } else {
          await updateUser(s.db, a, pick(users), { role: pick(USER_ROLES) });
        }
      }
    };
    const recounts = async () => {
      for (let i = 0; i < 5; i++) {
        await s.db.query(`SELECT roster_recount($1)`, [a]);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const results = await Promise.allSettled([
      ...Array.from({ length: WORKERS }, (_, w) => worker(w)),
      // A COPY with the triggers on, beside the single writes.
      seed(s.db, { accountId: a, customers: 2000, users: 10, seed: 5, batchSize: 500 }),
      recounts(),
    ]);
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason);
    assert.deepEqual(failed, [], 'every write lands: no deadlock, no error');

    for (const table of ['customers', 'users'] as const) {
      assert.deepEqual(await keptCounters(s.db, table, a), await countedCounters(s.db, table, a), `${table} counters`);
    }
    const [{ n }] = await s.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM customers WHERE account_id = $1 AND deleted_at IS NULL`, [a]);
    assert.equal((await runList(s.db, a, listQuery({ resource: 'customers', count: true }))).total, n);
    // The seed's 2,000 landed beside the single writes (some of them soft-deleted since).
    const [{ all }] = await s.db.query<{ all: number }>(`SELECT count(*)::int AS all FROM customers WHERE account_id = $1`, [a]);
    assert.ok(all > 2000, `${all} customers`);
  });
});
