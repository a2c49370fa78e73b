import fc from 'fast-check';
import { hostileString } from './hostile-values.ts';

// Queries of the native search language built from the grammar's own pieces (valid and not):
// fields and keys, every operator, bare, quoted and broken values, AND/OR, "-", parentheses
// (balanced or not) and words without a field, so the fuzz test reaches the parser's every
// branch and the SQL behind it, where purely random text stops at the first character.

/** Each piece mostly from the grammar, now and then from just outside it. */
const near = (good: string[], bad: string[]) => fc.oneof({ arbitrary: fc.constantFrom(...good), weight: 5 }, { arbitrary: fc.constantFrom(...bad), weight: 1 });

const TARGETS = near(
  [
    'country',
    'type',
    'number',
    'created_at',
    'updated_at',
    'email',
    'name',
    'external_id',
    'kyb_status',
    'is_sub_client',
    'role',
    'deleted_at',
    "metadata['tier']",
    'metadata[tier]',
    'attributes["plan"]',
  ],
  ["metadata['']", 'metadata[a', 'nope', 'Name', '_x', 'country[x]'],
);
const OPS = near([':', ':', '~', '>', '>=', '<', '<='], ['=', '', '::', ':~']);
const VALUES = near(['DK', 'business', '5', '-1', '2025-01-01', '2025-01-01T00:00:00Z', 'true', 'null', "'null'", 'gold', "'a b'", '"x\\"y"', "o'neil", '%', '_'], ["'\\q'", "'open", '(', ')', '']);
const WORDS = near(['smith', 'jo', 'ANDERSEN', "'john smith'", 'ops@acme.io'], ['AND', 'OR', '"x', '-', '--x', 'a:b', "''"]);

const quoted = (s: string) => `'${s.replace(/[\\']/g, '\\$&')}'`;
const value = fc.oneof({ arbitrary: VALUES, weight: 5 }, { arbitrary: hostileString.map(quoted), weight: 1 }, { arbitrary: hostileString, weight: 1 });
const term = fc.oneof({ arbitrary: fc.tuple(TARGETS, OPS, value).map(([t, o, v]) => `${t}${o}${v}`), weight: 5 }, { arbitrary: WORDS, weight: 1 });
const join = near([' ', ' AND ', ' OR ', '  ', '\t'], ['AND', ' OR OR ', '']);

const { expr } = fc.letrec<{ expr: string; unary: string }>((tie) => ({
  unary: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { arbitrary: term, weight: 5 },
    { arbitrary: tie('unary').map((u) => `-${u}`), weight: 1 },
    { arbitrary: fc.tuple(near(['(', '( '], ['((']), tie('expr'), near([')', ' )'], ['', '))'])).map(([o, e, c]) => `${o}${e}${c}`), weight: 1 },
  ),
  expr: fc.tuple(tie('unary'), fc.array(fc.tuple(join, tie('unary')), { maxLength: 3 })).map(([first, rest]) => first + rest.map(([j, u]) => j + u).join('')),
}));

/** A `query` for the search routes: usually near the grammar, now and then long or hostile. */
export const searchQuery: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: expr, weight: 8 },
  { arbitrary: hostileString, weight: 1 },
  { arbitrary: fc.constantFrom('('.repeat(1999), '-'.repeat(2000), Array(60).fill('country:DK').join(' '), `name:'${'x'.repeat(1990)}'`, 'x'.repeat(2001)), weight: 1 },
);
