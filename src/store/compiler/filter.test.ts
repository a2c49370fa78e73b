import { test } from 'node:test';
import assert from 'node:assert/strict';
import { and, eq, inList, listQuery, type Filter, type ListQuery } from '../../core/list-query.ts';
import { scopeQuery } from '../../core/scope.ts';
import { RosterError } from '../../core/errors.ts';
import { compileList } from './compile-list.ts';

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
