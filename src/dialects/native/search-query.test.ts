import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RosterError } from '../../core/errors.ts';
import { searchMeaning } from './search-query.ts';

// What a search-language query means: the same query-tree nodes the bracket operators and
// groups build, the word without a field as the list's search, and 400s naming `query` with
// the character where the mistake is.

const meaning = (q: string, resource: 'customers' | 'users' = 'customers') => searchMeaning(resource, q);
const filter = (q: string, resource: 'customers' | 'users' = 'customers') => meaning(q, resource).filter;
const refused = (q: string, message: RegExp, resource: 'customers' | 'users' = 'customers') =>
  assert.throws(
    () => searchMeaning(resource, q),
    (e: unknown) => e instanceof RosterError && e.status === 400 && e.fields[0]?.field === 'query' && message.test(e.message),
    q,
  );

const eq = (field: string, value: unknown) => ({ kind: 'eq', field, value });
const not = (f: unknown) => ({ kind: 'not', filter: f });

test('terms are the nodes their bracket operators are', () => {
  assert.deepEqual(filter("email:'A@b.c'"), eq('email', 'A@b.c'));
  assert.deepEqual(filter('number>100'), { kind: 'range', field: 'number', gt: 100 });
  assert.deepEqual(filter('number<=7'), { kind: 'range', field: 'number', lte: 7 });
  assert.deepEqual(filter('created_at>=2025-01-01T10:00:00Z'), { kind: 'range', field: 'created_at', gte: '2025-01-01T10:00:00Z' });
  assert.deepEqual(filter('name~Smi'), { kind: 'contains', field: 'name', value: 'Smi' });
  assert.deepEqual(filter('external_id:null'), { kind: 'null', field: 'external_id', isNull: true });
  assert.deepEqual(filter('-external_id:null'), not({ kind: 'null', field: 'external_id', isNull: true }));
  assert.deepEqual(filter("external_id:'null'"), eq('external_id', 'null'));
  assert.deepEqual(filter('is_sub_client:true'), eq('is_sub_client', true));
  assert.deepEqual(filter('role:admin', 'users'), eq('role', 'admin'));
});

test('a calendar date on an instant field is its midnight UTC', () => {
  assert.deepEqual(filter('created_at>2025-01-01'), { kind: 'range', field: 'created_at', gt: '2025-01-01T00:00:00.000Z' });
  assert.deepEqual(filter('updated_at<2024-02-29', 'users'), { kind: 'range', field: 'updated_at', lt: '2024-02-29T00:00:00.000Z' });
});

test('metadata and attributes keys: containment, and the null test', () => {
  const has = (field: string, value: unknown) => ({ kind: 'jsonContains', field, value });
  assert.deepEqual(filter("metadata['tier']:'gold'"), has('metadata', { tier: 'gold' }));
  assert.deepEqual(filter("attributes['level']:3"), { kind: 'or', filters: [has('attributes', { level: '3' }), has('attributes', { level: 3 })] });
  assert.deepEqual(filter('metadata[tier]:null'), { kind: 'or', filters: [not({ kind: 'jsonHasKeys', field: 'metadata', keys: ['tier'] }), has('metadata', { tier: null })] });
});

test('AND, OR and - become and, or and not', () => {
  assert.deepEqual(filter('country:DK type:business OR -(kyb_status:frozen OR country:SE)'), {
    kind: 'or',
    filters: [{ kind: 'and', filters: [eq('country', 'DK'), eq('type', 'business')] }, not({ kind: 'or', filters: [eq('kyb_status', 'frozen'), eq('country', 'SE')] })],
  });
});

test('one word or phrase without a field is the full-text search, outside OR and -', () => {
  assert.deepEqual(meaning('smith'), { filter: { kind: 'and', filters: [] }, text: 'smith' });
  assert.deepEqual(meaning("country:DK 'john smith'"), { filter: eq('country', 'DK'), text: 'john smith' });
  assert.deepEqual(meaning('(country:DK smith) number>1'), { filter: { kind: 'and', filters: [eq('country', 'DK'), { kind: 'range', field: 'number', gt: 1 }] }, text: 'smith' });
  refused('john smith', /at character 6: only one word or phrase without a field/);
  refused('country:DK OR smith', /at character 15: .*cannot stand inside OR or after "-"/);
  refused('-smith', /at character 2: .*cannot stand inside OR/);
  refused(`'${'x'.repeat(201)}'`, /at character 1: .*1 to 200 characters/);
  refused("''", /at character 1: .*1 to 200 characters/);
});

test('fields, keys, operators and values are checked where the term starts', () => {
  refused('nope:1', /^query: at character 1: nope: customers cannot be filtered by "nope"/);
  refused('country:DK number>ten', /at character 12: number: "ten" is not an integer/);
  refused('country:DK name>a', /at character 12: name takes : ~ :null, not >/);
  refused('type~bus', /at character 1: type takes :, not ~/);
  refused('number:null', /number takes : > >= < <=, not :null/);
  refused('metadata[tier]>1', /metadata\[tier\] takes : :null, not >/);
  refused('kyb_status:nope', /kyb_status: unknown value "nope"/);
  refused('created_at>yesterday', /created_at: "yesterday" is not an RFC 3339 date-time/);
  refused('metadata:x', /customers cannot be filtered by "metadata"/);
  refused('country[x]:DK', /country has no keys to filter by/);
  refused("metadata['']:x", /a metadata or attributes key has 1 to 100 characters/);
  refused('metadata[tier]:x', /users have no metadata or attributes/, 'users');
  refused('email: x', /^query: at character 7: expected a value after ":"/);
});
