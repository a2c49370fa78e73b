import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openTestStore, type TestStore } from './support/stores.ts';
import { createAccount } from '../src/store/accounts-repo.ts';
import { seed } from '../src/seed/load.ts';
import { inAccount } from '../src/store/db.ts';
import { compileCount, compileList, type SearchTuning, type Statement } from '../src/store/compiler/compile-list.ts';
import { SEARCH_STEP, SEARCH_TUNING, searchSteps } from '../src/store/compiler/lookup-ways.ts';
import { nodes, planTree, sortsBeforeLimit, type PlanNode } from './support/plans.ts';
import { RESOURCES } from '../src/store/compiler/resources.ts';
import type { FieldDef } from '../src/store/compiler/resource-def.ts';
import { scopeQuery } from '../src/core/scope.ts';
import { listQuery, eq, inList, type Filter, type ListQuery, type SortKey, type SortTerm } from '../src/core/list-query.ts';

// Plan tests, not timing tests: on a seeded account, a page in any sort order is an ordered
// index scan (no sort of the account for 20 rows), and a search reaches the trigram index even
// under row-level security. Real PostgreSQL only: PGlite plans the same, but slowly.

/** A statement's parameters as the arguments of EXECUTE, arrays as array literals. */
const argsOf = (params: unknown[]) => {
  const quoted = (v: string) => `'${v.replace(/'/g, "''")}'`;
  return params.map((p) => quoted(Array.isArray(p) ? `{${p.map((x) => `"${String(x).replace(/["\\]/g, '\\$&')}"`).join(',')}}` : String(p))).join(', ');
};

const SORT_KEYS: SortKey[] = [
  'id',
  'number',
  'name',
  'type',
  'party_type',
  'kyb_status',
  'kyc_status',
  'application_status',
  'parent_name',
  'operator_name',
  'created_at',
  'updated_at',
  'external_id',
];

