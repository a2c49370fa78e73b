import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eq, listQuery } from '../core/list-query.ts';
import { scopeQuery } from '../core/scope.ts';
import { compileList } from './compiler/compile-list.ts';
import { StatementCache } from './statement-cache.ts';

// A cached statement is the one its own query compiles to: never another query's, whether the
// queries differ in account, value, page or in a way JSON cannot tell apart.

const page = (accountId: string, number: number, limit = 20) => scopeQuery(listQuery({ resource: 'customers', filter: eq('number', number), page: { kind: 'keyset', limit } }), accountId);

test('the same query is compiled once; any difference compiles its own statement', () => {
  const cache = new StatementCache();
  let compiled = 0;
  const get = (q: ReturnType<typeof page>) =>
    cache.get(q, 'page', () => {
      compiled++;
      return compileList(q);
    });
  const first = get(page('T00000001', 7));
  assert.equal(get(page('T00000001', 7)), first);
  assert.equal(compiled, 1);
  for (const other of [page('T00000002', 7), page('T00000001', 8), page('T00000001', 7, 21)]) {
    assert.deepEqual(get(other), compileList(other));
    assert.notDeepEqual(get(other), first);
  }
  assert.equal(compiled, 4);
  // The variant names which statement of the query is meant.
  assert.notEqual(
    cache.get(page('T00000001', 7), 'count', () => compileList(page('T00000001', 7), { count: false })),
    first,
  );
});

test('a cached statement cannot be changed by whoever uses it', () => {
  const stmt = new StatementCache().get(page('T00000001', 7), 'page', () => compileList(page('T00000001', 7)));
  assert.throws(() => (stmt.params as unknown[]).push(1), TypeError);
  assert.throws(() => {
    (stmt as { text: string }).text = 'SELECT 1';
  }, TypeError);
});

test('numbers JSON cannot tell apart (NaN, ±Infinity) are compiled every time, never shared', () => {
  const cache = new StatementCache();
  const [nan, inf] = [Number.NaN, Number.POSITIVE_INFINITY].map((n) => page('T00000001', n));
  const a = cache.get(nan, 'page', () => compileList(nan));
  const b = cache.get(inf, 'page', () => compileList(inf));
  assert.ok(Number.isNaN(a.params.find((p) => typeof p === 'number' && !Number.isFinite(p)) as number));
  assert.ok(b.params.includes(Number.POSITIVE_INFINITY));
});
