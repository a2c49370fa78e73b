import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { and, eq, inList, listQuery, type ListQuery } from '../../core/list-query.ts';
import { scopeQuery } from '../../core/scope.ts';
import { compileCount, compileEstimate, compileList, type Statement } from './compile-list.ts';

// Golden SQL: the statement each representative list shape compiles to is checked in, so a
// change to a query shows in review as an SQL diff. `npm run golden` rewrites the files; a
// missing or changed file fails the test otherwise. The shapes cover each part of the compiler:
// filters, pages (keyset by id and by cursor values, backward, offset), searches (trigram,
// prefix, short), kept and counted counts, and record shapes.

const DIR = fileURLToPath(new URL('./golden/', import.meta.url));
const ACCOUNT = 'T00000042';
const ID = '2B5J8KZ9N7M1K3P6Q8R4T7V9abc';

const SHAPES: Record<string, ListQuery> = {
  'customers-first-page': listQuery({ resource: 'customers', sort: [{ key: 'name', dir: 'asc' }], count: true }),
  'customers-after-id-desc': listQuery({ resource: 'customers', sort: [{ key: 'created_at', dir: 'desc' }], page: { kind: 'keyset', limit: 7, after: { id: ID } } }),
  'customers-before-cursor-mixed-sort': listQuery({
    resource: 'customers',
    sort: [
      { key: 'kyb_status', dir: 'asc' },
      { key: 'created_at', dir: 'desc' },
    ],
    page: { kind: 'keyset', limit: 20, before: { values: ['active', '2024-01-01T00:00:00.000Z', ID], id: ID } },
  }),
  'customers-offset-hierarchy': listQuery({
    resource: 'customers',
    filter: and({ kind: 'descendantOf', ancestor: { by: 'number', value: 12 } }, inList('type', ['individual', 'business'])),
    sort: [{ key: 'number', dir: 'desc' }],
    page: { kind: 'offset', limit: 50, offset: 100 },
    count: true,
  }),
  'customers-search-filters': listQuery({
    resource: 'customers',
    filter: and(
      { kind: 'range', field: 'created_at', gte: '2024-01-01T00:00:00Z', lte: '2024-12-31T23:59:59Z' },
      { kind: 'hasProductAccount', product: 'crypto', kycStatuses: ['approved'] },
      { kind: 'jsonHasKeys', field: 'attributes', keys: ['tier'] },
      { kind: 'null', field: 'application_status', isNull: false },
      { kind: 'underOperator', operator: { by: 'id', value: ID } },
      { kind: 'childOf', parent: { by: 'id', value: ID } },
    ),
    search: { term: 'smi_th%', fields: ['name', 'email', 'id'], mode: 'substring' },
    sort: [{ key: 'name', dir: 'asc' }],
  }),
  'customers-changed-since': listQuery({
    resource: 'customers',
    filter: and(
      { kind: 'range', field: 'updated_at', gte: '2025-01-01T00:00:00Z' },
      { kind: 'hasTag', tagId: '3c90c3cc-0d44-4b50-8888-8dd25736052a' },
      { kind: 'hasToken', value: 'tok', type: 'sha1:email' },
    ),
    sort: [{ key: 'updated_at', dir: 'asc' }],
    deleted: 'include',
    page: { kind: 'keyset', limit: 10 },
  }),
  'customers-kept-count-filter': listQuery({ resource: 'customers', filter: inList('kyc_status', ['approved', 'in_review']), sort: [{ key: 'created_at', dir: 'desc' }], count: true }),
  'users-kept-count-deleted': listQuery({ resource: 'users', filter: eq('role', 'admin'), sort: [{ key: 'created_at', dir: 'desc' }], count: true, deleted: 'include' }),
  'customers-short-search-offset': listQuery({
    resource: 'customers',
    search: { term: 'jo', fields: ['name', 'email', 'number'], mode: 'substring' },
    sort: [{ key: 'external_id', dir: 'desc' }],
    page: { kind: 'offset', limit: 25, offset: 50 },
  }),
  'customers-search-cursor-narrow': listQuery({
    resource: 'customers',
    fields: ['id', 'name', 'created_at'],
    search: { term: 'example', fields: ['email'], mode: 'substring' },
    sort: [{ key: 'updated_at', dir: 'desc' }],
    page: { kind: 'keyset', limit: 5, after: { values: ['2025-01-01T00:00:00.000Z', ID], id: ID } },
    count: true,
  }),
  // A narrow record with its parent and operator embedded, each built in full by a correlated
  // subquery; the cursor's values come from the sort key, which the record leaves out.
  'customers-narrow-expanded': listQuery({
    resource: 'customers',
    fields: ['id', 'parent_id', 'email'],
    expand: ['parent', 'operator'],
    filter: { kind: 'range', field: 'created_at', gte: '2025-01-01T00:00:00Z' },
    sort: [{ key: 'name', dir: 'asc' }],
    page: { kind: 'keyset', limit: 10, after: { values: ['acme', ID], id: ID } },
  }),
  // The operators of the native API: prefix, a substring, negations two-valued where the column may be NULL
  // (IS NOT TRUE) and plain where it may not, an or group, metadata containment.
  'customers-operators': listQuery({
    resource: 'customers',
    filter: and(
      { kind: 'prefix', field: 'email', value: 'Ops@' },
      { kind: 'not', filter: { kind: 'contains', field: 'name', value: 'Smi%th' } },
      { kind: 'not', filter: inList('country', ['DK', 'SE']) },
      { kind: 'not', filter: eq('kyb_status', 'frozen') },
      { kind: 'range', field: 'number', gt: 10, lte: 500 },
      {
        kind: 'or',
        filters: [
          { kind: 'jsonContains', field: 'metadata', value: { tier: 'gold' } },
          { kind: 'null', field: 'external_id', isNull: true },
        ],
      },
      {
        kind: 'not',
        filter: {
          kind: 'or',
          filters: [
            { kind: 'not', filter: { kind: 'jsonHasKeys', field: 'attributes', keys: ['plan'] } },
            { kind: 'jsonContains', field: 'attributes', value: { plan: null } },
          ],
        },
      },
    ),
    sort: [{ key: 'created_at', dir: 'desc' }],
    count: true,
  }),
  // A JSON key filter at the top level: its candidates come from the GIN index through
  // roster_json_ids, read the ways a search's are; `metadata[level]=3` is either spelling.
  'customers-json-lookup': listQuery({
    resource: 'customers',
    filter: and(eq('country', 'DK'), {
      kind: 'or',
      filters: [
        { kind: 'jsonContains', field: 'metadata', value: { level: '3' } },
        { kind: 'jsonContains', field: 'metadata', value: { level: 3 } },
      ],
    }),
    sort: [{ key: 'created_at', dir: 'desc' }],
    count: true,
  }),
  // A substring of a field the search text holds: its candidates come from the trigram index.
  'customers-substring-lookup': listQuery({
    resource: 'customers',
    filter: and(eq('type', 'business'), { kind: 'contains', field: 'email', value: 'Smi%th' }),
    sort: [{ key: 'name', dir: 'asc' }],
    page: { kind: 'keyset', limit: 10, after: { id: ID } },
  }),
  'users-operators': listQuery({
    resource: 'users',
    filter: and({ kind: 'not', filter: eq('role', 'admin') }, { kind: 'prefix', field: 'first_name', value: 'An' }, { kind: 'range', field: 'created_at', lt: '2025-01-01T00:00:00Z' }),
    sort: [{ key: 'name', dir: 'asc' }],
  }),
  'users-search-prefix': listQuery({
    resource: 'users',
    filter: and(inList('role', ['admin']), eq('email', 'A@B.C')),
    search: { term: 'gra', fields: ['first_name', 'last_name', 'email', 'id'], mode: 'prefix' },
    sort: [{ key: 'created_at', dir: 'desc' }],
  }),
};