describe('query plans (postgres)', { skip: process.env.ROSTER_TEST_DATABASE_URL ? false : 'runs on real PostgreSQL (npm test starts one)' }, () => {
  let s: TestStore;
  let account: string;
  const explainStatement = async (stmt: Statement) => {
    const rows = await inAccount(s.db, account, (tx) => tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${stmt.text}`, stmt.params));
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  };
  const explain = (q: ListQuery) => explainStatement(compileList(scopeQuery(q, account)));
  /** Sorts of the account's rows that come before the page is taken: none for an indexed order. */
  const sortsOfTheAccount = async (text: string, params: unknown[]) => sortsBeforeLimit(await inAccount(s.db, account, (tx) => planTree(tx, text, params)), 'customers').map((n) => n['Sort Key']);

  before(async () => {
    s = await openTestStore('postgres');
    account = (await createAccount(s.db, 'Plans')).account_id;
    await seed(s.db, { accountId: account, customers: 60_000, users: 0, seed: 3 });
  });
  after(() => s.close());

  test('the check for a sort of the account finds one where there is one', async () => {
    // gender has no index: every customer of the account is sorted, then 20 are taken.
    assert.equal((await sortsOfTheAccount(`SELECT * FROM customers WHERE account_id = $1 ORDER BY gender, id LIMIT 20`, [account])).length, 1);
    assert.deepEqual(await sortsOfTheAccount(`SELECT * FROM (SELECT * FROM customers WHERE account_id = $1 ORDER BY id LIMIT 20) c ORDER BY gender`, [account]), []);
  });

  const someId = async () =>
    (
      await s.db.query<{ id: string; number: string; email: string }>(`SELECT id, number, email FROM customers WHERE account_id = $1 AND parent_id IS NULL AND type = 'operator' LIMIT 1`, [account])
    )[0];

  for (const key of SORT_KEYS) {
    for (const dir of ['asc', 'desc'] as const) {
      test(`a page sorted by ${key} ${dir} is an ordered index scan`, async () => {
        const stmt = compileList(scopeQuery(listQuery({ resource: 'customers', sort: [{ key, dir }], page: { kind: 'keyset', limit: 20 } }), account));
        const plan = await explainStatement(stmt);
        assert.doesNotMatch(plan, /Seq Scan on customers/, plan);
        assert.deepEqual(await sortsOfTheAccount(stmt.text, stmt.params), [], plan);
      });
      test(`a later page sorted by ${key} ${dir} starts inside the index, and looks back through it`, async () => {
        const plan = await explain(listQuery({ resource: 'customers', sort: [{ key, dir }], page: { kind: 'keyset', limit: 20, after: { id: (await someId()).id } } }));
        assert.doesNotMatch(plan, /Seq Scan on customers/, plan);
        // The keyset condition is part of an index condition, not a filter over rows read from the start.
        assert.doesNotMatch(plan, /Filter: .*ROW\(/, plan);
      });
    }
  }

  // Every single filter a dialect offers, each with the sort orders the dialects default to: the
  // account is never read row by row; the filter is index-backed or the sort index is walked.
  const FILTERS: [string, (ref: { id: string; number: string; email: string }) => Filter<'customers'>][] = [
    ['type', () => eq('type', 'business')],
    ['party_type', () => eq('party_type', 'individual')],
    ['kyb_status', () => inList('kyb_status', ['active', 'frozen'])],
    ['kyc_status', () => eq('kyc_status', 'approved')],
    ['application_status', () => eq('application_status', 'submitted')],
    ['external_id', () => eq('external_id', 'ext-0000042')],
    ['email', (r) => eq('email', r.email)],
    ['phone_number', () => eq('phone_number', '+12000000042')],
    ['number', (r) => eq('number', Number(r.number))],
    ['is_sub_client', () => eq('is_sub_client', true)],
    ['created_at range', () => ({ kind: 'range', field: 'created_at', gte: '2024-01-01T00:00:00Z', lt: '2024-02-01T00:00:00Z' })],
    ['updated_at since', () => ({ kind: 'range', field: 'updated_at', gte: '2026-01-01T00:00:00Z' })],
    ['childOf', (r) => ({ kind: 'childOf', parent: { by: 'id', value: r.id } })],
    ['descendantOf', (r) => ({ kind: 'descendantOf', ancestor: { by: 'number', value: Number(r.number) } })],
    ['underOperator', (r) => ({ kind: 'underOperator', operator: { by: 'id', value: r.id } })],
    ['hasChildren', () => ({ kind: 'hasChildren' })],
    ['hasProductAccount', () => ({ kind: 'hasProductAccount', product: 'crypto', kycStatuses: ['approved'] })],
  ];
  for (const [name, make] of FILTERS) {
    for (const sort of [[{ key: 'name', dir: 'asc' }], [{ key: 'created_at', dir: 'desc' }], [{ key: 'number', dir: 'desc' }]] as const) {
      test(`filter ${name}, sorted by ${sort[0].key} ${sort[0].dir}: index-backed, never a scan of the account`, async () => {
        const plan = await explain(listQuery({ resource: 'customers', filter: make(await someId()), sort: [...sort], page: { kind: 'keyset', limit: 20 } }));
        assert.doesNotMatch(plan, /Seq Scan on (customers|product_accounts)/, plan);
      });
    }
  }

  // The review queue: one KYB status (a one-value list, as the dialects parse it) newest first,
  // with another filter beside it. The status's own creation order is read, not the account's.
  for (const dir of ['desc', 'asc'] as const) {
    test(`one kyb_status and a type, sorted by created_at ${dir}: the status read in creation order`, async () => {
      const q = listQuery({
        resource: 'customers',
        filter: { kind: 'and', filters: [inList('kyb_status', ['active']), inList('type', ['business'])] },
        sort: [{ key: 'created_at', dir }],
        page: { kind: 'keyset', limit: 20 },
      });
      const stmt = compileList(scopeQuery(q, account));
      assert.match(await explainStatement(stmt), /Index Scan (Backward )?using customers_kyb_status_created_idx on customers/);
      assert.deepEqual(await sortsOfTheAccount(stmt.text, stmt.params), []);
    });
  }

  // The native operators (filter-conditions.ts) as the tree holds them: a page of 20 never sorts
  // the account. A filter the planner finds selective may be read through its own index and
  // its few matches sorted; a sort of more than a few hundred rows is a sort of the account.
  const OPERATORS: [string, Filter<'customers'>][] = [
    ['created_at[gte]', { kind: 'range', field: 'created_at', gte: '2022-01-01T00:00:00Z' }],
    ['number[lt]', { kind: 'range', field: 'number', lt: 40_000 }],
    ['country[in]', inList('country', ['DK', 'SE'])],
    ['kyb_status[nin]', { kind: 'not', filter: inList('kyb_status', ['frozen', 'rejected']) }],
    ['country[neq] (nullable, IS NOT TRUE)', { kind: 'not', filter: eq('country', 'DK') }],
    ['email[prefix]', { kind: 'prefix', field: 'email', value: 'a' }],
    ['external_id[null]', { kind: 'null', field: 'external_id', isNull: false }],
    ['or group', { kind: 'or', filters: [eq('country', 'DK'), eq('type', 'business')] }],
    ['metadata[tier]', { kind: 'jsonContains', field: 'metadata', value: { tier: 'gold' } }],
    [
      'attributes[tier][in]',
      {
        kind: 'or',
        filters: [
          { kind: 'jsonContains', field: 'attributes', value: { tier: 'gold' } },
          { kind: 'jsonContains', field: 'attributes', value: { tier: 'silver' } },
        ],
      },
    ],
    ['attributes[tier][neq]', { kind: 'not', filter: { kind: 'jsonContains', field: 'attributes', value: { tier: 'gold' } } }],
    // A term a few percent of names hold: the walk of the sort index finds 20 early.
    ['name[contains] (a common term)', { kind: 'contains', field: 'name', value: 'son' }],
  ];
  /** The most rows any sort before the page's Limit was given, from EXPLAIN ANALYZE. */
  const mostSorted = async (stmt: Statement) => {
    const [row] = await inAccount(s.db, account, (tx) => tx.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) ${stmt.text}`, stmt.params));
    const doc = typeof row['QUERY PLAN'] === 'string' ? JSON.parse(row['QUERY PLAN']) : row['QUERY PLAN'];
    const sorts = sortsBeforeLimit((doc as { Plan: PlanNode }[])[0].Plan, 'customers');
    return Math.max(0, ...sorts.flatMap((n) => (n.Plans ?? []).map((c) => Number(c['Actual Rows']) * Number(c['Actual Loops'] ?? 1))));
  };
  for (const [name, filter] of OPERATORS) {
    for (const sort of [[{ key: 'created_at', dir: 'desc' }], [{ key: 'name', dir: 'asc' }], [{ key: 'number', dir: 'desc' }]] as const) {
      test(`operator ${name}, a page of 20 by ${sort[0].key} ${sort[0].dir}: no sort of the account`, async () => {
        const stmt = compileList(scopeQuery(listQuery({ resource: 'customers', filter, sort: [...sort], page: { kind: 'keyset', limit: 20 } }), account));
        const plan = await explainStatement(stmt);
        assert.doesNotMatch(plan, /Seq Scan on customers/, plan);
        assert.ok((await mostSorted(stmt)) <= 500, plan);
      });
    }
  }

  /** The plan of a page run with EXPLAIN ANALYZE, and the most rows any one scan of customers read. */
  const rowsRead = async (q: ListQuery) => {
    const stmt = compileList(scopeQuery(q, account));
    const [row] = await inAccount(s.db, account, (tx) => tx.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) ${stmt.text}`, stmt.params));
    const doc = typeof row['QUERY PLAN'] === 'string' ? JSON.parse(row['QUERY PLAN']) : row['QUERY PLAN'];
    const plan = (doc as { Plan: PlanNode }[])[0].Plan;
    const scans = nodes(plan).filter((n) => n['Relation Name'] === 'customers' && /Index/.test(n['Node Type']));
    const read = Math.max(0, ...scans.map((n) => (Number(n['Actual Rows']) + Number(n['Rows Removed by Filter'] ?? 0)) * Number(n['Actual Loops'] ?? 1)));
    return { plan, text: JSON.stringify(plan, null, 1), read };
  };
  const liveCount = async () => (await s.db.query<{ live: number }>(`SELECT count(*)::int AS live FROM customers WHERE account_id = $1 AND deleted_at IS NULL`, [account]))[0].live;

  // A substring of a field the search text holds goes through the trigram index
  // (filter-lookup.ts): a term no name holds costs the short walk and an empty lookup.
  test('name[contains] with a term no name holds: the trigram candidates, not the account', async () => {
    const live = await liveCount();
    const { plan, text, read } = await rowsRead(
      listQuery({ resource: 'customers', filter: { kind: 'contains', field: 'name', value: 'qxzj' }, sort: [{ key: 'created_at', dir: 'desc' }], page: { kind: 'keyset', limit: 20 } }),
    );
    // The trigram sample finds the term rare: its few candidates are read and sorted.
    assert.match(text, /"CTE Name": "cand"/, text);
    assert.ok(!nodes(plan).some((n) => n['Node Type'] === 'Seq Scan' && n['Relation Name'] === 'customers'), text);
    assert.ok(read <= 1_050 && read < live / 20, `read ${read} of ${live}\n${text}`);
  });

  // The known limit of `contains` on the other fields (native README): no index serves a
  // substring of one field, so a term few or no records hold is tested against every record of
  // the account as the sort index is walked. Still never a sort of the account, and never a
  // sequential scan.
  test('country[contains] with a term no country holds: no sort of the account, but every record is read', async () => {
    const live = await liveCount();
    const { plan, text, read } = await rowsRead(
      listQuery({ resource: 'customers', filter: { kind: 'contains', field: 'country', value: 'qxzj' }, sort: [{ key: 'created_at', dir: 'desc' }], page: { kind: 'keyset', limit: 20 } }),
    );
    assert.deepEqual(sortsBeforeLimit(plan, 'customers'), [], text);
    assert.ok(!nodes(plan).some((n) => n['Node Type'] === 'Seq Scan' && n['Relation Name'] === 'customers'), text);
    assert.ok(read >= live * 0.99, `read ${read} of ${live}\n${text}`);
  });

  // Counts the counters keep (migration 070): a few counter rows, never a pass over the records.
  const KEPT: [string, ListQuery][] = [
    ['the account', listQuery({ resource: 'customers', count: true })],
    ['the account with deleted records', listQuery({ resource: 'customers', count: true, deleted: 'include' })],
    ['deleted records only', listQuery({ resource: 'customers', count: true, deleted: 'only' })],
    ['one type', listQuery({ resource: 'customers', filter: eq('type', 'business'), count: true })],
    ["Dintero's default types", listQuery({ resource: 'customers', filter: inList('type', ['individual', 'business', 'operator', 'operator_subsidiary', 'employee', 'other']), count: true })],
    ['kyc statuses', listQuery({ resource: 'customers', filter: inList('kyc_status', ['approved', 'in_review']), count: true, sort: [{ key: 'name', dir: 'asc' }] })],
    ['sub-clients', listQuery({ resource: 'customers', filter: eq('is_sub_client', true), count: true })],
    ['one country', listQuery({ resource: 'customers', filter: eq('country', 'DK'), count: true, page: { kind: 'offset', limit: 50, offset: 100 } })],
    ['a user role', listQuery({ resource: 'users', filter: inList('role', ['admin']), count: true })],
    ['active businesses (a pair)', listQuery({ resource: 'customers', filter: { kind: 'and', filters: [eq('kyb_status', 'active'), eq('type', 'business')] }, count: true })],
    [
      'a pair of in-lists',
      listQuery({ resource: 'customers', filter: { kind: 'and', filters: [inList('country', ['DK', 'SE']), inList('kyc_status', ['approved', 'in_review'])] }, count: true, deleted: 'include' }),
    ],
  ];
  for (const [name, q] of KEPT) {
    test(`a count of ${name} reads the counters, not the records`, async () => {
      const table = q.resource === 'users' ? 'users' : 'customers';
      const records = new RegExp(` on ${table}\\b`, 'g');
      const count = await explainStatement(compileCount(scopeQuery(q, account)));
      assert.match(count, /on (customer|user)_counts k/, count);
      assert.doesNotMatch(count, records, count);
      // In the page's statement the count adds the counters and no read of the records.
      const page = await explain(q);
      const pageAlone = await explain({ ...q, count: false });
      assert.match(page, /on (customer|user)_counts k/, page);
      assert.equal(page.match(records)?.length, pageAlone.match(records)?.length, page);
    });
  }

  test('a page formats its timestamps inline, not through a function call per value', async () => {
    const page = { kind: 'keyset', limit: 20 } as const;
    for (const q of [listQuery({ resource: 'customers', page }), listQuery({ resource: 'users', page })]) {
      const stmt = compileList(scopeQuery(q, account));
      const verbose = await explainStatement({ ...stmt, text: `(VERBOSE) ${stmt.text}` });
      assert.match(verbose, /to_char\(\(c\.created_at AT TIME ZONE 'UTC'::text\)/, verbose);
      assert.doesNotMatch(verbose, /roster_iso\(/, verbose);
    }
  });

  test('a count with three counted filters reads the combinations, not the records', async () => {
    const q = listQuery({ resource: 'customers', filter: { kind: 'and', filters: [eq('type', 'business'), inList('country', ['DK', 'SE']), eq('kyb_status', 'active')] }, count: true });
    const count = await explainStatement(compileCount(scopeQuery(q, account)));
    assert.match(count, /on customer_counts k/, count);
    assert.doesNotMatch(count, / on customers\b/, count);
  });

  test('a count with a counted filter and another is still counted from the records', async () => {
    const q = listQuery({ resource: 'customers', filter: { kind: 'and', filters: [eq('type', 'business'), { kind: 'range', field: 'created_at', gte: '2024-01-01T00:00:00Z' }] }, count: true });
    const count = await explainStatement(compileCount(scopeQuery(q, account)));
    assert.doesNotMatch(count, /customer_counts/, count);
    assert.match(count, / on customers\b/, count);
  });

  test('a deep offset page skips by key in an index-only scan, then reads only its own rows', async () => {
    const stmt = compileList(scopeQuery(listQuery({ resource: 'customers', sort: [{ key: 'number', dir: 'desc' }], page: { kind: 'offset', limit: 20, offset: 30_000 } }), account));
    const plan = await explainStatement({ ...stmt, text: `(ANALYZE, TIMING OFF) ${stmt.text}` });
    assert.match(plan, /Index Only Scan Backward using customers_live_number_idx/, plan);
    assert.doesNotMatch(plan, /Seq Scan on customers/, plan);
    // The seed left the table vacuumed: the skip reads the index alone, not the heap behind it.
    const skip = /Index Only Scan Backward using customers_live_number_idx(?:(?!->)[\s\S])*?Heap Fetches: (\d+)/.exec(plan);
    assert.equal(skip?.[1], '0', plan);
  });

  test('a prepared search keeps the trigram index after the switch to a generic plan', async () => {
    const stmt = compileList(
      scopeQuery(listQuery({ resource: 'customers', search: { term: 'smith', fields: ['name', 'email'], mode: 'substring' }, sort: [{ key: 'created_at', dir: 'desc' }] }), account),
    );
    assert.equal(stmt.prepare, true);
    const plan = await inAccount(s.db, account, async (tx) => {
      await tx.query(`PREPARE search_plan AS ${stmt.text}`);
      const args = argsOf(stmt.params);
      // Postgres weighs a generic plan after five custom ones; run well past that.
      for (let i = 0; i < 8; i++) await tx.query(`EXECUTE search_plan(${args})`);
      await tx.query(`SET LOCAL plan_cache_mode = force_generic_plan`);
      const rows = await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE search_plan(${args})`);
      await tx.query('DEALLOCATE search_plan');
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    assert.match(plan, /roster_search_ids/, plan);
    assert.doesNotMatch(plan, /Seq Scan on customers/, plan);
  });

  // filter.ts keeps a field's values from the planner when no index holds its column,
  // trusting the field's `rowOnly`: an index made later on such a column must clear the mark.
  test('no index holds a column its field calls row-only', async () => {
    for (const def of Object.values(RESOURCES)) {
      const fields: Record<string, FieldDef> = def.fields;
      const rowOnly = Object.values(fields)
        .filter((f) => f.rowOnly)
        .map((f) => f.sql.replace(/^c\./, ''));
      assert.ok(rowOnly.length > 0, def.table);
      const indexKeys = await s.db.query<{ key: string }>(
        `SELECT pg_get_indexdef(i.indexrelid, k.n, true) AS key FROM pg_index i CROSS JOIN LATERAL generate_series(1, i.indnkeyatts) k(n)
          WHERE i.indrelid = $1::regclass`,
        [def.table],
      );
      const keys = new Set(indexKeys.map((r) => r.key));
      assert.ok(keys.has('account_id') && keys.has('created_at'), `${def.table}: ${[...keys].join(', ')}`);
      for (const col of rowOnly) assert.equal([...keys].filter((k) => new RegExp(`\\b${col}\\b`).test(k)).length, 0, `${def.table}.${col} is a key of an index: ${[...keys].join(', ')}`);
    }
  });

  /** How PostgreSQL planned eight executions of a prepared statement: custom plans, then a generic one or not. */
  /**
   * How PostgreSQL planned eight executions of a prepared statement (custom plans, then a generic
   * one or not), and the plan it uses for the next.
   */
  const afterEight = (text: string, params: unknown[]) =>
    inAccount(s.db, account, async (tx) => {
      await tx.query(`PREPARE planned_once AS ${text}`);
      for (let i = 0; i < 8; i++) await tx.query(`EXECUTE planned_once(${argsOf(params)})`);
      const [counts] = await tx.query<{ generic: number; custom: number }>(`SELECT generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements WHERE name = 'planned_once'`);
      const plan = await planTree(tx, `EXECUTE planned_once(${argsOf(params)})`, []);
      await tx.query('DEALLOCATE planned_once');
      return { ...counts, plan };
    });
  const plansOfEight = async (text: string, params: unknown[]) => {
    const { generic, custom } = await afterEight(text, params);
    return { generic, custom };
  };
  // The three-operator page of the benchmark: a range of the order's own key, a list of a
  // column in no index, a list under NOT. Shown their values, PostgreSQL prices the
  // generic plan above the custom ones and plans every execution again, though every plan is
  // the same walk; kept from the planner, the values cost nothing to plan after the fifth run.
  test('a page whose filter values choose no index is planned once, and walks the sort index', async () => {
    const q = listQuery({
      resource: 'customers',
      filter: {
        kind: 'and',
        filters: [{ kind: 'range', field: 'created_at', gte: '2022-01-01T00:00:00Z' }, inList('country', ['DK', 'SE']), { kind: 'not', filter: inList('kyb_status', ['frozen', 'rejected']) }],
      },
      sort: [{ key: 'created_at', dir: 'desc' }],
      page: { kind: 'keyset', limit: 20 },
    });
    const stmt = compileList(scopeQuery(q, account));
    assert.deepEqual(await plansOfEight(stmt.text, stmt.params), { generic: 3, custom: 5 });
    assert.deepEqual(await sortsOfTheAccount(stmt.text, stmt.params), []);
    // The same statement with its values in sight: planned at every execution.
    const seen = stmt.text.replace(/\(SELECT (\$\d+::[a-z]+(\[\])?)\)(::[a-z]+\[\])?/g, '$1');
    assert.notEqual(seen, stmt.text);
    assert.deepEqual(await plansOfEight(seen, stmt.params), { generic: 0, custom: 8 });
  });

  // Spirii's first page and its deep pages share one statement, the offset a parameter. Shown
  // the offset, PostgreSQL prices a first page far below the generic plan (which assumes a
  // tenth of the rows skipped) and plans the shared statement at every execution.
  test('an offset page is planned once, whatever its offset, and skips through the index', async () => {
    const q = listQuery({ resource: 'customers', sort: [{ key: 'number', dir: 'desc' }], page: { kind: 'offset', limit: 20, offset: 0 } });
    const stmt = compileList(scopeQuery(q, account), { count: false });
    assert.deepEqual(await plansOfEight(stmt.text, stmt.params), { generic: 3, custom: 5 });
    const seen = stmt.text.replace(/OFFSET \(SELECT (\$\d+::bigint)\)/, 'OFFSET $1');
    assert.notEqual(seen, stmt.text);
    assert.deepEqual(await plansOfEight(seen, stmt.params), { generic: 0, custom: 8 });
    const deep = compileList(scopeQuery({ ...q, page: { kind: 'offset', limit: 20, offset: 40_000 } }, account), { count: false });
    assert.match(await explainStatement(deep), /Index Only Scan/);
  });

  // InvestiFi's pages: customers holding a product account, by offset. Under that filter the plan
  // depends on the offset (a generic plan priced for a tenth of the account skipped is a join
  // and a sort of the account), so the offset stays in sight and a first page stays a walk.
  test('a filtered offset page, run again and again, still walks the sort index', async () => {
    const q = listQuery({ resource: 'customers', filter: { kind: 'hasProductAccount' }, sort: [{ key: 'created_at', dir: 'desc' }], page: { kind: 'offset', limit: 20, offset: 0 } });
    const stmt = compileList(scopeQuery(q, account), { count: false });
    const { plan } = await afterEight(stmt.text, stmt.params);
    // The page's rows are taken (Limit) straight off a walk of the index, each customer's product
    // accounts probed as it passes. Planned for a tenth of the account skipped, the statement
    // became a join of every customer with a sort (1M) or a parallel scan (60k) under the Limit.
    // (The sort above the Limit orders the page's own rows, read again by key.)
    const limits = nodes(plan).filter((n) => n['Node Type'] === 'Limit' && nodes(n).some((m) => m['Relation Name'] === 'customers'));
    assert.ok(limits.length > 0, JSON.stringify(plan));
    const whole = ['Sort', 'Incremental Sort', 'Gather', 'Gather Merge', 'Hash Join', 'Merge Join', 'Seq Scan'];
    for (const limit of limits)
      assert.deepEqual(
        nodes(limit).filter((m) => whole.includes(m['Node Type'])),
        [],
        JSON.stringify(plan),
      );
  });

  test('a one- or two-character search is index-backed, and never prepared', async () => {
    for (const term of ['a', 'ma', '7']) {
      const q = listQuery({ resource: 'customers', search: { term, fields: ['name', 'email', 'number'], mode: 'substring' }, sort: [{ key: 'created_at', dir: 'desc' }] });
      assert.equal(compileList(scopeQuery(q, account)).prepare, false);
      const plan = await explain(q);
      assert.doesNotMatch(plan, /Seq Scan on customers/, plan);
      assert.doesNotMatch(plan, /roster_search_ids/, plan);
    }
  });

  test('a search uses the trigram index under row-level security, again and again', async () => {
    // Repeated runs plan alike: the candidates come from roster_search_ids, planned per call.
    for (let i = 0; i < 7; i++) {
      const plan = await explain(listQuery({ resource: 'customers', search: { term: 'smith', fields: ['name', 'email'], mode: 'substring' }, sort: [{ key: 'name', dir: 'asc' }] }));
      assert.match(plan, /roster_search_ids/, plan);
      assert.doesNotMatch(plan, /Seq Scan on customers/, plan);
    }
  });

  // Which ways a trigram search took (see `adaptive` in lookup-ways.ts), read from EXPLAIN
  // ANALYZE: each step (CTE) of the statement, by the names the compiler gives them, and whether it ran.
  const CAND = SEARCH_STEP.candidates;
  const PAGE = searchSteps('walk');
  const analyze = async (q: ListQuery, opts: { generic?: boolean; tuning?: Partial<SearchTuning> } = {}) => {
    const stmt = compileList(scopeQuery(q, account), { search: opts.tuning });
    const lines = await inAccount(s.db, account, async (tx) => {
      let rows: { 'QUERY PLAN': string }[];
      if (opts.generic) {
        await tx.query(`PREPARE search_plan AS ${stmt.text}`);
        const args = argsOf(stmt.params);
        for (let i = 0; i < 8; i++) await tx.query(`EXECUTE search_plan(${args})`);
        await tx.query(`SET LOCAL plan_cache_mode = force_generic_plan`);
        rows = await tx.query(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) EXECUTE search_plan(${args})`);
        await tx.query('DEALLOCATE search_plan');
      } else {
        rows = await tx.query(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ${stmt.text}`, stmt.params);
      }
      return rows.map((r) => r['QUERY PLAN']);
    });
    const plan = lines.join('\n');
    const ctes = new Map<string, string>();
    for (let i = 0; i < lines.length; i++) {
      const m = /^ {2}CTE (\w+)$/.exec(lines[i]);
      if (!m) continue;
      let j = i + 1;
      while (j < lines.length && lines[j].startsWith('    ')) j++;
      ctes.set(m[1], lines.slice(i + 1, j).join('\n'));
    }
    const ran = (cte: string) => {
      const body = ctes.get(cte);
      assert.ok(body, `no CTE ${cte} in\n${plan}`);
      return !/^\s*->\s+\S.*\(never executed\)/.test(body.split('\n')[0]);
    };
    // The lookup of every candidate, unbounded: the last resort of a common term.
    const unbounded = lines.findIndex((l) => /roster_search_ids\('customers'::text, [^,]+\)\)?$/.test(l));
    const gatheredAll = unbounded >= 0 && !/never executed/.test(lines[unbounded + 1] ?? '');
    return { plan, ctes, ran, gatheredAll };
  };
  const search = (term: string, sort: SortTerm[], page: ListQuery['page'] = { kind: 'keyset', limit: 20 }) =>
    listQuery({ resource: 'customers', search: { term, fields: ['name', 'first_name', 'last_name', 'email', 'phone_number', 'external_id', 'id'], mode: 'substring' }, sort, page });

  for (const generic of [false, true]) {
    const how = generic ? ', after repeated executions under a forced generic plan' : '';
    for (const [sort, index] of [
      [[{ key: 'name', dir: 'asc' }], 'customers_sort_name_idx'],
      [[{ key: 'created_at', dir: 'desc' }], 'customers_created_at_idx'],
    ] as const) {
      test(`a common term walks the ${sort[0].key} index and never gathers its candidates${how}`, async () => {
        const { plan, ctes, ran, gatheredAll } = await analyze(search('example', [...sort]), { generic });
        // The sample knows the term is common: the longer walk runs alone (the short one would
        // read the same first rows), and stops once the page is full.
        assert.ok(ran(PAGE.longWalk), plan);
        assert.ok(!ran(PAGE.shortWalk), plan);
        const walk = ctes.get(PAGE.longWalk)!;
        assert.match(walk, new RegExp(`Index Scan( Backward)? using ${index}`), plan);
        const read = Number(new RegExp(`Index Scan( Backward)? using ${index} on customers c\\w* \\(actual rows=(\\d+)`).exec(walk)?.[2]);
        assert.ok(read >= 21 && read <= 21 * SEARCH_TUNING.short, `read ${read} rows\n${plan}`);
        assert.ok(!ran(CAND), plan);
        assert.ok(!gatheredAll, plan);
        assert.doesNotMatch(plan, /Seq Scan on customers/, plan);
      });
    }

    test(`a selective term sorts the candidates the trigram index found${how}`, async () => {
      const term = (await someId()).email.split('@')[0];
      const { plan, ran, gatheredAll } = await analyze(search(term, [{ key: 'created_at', dir: 'asc' }]), { generic });
      assert.ok(ran(CAND), plan);
      // The seed sampled the trigrams: the term is known to be rare, so no walk is tried first.
      assert.ok(!ran(PAGE.shortWalk), plan);
      // Asked with the term's rarest trigrams, the index returns a few hundred candidates at most
      // (its one match among them), not the thousands a common term would.
      const found = Number(new RegExp(`CTE ${CAND}\\n\\s+->\\s+ProjectSet \\(actual rows=(\\d+) loops=1\\)`).exec(plan)?.[1]);
      assert.ok(found >= 1 && found <= 300, plan);
      assert.ok(!ran(PAGE.longWalk), plan);
      assert.ok(!gatheredAll, plan);
      assert.doesNotMatch(plan, /Seq Scan on customers/, plan);
    });

    test(`a term too common to sort and too rare for the short walk takes the longer walk${how}`, async () => {
      const [{ term }] = await s.db.query<{ term: string }>(
        `SELECT lower(last_name) AS term FROM customers WHERE account_id = $1 AND last_name ~ '^[A-Za-z]+$' GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`,
        [account],
      );
      // Tuned down so this account's few hundred matches count as common.
      const page = search(term, [{ key: 'created_at', dir: 'asc' }], { kind: 'keyset', limit: 20, after: { id: (await someId()).id } });
      for (const sample of [true, false]) {
        const { plan, ctes, ran, gatheredAll } = await analyze(page, { generic, tuning: { cap: 50, sample } });
        // With the sample the term is known common and the longer walk runs alone; without it
        // the short walk is tried first and falls short.
        assert.ok(ran(PAGE.longWalk), plan);
        assert.equal(ran(PAGE.shortWalk), !sample, plan);
        // The trigram sample knows the term is in more rows than the bound: its candidates are
        // not gathered. Without the sample they are, and found to be too many.
        assert.equal(ran(CAND), !sample, plan);
        assert.match(ctes.get(PAGE.longWalk)!, /Index Scan using customers_created_at_idx/, plan);
        assert.ok(!gatheredAll, plan);
        assert.doesNotMatch(plan, /Seq Scan on customers/, plan);
      }
    });
  }
  // A JSON value few records hold: the GIN index finds them through roster_json_ids, past the
  // account policy, instead of every record of the account being tested as the sort index is
  // walked (what a row test under row-level security costs). The page is those records, and the
  // records read from the table are the short walk's bound and the candidates, not the account.
  // Last of the file: it writes to the account, which leaves pages that index-only scans (the
  // deep offset test) must visit in the heap.
  test('metadata[plan]=platinum, held by 7 records: the page reads the candidates, not the account', async () => {
    const [{ live }] = await s.db.query<{ live: number }>(`SELECT count(*)::int AS live FROM customers WHERE account_id = $1 AND deleted_at IS NULL`, [account]);
    const held = await s.db.query<{ id: string }>(
      `UPDATE customers SET metadata = metadata || '{"plan": "platinum"}' WHERE account_id = $1 AND id IN (SELECT id FROM customers WHERE account_id = $1 AND deleted_at IS NULL ORDER BY md5(id) LIMIT 7) RETURNING id`,
      [account],
    );
    try {
      for (const sort of [[{ key: 'created_at', dir: 'desc' }], [{ key: 'name', dir: 'asc' }], [{ key: 'number', dir: 'desc' }]] as const) {
        const q = listQuery({
          resource: 'customers',
          filter: { kind: 'jsonContains', field: 'metadata', value: { plan: 'platinum' } },
          sort: [...sort],
          page: { kind: 'keyset', limit: 20 },
          count: true,
        });
        const stmt = compileList(scopeQuery(q, account));
        const [page] = await inAccount(s.db, account, (tx) => tx.query<{ records: string; total: string }>(stmt.text, stmt.params));
        assert.deepEqual((JSON.parse(page.records) as { id: string }[]).map((r) => r.id).sort(), held.map((r) => r.id).sort());
        assert.equal(Number(page.total), 7);
        const [row] = await inAccount(s.db, account, (tx) => tx.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) ${stmt.text}`, stmt.params));
        const doc = typeof row['QUERY PLAN'] === 'string' ? JSON.parse(row['QUERY PLAN']) : row['QUERY PLAN'];
        const plan = (doc as { Plan: PlanNode }[])[0].Plan;
        const text = JSON.stringify(plan, null, 1);
        // Records read from the table: an index-only scan (the walk's check that it ran out of
        // rows) reads the index, and the table only for its heap fetches.
        const read = nodes(plan)
          .filter((n) => n['Relation Name'] === 'customers')
          .reduce(
            (sum, n) =>
              sum + (n['Node Type'] === 'Index Only Scan' ? Number(n['Heap Fetches'] ?? 0) : (Number(n['Actual Rows']) + Number(n['Rows Removed by Filter'] ?? 0)) * Number(n['Actual Loops'] ?? 1)),
            0,
          );
        assert.ok(read < 2_000 && read < live / 20, `read ${read} of ${live}\n${text}`);
      }
      // The lookup itself, as the function runs it: the GIN index of the column.
      const inside = await s.db.query<{ 'QUERY PLAN': string }>(`EXPLAIN SELECT id FROM customers WHERE account_id = $1 AND metadata @> $2::jsonb LIMIT 3001`, [account, '{"plan": "platinum"}']);
      assert.match(inside.map((r) => r['QUERY PLAN']).join('\n'), /customers_metadata_idx/);
    } finally {
      await s.db.query(`UPDATE customers SET metadata = metadata - 'plan' WHERE account_id = $1 AND metadata ? 'plan'`, [account]);
    }
  });
});
