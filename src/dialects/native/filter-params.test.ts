import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RosterError } from '../../core/errors.ts';
import { operatorFilters } from './filter-params.ts';
import { parseGroup } from './filter-grammar.ts';

// What operator parameters and filter groups mean as query-tree nodes, and the errors their
// mistakes get: the field named, and for a group the character where it goes wrong.

const customers = (q: Record<string, string>) => operatorFilters('customers', q);
const refused = (q: Record<string, string>, field: string, message: RegExp, resource: 'customers' | 'users' = 'customers') =>
  assert.throws(
    () => operatorFilters(resource, q),
    (e: unknown) => e instanceof RosterError && e.status === 400 && e.fields[0]?.field === field && message.test(e.message),
    JSON.stringify(q),
  );

test('each operator is one node, neq and nin the negation of eq and in', () => {
  assert.deepEqual(customers({ 'number[lt]': '10' }), [{ kind: 'range', field: 'number', lt: 10 }]);
  assert.deepEqual(customers({ 'created_at[gte]': '2025-01-01T00:00:00Z' }), [{ kind: 'range', field: 'created_at', gte: '2025-01-01T00:00:00Z' }]);
  assert.deepEqual(customers({ 'country[in]': 'DK, SE' }), [{ kind: 'in', field: 'country', values: ['DK', 'SE'] }]);
  assert.deepEqual(customers({ 'kyb_status[nin]': 'frozen,rejected' }), [{ kind: 'not', filter: { kind: 'in', field: 'kyb_status', values: ['frozen', 'rejected'] } }]);
  assert.deepEqual(customers({ 'country[neq]': 'DK' }), [{ kind: 'not', filter: { kind: 'eq', field: 'country', value: 'DK' } }]);
  assert.deepEqual(customers({ 'email[prefix]': 'ops@' }), [{ kind: 'prefix', field: 'email', value: 'ops@' }]);
  assert.deepEqual(customers({ 'name[contains]': 'Smi' }), [{ kind: 'contains', field: 'name', value: 'Smi' }]);
  assert.deepEqual(customers({ 'external_id[null]': 'true' }), [{ kind: 'null', field: 'external_id', isNull: true }]);
  assert.deepEqual(customers({ 'is_sub_client[eq]': 'false' }), [{ kind: 'eq', field: 'is_sub_client', value: false }]);
  assert.deepEqual(operatorFilters('users', { 'role[neq]': 'admin' }), [{ kind: 'not', filter: { kind: 'eq', field: 'role', value: 'admin' } }]);
  // Plain parameters are not operators: they are read where they always were.
  assert.deepEqual(customers({ country: 'DK', limit: '20' }), []);
});

test('metadata and attributes keys: containment of the string, and of the number or boolean it spells', () => {
  const has = (field: string, value: unknown) => ({ kind: 'jsonContains', field, value });
  assert.deepEqual(customers({ 'metadata[tier]': 'gold' }), [has('metadata', { tier: 'gold' })]);
  assert.deepEqual(customers({ 'attributes[plan][in]': 'a,b' }), [{ kind: 'or', filters: [has('attributes', { plan: 'a' }), has('attributes', { plan: 'b' })] }]);
  assert.deepEqual(customers({ 'attributes[newsletter]': 'true' }), [{ kind: 'or', filters: [has('attributes', { newsletter: 'true' }), has('attributes', { newsletter: true })] }]);
  assert.deepEqual(customers({ 'metadata[n][neq]': '5' }), [{ kind: 'not', filter: { kind: 'or', filters: [has('metadata', { n: '5' }), has('metadata', { n: 5 })] } }]);
  assert.deepEqual(customers({ 'metadata[a.b]': 'x' }), [has('metadata', { 'a.b': 'x' })]);
});