/** Count statements alone (what a list runs when its cached count is stale). */
const COUNTS: Record<string, ListQuery> = {
  'count-kept-pair': listQuery({ resource: 'customers', filter: and(inList('country', ['DK', 'SE']), eq('kyb_status', 'active')), count: true, deleted: 'include' }),
  'count-kept-combination': listQuery({
    resource: 'customers',
    filter: and(inList('country', ['DK', 'SE']), eq('kyb_status', 'active'), eq('is_sub_client', true)),
    count: true,
  }),
  'count-json-lookup': listQuery({ resource: 'customers', filter: and(eq('type', 'business'), { kind: 'jsonContains', field: 'attributes', value: { tier: 'gold' } }), count: true }),
  'count-search-filtered': listQuery({ resource: 'customers', filter: eq('type', 'business'), search: { term: 'smith', fields: ['name', 'email'], mode: 'substring' }, count: true }),
};

/** Estimates: the planner's row count for the matches, never run. */
const ESTIMATES: Record<string, ListQuery> = {
  'estimate-filtered': listQuery({
    resource: 'customers',
    filter: and({ kind: 'range', field: 'created_at', gte: '2025-01-01T00:00:00Z' }, { kind: 'jsonContains', field: 'metadata', value: { tier: 'gold' } }),
    count: 'estimated',
  }),
};

