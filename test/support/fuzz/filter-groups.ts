import fc from 'fast-check';
import { hostileString } from './hostile-values.ts';

// Native filter groups and metadata parameters built from the grammar's own pieces (valid and
// not), so the fuzz test reaches deep into the group parser and the SQL it leads to, where
// purely random text stops at the first character.

const FIELDS = ['country', 'type', 'number', 'created_at', 'email', 'name', 'external_id', 'metadata[tier]', 'attributes[plan]', 'metadata[]', 'role', 'nope', 'metadata[a.b]'];
const OPS = ['eq', 'neq', 'in', 'nin', 'gt', 'gte', 'lt', 'lte', 'prefix', 'contains', 'null', 'xx', ''];
const VALUES = ['DK', 'business', '5', '-1', '2025-01-01T00:00:00Z', 'true', 'false', 'gold', '"a,b"', '"\\"', '(DK,SE)', '()', '(', ')', '', '"x\\"y"'];

const quoted = (s: string) => `"${s.replace(/[\\"]/g, '\\$&')}"`;
const value = fc.oneof({ arbitrary: fc.constantFrom(...VALUES), weight: 4 }, { arbitrary: hostileString.map(quoted), weight: 1 }, { arbitrary: hostileString, weight: 1 });
const condition = fc.tuple(fc.constantFrom(...FIELDS), fc.constantFrom(...OPS), value).map(([f, o, v]) => `${f}.${o}.${v}`);

const { term } = fc.letrec<{ term: string; group: string }>((tie) => ({
  term: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { arbitrary: condition, weight: 5 },
    { arbitrary: tie('term').map((t) => `not.${t}`), weight: 1 },
    { arbitrary: fc.tuple(fc.constantFrom('and', 'or', 'xor'), tie('group')).map(([j, g]) => `${j}${g}`), weight: 1 },
  ),
  group: fc.array(tie('term'), { minLength: 1, maxLength: 4 }).map((ts) => `(${ts.join(',')})`),
}));

/** A group parameter, or a metadata/attributes one, with a value near the grammar. */
export const filterParam: fc.Arbitrary<[string, string]> = fc.oneof(
  fc.tuple(
    fc.constantFrom('or', 'and', 'not.or', 'not.and'),
    fc.array(term, { minLength: 1, maxLength: 4 }).map((ts) => `(${ts.join(',')})`),
  ),
  fc.tuple(fc.constantFrom('metadata[tier]', 'attributes[plan][in]', 'metadata[tier][null]', 'metadata[x][gt]', 'metadata[][eq]', 'attributes[a]b]'), value),
);
