import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GrammarError } from './filter-grammar.ts';
import { MAX_QUERY_LENGTH, MAX_SEARCH_DEPTH, MAX_SEARCH_TERMS, parseSearch, type SearchNode } from './search-language.ts';

// The search language's grammar: the tree a query reads into (positions count characters from
// 1), and where a mistake is said to be.

const strip = (n: SearchNode): unknown => {
  switch (n.kind) {
    case 'term':
      return [n.field + (n.key !== undefined ? `[${n.key}]` : ''), n.op, n.value, ...(n.quoted ? ['quoted'] : [])];
    case 'text':
      return ['text', n.value];
    case 'not':
      return ['not', strip(n.node)];
    default:
      return [n.kind, ...n.nodes.map(strip)];
  }
};
const tree = (q: string) => strip(parseSearch(q));
const mistake = (q: string, at: number, message: RegExp) =>
  assert.throws(
    () => parseSearch(q),
    (e: unknown) => e instanceof GrammarError && e.position === at && message.test(e.message),
    `${q} → at ${at} ${message}`,
  );

test('field terms with every operator, quoted and bare values, metadata keys', () => {
  assert.deepEqual(tree("email:'a@b.c'"), ['email', ':', 'a@b.c', 'quoted']);
  assert.deepEqual(tree('country:DK'), ['country', ':', 'DK']);
  assert.deepEqual(tree('name~smith'), ['name', '~', 'smith']);
  for (const op of ['>', '>=', '<', '<=']) assert.deepEqual(tree(`created_at${op}2025-01-01`), ['created_at', op, '2025-01-01']);
  assert.deepEqual(tree("metadata['tier']:'gold'"), ['metadata[tier]', ':', 'gold', 'quoted']);
  assert.deepEqual(tree('attributes["a b"]:pro'), ['attributes[a b]', ':', 'pro']);
  assert.deepEqual(tree('metadata[plan]:x'), ['metadata[plan]', ':', 'x']);
  assert.deepEqual(tree('external_id:null'), ['external_id', ':', 'null']);
  assert.deepEqual(tree("name:'it\\'s \"x\" \\\\'"), ['name', ':', 'it\'s "x" \\', 'quoted']);
  assert.deepEqual(tree('name:"say \\"hi\\""'), ['name', ':', 'say "hi"', 'quoted']);
  assert.deepEqual(tree("name:o'neil"), ['name', ':', "o'neil"]);
  assert.deepEqual(tree('name:a:b'), ['name', ':', 'a:b']);
});

test('AND binds tighter than OR; adjacent terms are joined by AND; - negates a term or a group', () => {
  assert.deepEqual(tree('a:1 b:2 OR c:3'), ['or', ['and', ['a', ':', '1'], ['b', ':', '2']], ['c', ':', '3']]);
  assert.deepEqual(tree('a:1 OR b:2 AND c:3'), ['or', ['a', ':', '1'], ['and', ['b', ':', '2'], ['c', ':', '3']]]);
  assert.deepEqual(tree('(a:1 OR b:2) c:3'), ['and', ['or', ['a', ':', '1'], ['b', ':', '2']], ['c', ':', '3']]);
  assert.deepEqual(tree('-a:1 -(b:2 OR c:3)'), ['and', ['not', ['a', ':', '1']], ['not', ['or', ['b', ':', '2'], ['c', ':', '3']]]]);
  assert.deepEqual(tree('--a:1'), ['not', ['not', ['a', ':', '1']]]);
  assert.deepEqual(tree('  ( ( a:1 ) )  '), ['a', ':', '1']);
  assert.deepEqual(tree('a:1 AND(b:2)'), ['and', ['a', ':', '1'], ['b', ':', '2']]);
});

test('words and phrases without a field; AND and OR are keywords only as capital words of their own', () => {
  assert.deepEqual(tree('smith'), ['text', 'smith']);
  assert.deepEqual(tree("'john smith'"), ['text', 'john smith']);
  assert.deepEqual(tree('ops@acme.io country:DK'), ['and', ['text', 'ops@acme.io'], ['country', ':', 'DK']]);
  assert.deepEqual(tree('ANDERSEN or ORLA'), ['and', ['text', 'ANDERSEN'], ['text', 'or'], ['text', 'ORLA']]);
  assert.deepEqual(tree("'OR'"), ['text', 'OR']);
});

test('mistakes are reported at the character where they are', () => {
  mistake('', 1, /expected a term, found the end/);
  mistake('   ', 4, /expected a term, found the end/);
  mistake("email:'a@b.c' AND name:", 24, /expected a value after ":", found the end/);
  mistake('email: x', 7, /expected a value after ":", found " "/);
  mistake('country:(DK)', 9, /expected a value after ":", found "\("/);
  mistake('(country:DK', 12, /expected "\)" to close the "\(" at character 1, found the end/);
  mistake('country:DK)', 11, /a "\)" without its "\("/);
  mistake('a:1 AND', 8, /expected a term, found the end/);
  mistake('OR a:1', 1, /found OR; quote it/);
  mistake('a:1 OR OR b:2', 8, /found OR/);
  mistake('- a:1', 2, /right after "-"/);
  mistake("name:'abc", 6, /without its closing '/);
  mistake('name:"a\\x"', 8, /only \\', \\" and \\\\ are escapes/);
  mistake('metadata[tier:x', 9, /a "\[" without its "\]"/);
  mistake("metadata['tier'x]:y", 16, /expected "\]" after the key/);
  mistake('metadata[tier]x', 15, /expected ":", "~", ">", ">=", "<" or "<=" after metadata\[…\], found "x"/);
  mistake('foo.bar:x', 1, /"foo.bar" is not a field name/);
  mistake('a:1 ()', 6, /expected a term, found "\)"/);
});

test('limits: length, depth and terms', () => {
  mistake('x'.repeat(MAX_QUERY_LENGTH + 1), MAX_QUERY_LENGTH + 1, /longer than 2000 characters/);
  assert.doesNotThrow(() => parseSearch(`${'('.repeat(MAX_SEARCH_DEPTH - 1)}a:1${')'.repeat(MAX_SEARCH_DEPTH - 1)}`));
  mistake(`${'('.repeat(MAX_SEARCH_DEPTH)}a:1${')'.repeat(MAX_SEARCH_DEPTH)}`, MAX_SEARCH_DEPTH + 1, /nested deeper than 8/);
  mistake(`${'-'.repeat(MAX_SEARCH_DEPTH)}a:1`, MAX_SEARCH_DEPTH + 1, /nested deeper than 8/);
  assert.doesNotThrow(() => parseSearch(Array(MAX_SEARCH_TERMS).fill('a:1').join(' ')));
  mistake(
    Array(MAX_SEARCH_TERMS + 1)
      .fill('a:1')
      .join(' '),
    MAX_SEARCH_TERMS * 4 + 1,
    /more than 50 terms/,
  );
  // Deep input is refused before it can exhaust the stack.
  mistake('('.repeat(MAX_QUERY_LENGTH), MAX_SEARCH_DEPTH + 1, /nested deeper/);
});