const golden = (name: string, stmt: Statement) => {
  const text = `-- params: ${JSON.stringify(stmt.params)}\n-- prepared: ${stmt.prepare}\n${stmt.text}\n`;
  const file = `${DIR}${name}.sql`;
  if (process.env.ROSTER_UPDATE_GOLDEN === '1') writeFileSync(file, text);
  assert.ok(existsSync(file), `${name}.sql is missing: run npm run golden, then review it`);
  assert.equal(text, readFileSync(file, 'utf8'), `${name}.sql changed: review the diff, then run npm run golden`);
};

for (const [name, q] of Object.entries(SHAPES)) test(`golden SQL: ${name}`, () => golden(name, compileList(scopeQuery(q, ACCOUNT))));
for (const [name, q] of Object.entries(COUNTS)) test(`golden SQL: ${name}`, () => golden(name, compileCount(scopeQuery(q, ACCOUNT))));
for (const [name, q] of Object.entries(ESTIMATES)) test(`golden SQL: ${name}`, () => golden(name, compileEstimate(scopeQuery(q, ACCOUNT))));

test('every golden file is a shape of this test', () => {
  const shapes = new Set([...Object.keys(SHAPES), ...Object.keys(COUNTS), ...Object.keys(ESTIMATES)].map((n) => `${n}.sql`));
  assert.deepEqual(
    readdirSync(DIR).filter((f) => !shapes.has(f)),
    [],
    'a golden file no shape makes: remove it',
  );
});

test('short searches are never prepared; trigram searches and the rest are', () => {
  const short = listQuery({ resource: 'customers', search: { term: 'ab', fields: ['name', 'email'], mode: 'substring' } });
  assert.equal(compileList(scopeQuery(short, ACCOUNT)).prepare, false);
  assert.equal(compileList(scopeQuery(SHAPES['customers-search-filters'], ACCOUNT)).prepare, true);
  assert.equal(compileList(scopeQuery(SHAPES['customers-first-page'], ACCOUNT)).prepare, true);
});

test('a query naming its fields gets only those built', () => {
  const narrow = compileList(scopeQuery(listQuery({ resource: 'customers', fields: ['id', 'name', 'created_at'] }), ACCOUNT)).text;
  assert.match(narrow, /SELECT c\.id, c\.name, roster_iso\(c\.created_at\) AS created_at\) r/);
  assert.doesNotMatch(narrow, /product_accounts/);
  assert.match(compileList(scopeQuery(listQuery({ resource: 'customers' }), ACCOUNT)).text, /AS product_accounts/);
  assert.throws(() => compileList(scopeQuery(listQuery({ resource: 'customers', fields: ['nope'] }), ACCOUNT)), /no field nope/);
});

test('an expansion builds the related record in full, whatever fields the record itself has', () => {
  const text = compileList(scopeQuery(SHAPES['customers-narrow-expanded'], ACCOUNT)).text;
  assert.match(text, /\(SELECT row_to_json\(e\) FROM \(SELECT c\.id, .*AS product_accounts, .* FROM customers c WHERE c\.account_id = \$1::text AND c\.id = _expand_parent\) e\) AS parent/s);
  assert.match(text, /c\.operator_id AS _expand_operator/);
  assert.doesNotMatch(compileList(scopeQuery(SHAPES['customers-first-page'], ACCOUNT)).text, /_expand_/);
  const users = listQuery({ resource: 'users', expand: ['parent' as never] });
  assert.throws(() => compileList(scopeQuery(users, ACCOUNT)), /users records have no parent to expand/);
});

test('every statement is scoped to the account and hides deleted records unless asked', () => {
  const stmt = compileList(scopeQuery(SHAPES['customers-first-page'], ACCOUNT));
  assert.equal(stmt.params[0], ACCOUNT);
  assert.match(stmt.text, /c\.account_id = \$1::text/);
  assert.match(stmt.text, /c\.deleted_at IS NULL/);
  assert.doesNotMatch(compileList(scopeQuery(SHAPES['customers-changed-since'], ACCOUNT)).text, /c\.deleted_at IS NULL/);
});

test('search terms are matched literally: LIKE wildcards are escaped', () => {
  const stmt = compileList(scopeQuery(SHAPES['customers-search-filters'], ACCOUNT));
  assert.ok(stmt.params.includes('%smi\\_th\\%%'));
});
