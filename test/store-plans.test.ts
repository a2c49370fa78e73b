import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openTestStore, type TestStore } from './support/stores.ts';
import { createAccount } from '../src/store/accounts-repo.ts';
import { seed } from '../src/seed/load.ts';
import { inAccount } from '../src/store/db.ts';
import { compileList } from '../src/store/compiler/compile-list.ts';
import { scopeQuery } from '../src/core/scope.ts';
import { listQuery, type SortKey } from '../src/core/list-query.ts';

// Plan tests, not timing tests: on a seeded account, a page in any sort order is an ordered
// index scan (no sort of the account for 20 rows), and a search reaches the trigram index even
// under row-level security. Real PostgreSQL only: PGlite plans the same, but slowly.

const SORT_KEYS: SortKey[] = ['id', 'number', 'name', 'type', 'party_type', 'kyb_status', 'kyc_status', 'application_status', 'parent_name', 'operator_name', 'created_at', 'updated_at'];

describe('query plans (postgres)', { skip: process.env.ROSTER_TEST_DATABASE_URL ? false : 'runs on real PostgreSQL (npm test starts one)' }, () => {
  let s: TestStore;
  let account: string;
  const explain = async (q: ReturnType<typeof listQuery>) => {
    const stmt = compileList(scopeQuery(q, account));
    const rows = await inAccount(s.db, account, (tx) => tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${stmt.text}`, stmt.params));
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  };

  before(async () => {
    s = await openTestStore('postgres');
    account = (await createAccount(s.db, 'Plans')).account_id;
    await seed(s.db, { accountId: account, customers: 60_000, users: 0, seed: 3 });
  });
  after(() => s.close());

  for (const key of SORT_KEYS) {
    for (const dir of ['asc', 'desc'] as const) {
      test(`a page sorted by ${key} ${dir} is an ordered index scan`, async () => {
        const plan = await explain(listQuery({ resource: 'customers', sort: [{ key, dir }], page: { kind: 'keyset', limit: 20 } }));
        assert.doesNotMatch(plan, /Seq Scan on customers/, plan);
        assert.doesNotMatch(plan, /Sort Key: c\.(?!.*Limit)/s, plan);
      });
    }
  }

  test('a search uses the trigram index under row-level security, again and again', async () => {
    // The search statement is never prepared, so repeated runs cannot fall back to a generic plan.
    for (let i = 0; i < 7; i++) {
      const plan = await explain(listQuery({ resource: 'customers', search: { term: 'smith', fields: ['name', 'email'], mode: 'substring' }, sort: [{ key: 'name', dir: 'asc' }] }));
      assert.match(plan, /roster_search_ids/, plan);
      assert.doesNotMatch(plan, /Seq Scan on customers/, plan);
    }
  });
});
