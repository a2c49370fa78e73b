import { test } from 'node:test';
import assert from 'node:assert/strict';
import { and, eq, inList, listQuery, type Filter, type ListQuery } from '../../core/list-query.ts';
import { scopeQuery } from '../../core/scope.ts';
import { RosterError } from '../../core/errors.ts';
import { compileCount, compileList } from './compile-list.ts';

// A filter is typed by the resource its list names: a test another resource has is a type error
// (the `@ts-expect-error` lines below fail the type check, which CI runs, if one goes missing),
// and a tree built without types that holds one anyway is refused, never compiled to SQL that
// names another resource's columns.

const ACCOUNT = 'T00000042';

test('a filter holds only tests its resource has', () => {
  // @ts-expect-error users have no tags
  listQuery({ resource: 'users', filter: { kind: 'hasTag', tagId: '3c90c3cc-0d44-4b50-8888-8dd25736052a' } });
  // @ts-expect-error users have no hierarchy, inside an and too
  listQuery({ resource: 'users', filter: and(eq('role', 'admin'), { kind: 'childOf', parent: { by: 'id', value: 'x' } }) });
  // @ts-expect-error customers have no role
  listQuery({ resource: 'customers', filter: inList('role', ['admin']) });
  // @ts-expect-error nor a user filter holds a customer's field
  const wrong: Filter<'users'> = { kind: 'not', filter: eq('kyc_status', 'approved') };
  const right: Filter<'users'> = and(inList('role', ['admin']), { kind: 'null', field: 'deleted_at', isNull: true });
  const customers: Filter<'customers'> = and(eq('kyc_status', 'approved'), { kind: 'hasTag', tagId: '3c90c3cc-0d44-4b50-8888-8dd25736052a' });
  assert.ok(wrong && right && customers);
});

test('a customer test on users, built without types, is refused by the compiler', () => {
  const untyped = JSON.parse(JSON.stringify(listQuery({ resource: 'customers', filter: { kind: 'hasTag', tagId: '3c90c3cc-0d44-4b50-8888-8dd25736052a' } })));
  const q: ListQuery = { ...untyped, resource: 'users' };
  assert.throws(
    () => compileList(scopeQuery(q, ACCOUNT)),
    (e: unknown) => e instanceof RosterError && e.code === 'invalid_request' && /users cannot be filtered by hasTag/.test(e.message),
  );
  assert.throws(() => compileList(scopeQuery({ ...q, filter: { kind: 'eq', field: 'kyc_status', value: 'approved' } } as ListQuery, ACCOUNT)), /users cannot be filtered by kyc_status/);
  assert.match(compileList(scopeQuery(untyped, ACCOUNT)).text, /FROM customer_tags ct/);
});

// Values no plan depends on are kept from the planner behind a scalar subquery, so a prepared
// page is planned once (params.ts, `unplanned`; the plan test shows the effect). A value that may
// choose an index, or how far to read one, stays a plain parameter.
test('only values that choose no index are kept from the planner', () => {
  const sql = (filter: Filter<'customers'>, sort: ListQuery['sort'] = [{ key: 'created_at', dir: 'desc' }]) => {
    const stmt = compileList(scopeQuery(listQuery({ resource: 'customers', filter, sort }), ACCOUNT));
    const where = /FROM customers c WHERE c\.account_id = \$1::text AND c\.deleted_at IS NULL AND (.*)\n/.exec(stmt.text);
    return where?.[1].replace(/\s+ORDER BY.*$/, '');
  };
  // No index holds the country: its values are hidden, one or many.
  assert.equal(sql(eq('country', 'DK')), 'c.country = (SELECT $2::text)');
  assert.equal(sql(inList('country', ['DK', 'SE'])), 'c.country = ANY((SELECT $2::text[])::text[])');
  // An indexed status in sight; under NOT, where no index serves it, hidden.
  assert.equal(sql(inList('kyb_status', ['active', 'frozen'])), 'c.kyb_status = ANY($2::text[])');
  assert.equal(sql({ kind: 'not', filter: inList('kyb_status', ['active', 'frozen']) }), 'NOT (c.kyb_status = ANY((SELECT $2::text[])::text[]))');
  // A range of the order's own key bounds the walk of its index: hidden. Sorted by another key,
  // the same range may be narrow enough to read through its own index: in sight.
  assert.equal(sql({ kind: 'range', field: 'created_at', gte: '2024-01-01T00:00:00Z' }), 'c.created_at >= (SELECT $2::timestamptz)');
  assert.equal(sql({ kind: 'range', field: 'created_at', gte: '2024-01-01T00:00:00Z' }, [{ key: 'name', dir: 'asc' }]), 'c.created_at >= $2::timestamptz');
  assert.equal(sql({ kind: 'range', field: 'updated_at', gte: '2024-01-01T00:00:00Z' }), 'c.updated_at >= $2::timestamptz');
  // A boolean list goes in as text and is cast in SQL, hidden or not.
  assert.equal(sql(inList('is_sub_client', [true, false])), 'c.is_sub_client = ANY((SELECT $2::text[]::boolean[])::boolean[])');
});

test('a count shows the planner every value, in its own statement and beside a page, over the same parameters', () => {
  const filter = and({ kind: 'range', field: 'created_at', gte: '2024-01-01T00:00:00Z' }, inList('country', ['DK', 'SE']));
  const q = scopeQuery(listQuery({ resource: 'customers', filter, sort: [{ key: 'created_at', dir: 'desc' }], count: true }), ACCOUNT);
  const page = compileList(q);
  assert.match(page.text, /c\.created_at >= \(SELECT \$2::timestamptz\) AND c\.country = ANY\(\(SELECT \$3::text\[\]\)::text\[\]\)/);
  const counted = 'c.created_at >= $2::timestamptz AND c.country = ANY($3::text[])';
  assert.ok(page.text.includes(`(SELECT count(*) FROM customers c WHERE c.account_id = $1::text AND c.deleted_at IS NULL AND ${counted})`), page.text);
  // One parameter per value, whether the count is in the statement or not.
  assert.deepEqual(page.params, [ACCOUNT, '2024-01-01T00:00:00Z', ['DK', 'SE']]);
  assert.deepEqual(compileList(q, { count: false }).params, page.params);
  assert.ok(compileCount(q).text.includes(counted));
  assert.doesNotMatch(compileCount(q).text, /\(SELECT \$/);
});

test('an offset is kept from the planner over the account alone, and in sight under a filter', () => {
  const offset = (filter?: Filter<'customers'>) =>
    /OFFSET (\(SELECT \$\d+::bigint\)|\$\d+::bigint)/.exec(
      compileList(scopeQuery(listQuery({ resource: 'customers', filter, page: { kind: 'offset', limit: 20, offset: 40 } }), ACCOUNT), { count: false }).text,
    )?.[1];
  assert.equal(offset(), '(SELECT $2::bigint)');
  // A filter may make a deep offset's plan a join and a sort: the value decides.
  assert.equal(offset({ kind: 'hasProductAccount' }), '$2::bigint');
  assert.equal(offset(eq('type', 'business')), '$3::bigint');
});
