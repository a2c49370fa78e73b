import { test } from 'node:test';
import assert from 'node:assert/strict';
import { and, eq, inList, listQuery, type ListQueryOf } from '../../core/list-query.ts';
import { scopeQuery } from '../../core/scope.ts';
import { keptCount } from './kept-count.ts';
import { RESOURCES } from './resources.ts';

const kept = (q: Partial<ListQueryOf<'customers'>>) => {
  const scoped = scopeQuery(listQuery({ resource: 'customers', count: true, ...q }), 'T00000042');
  return keptCount(scoped, RESOURCES[scoped.resource]);
};

test('the soft-delete rule alone picks live, deleted or all records', () => {
  assert.deepEqual(kept({}), { table: 'customer_counts', live: [true], by: [] });
  assert.deepEqual(kept({ deleted: 'only' }), { table: 'customer_counts', live: [false], by: [] });
  assert.deepEqual(kept({ deleted: 'include' }), { table: 'customer_counts', live: [true, false], by: [] });
});

test('one equality or in-list on a counted field is kept, however the and-nodes nest', () => {
  assert.deepEqual(kept({ filter: eq('kyb_status', 'active') })?.by, [{ field: 'kyb_status', values: ['active'] }]);
  assert.deepEqual(kept({ filter: and(inList('type', ['business', 'operator'])), deleted: 'include' })?.by, [{ field: 'type', values: ['business', 'operator'] }]);
  assert.deepEqual(kept({ filter: { kind: 'and', filters: [{ kind: 'and', filters: [eq('is_sub_client', true)] }] } })?.by, [{ field: 'is_sub_client', values: [true] }]);
  const users = scopeQuery(listQuery({ resource: 'users', count: true, filter: inList('role', ['admin']) }), 'T00000042');
  assert.equal(keptCount(users, RESOURCES.users)?.table, 'user_counts');
  // An empty search term searches nothing.
  assert.ok(kept({ search: { term: '', fields: ['name'], mode: 'substring' } }));
});

test('two of them, on two counted fields, are kept as a pair, in the order of their names', () => {
  assert.deepEqual(kept({ filter: and(eq('type', 'business'), inList('country', ['DK', 'SE'])) })?.by, [
    { field: 'country', values: ['DK', 'SE'] },
    { field: 'type', values: ['business'] },
  ]);
  assert.deepEqual(
    kept({ filter: and(eq('kyc_status', 'approved'), eq('kyb_status', 'active')), deleted: 'only' })?.by.map((b) => b.field),
    ['kyb_status', 'kyc_status'],
  );
  // Users count one field only: no pairs to keep.
  const users = scopeQuery(listQuery({ resource: 'users', count: true, filter: and(eq('role', 'admin'), eq('role', 'viewer')) }), 'T00000042');
  assert.equal(keptCount(users, RESOURCES.users), undefined);
});

test('three or more, each on a counted field, are kept as a combination, in the order of their names', () => {
  assert.deepEqual(kept({ filter: and(eq('type', 'business'), inList('country', ['DK', 'SE']), eq('status', 'active')) })?.by, [
    { field: 'country', values: ['DK', 'SE'] },
    { field: 'status', values: ['active'] },
    { field: 'type', values: ['business'] },
  ]);
});

test('anything more is counted row by row', () => {
  assert.equal(kept({ filter: and(eq('type', 'business'), eq('country', 'DK'), { kind: 'range', field: 'created_at', gte: '2025-01-01T00:00:00Z' }) }), undefined);
  assert.equal(kept({ filter: and(eq('type', 'business'), eq('type', 'operator')) }), undefined);
  assert.equal(kept({ filter: eq('email', 'a@b.c') }), undefined);
  assert.equal(kept({ filter: { kind: 'childOf', parent: { by: 'id', value: 'x' } } }), undefined);
  assert.equal(kept({ filter: { kind: 'or', filters: [eq('type', 'business')] } }), undefined);
  assert.equal(kept({ filter: { kind: 'not', filter: eq('type', 'business') } }), undefined);
  assert.equal(kept({ filter: { kind: 'null', field: 'country', isNull: true } }), undefined);
  assert.equal(kept({ search: { term: 'smith', fields: ['name'], mode: 'substring' } }), undefined);
});