test('groups: or, and, not, nested, lists and quoted values', () => {
  assert.deepEqual(customers({ or: '(country.eq.DK,type.eq.business)' }), [
    {
      kind: 'or',
      filters: [
        { kind: 'eq', field: 'country', value: 'DK' },
        { kind: 'eq', field: 'type', value: 'business' },
      ],
    },
  ]);
  assert.deepEqual(customers({ 'not.and': '(country.in.(DK,SE),not.number.gte.5)' }), [
    {
      kind: 'not',
      filter: {
        kind: 'and',
        filters: [
          { kind: 'in', field: 'country', values: ['DK', 'SE'] },
          { kind: 'not', filter: { kind: 'range', field: 'number', gte: 5 } },
        ],
      },
    },
  ]);
  assert.deepEqual(customers({ or: '(name.eq."Acme, \\"Inc.\\"",and(metadata[tier].eq.gold,email.prefix.ops@x.io))' }), [
    {
      kind: 'or',
      filters: [
        { kind: 'eq', field: 'name', value: 'Acme, "Inc."' },
        {
          kind: 'and',
          filters: [
            { kind: 'jsonContains', field: 'metadata', value: { tier: 'gold' } },
            { kind: 'prefix', field: 'email', value: 'ops@x.io' },
          ],
        },
      ],
    },
  ]);
  assert.deepEqual(parseGroup('(created_at.lt.2025-01-01T00:00:00.000Z)'), [
    { kind: 'condition', at: 2, field: 'created_at', key: undefined, op: 'lt', values: ['2025-01-01T00:00:00.000Z'], list: false },
  ]);
});

test('mistakes are 400s that name the parameter, and for a group where it goes wrong', () => {
  refused({ 'number[lt]': 'ten' }, 'number[lt]', /"ten" is not an integer/);
  refused({ 'name[gt]': 'a' }, 'name[gt]', /name takes the operators eq, neq, in, nin, prefix, contains, null, not "gt"/);
  refused({ 'kyb_status[in]': 'active,nope' }, 'kyb_status[in]', /unknown value "nope"/);
  refused({ 'created_at[gte]': '2025-13-01' }, 'created_at[gte]', /not an RFC 3339 date-time/);
  refused({ 'colour[eq]': 'red' }, 'colour[eq]', /customers cannot be filtered by "colour"/);
  refused({ 'metadata[tier][gt]': '1' }, 'metadata[tier][gt]', /takes the operators eq, neq, in, nin, null/);
  refused({ 'metadata[]': 'x' }, 'metadata[]', /1 to 100 characters/);
  refused({ 'metadata[a][b][c]': 'x' }, 'metadata[a][b][c]', /write field\[operator\], metadata\[key\] or metadata\[key\]\[operator\]/);
  refused({ 'external_id[null]': 'maybe' }, 'external_id[null]', /not true or false/);
  refused({ 'uuid[eq]': 'x' }, 'uuid[eq]', /not a UUID/);
  refused({ 'metadata[tier]': 'x' }, 'metadata[tier]', /users have no metadata or attributes to filter by/, 'users');
  refused({ or: '(country[x].eq.DK)' }, 'or', /at character 2: country\[x\]: country has no keys to filter by/);
  refused({ or: 'country.eq.DK' }, 'or', /at character 1: expected a group in parentheses/);
  refused({ or: '(country.eq.DK' }, 'or', /at character 15: expected "," or "\)", found the end/);
  refused({ or: '(country.eq.DK,type.xx.business)' }, 'or', /at character 16: type: type takes the operators eq, neq, in, nin, not "xx"/);
  refused({ or: '(country.eq.DK)x' }, 'or', /at character 16: unexpected "x"/);
  refused({ or: '(country.eq.(DK,SE))' }, 'or', /at character 2: eq takes one value, not a list/);
  refused({ or: '(name.eq."abc)' }, 'or', /closing quote/);
  refused({ and: '(country.eq.)' }, 'and', /at character 13: expected a value/);
  refused({ or: '(1.eq.2)' }, 'or', /at character 2: expected a field name/);
  refused({ or: `(${'or('.repeat(8)}country.eq.DK${')'.repeat(9)}` }, 'or', /nested deeper than 8/);
  assert.equal(customers({ or: `(${'or('.repeat(7)}country.eq.DK${')'.repeat(8)}` }).length, 1);
  refused({ or: `(${Array(51).fill('country.eq.DK').join(',')})` }, 'or', /more than 50 conditions/);
});
