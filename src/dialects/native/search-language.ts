import { GrammarError } from './filter-grammar.ts';

// The grammar of `query` on GET /v1/customers/search and /v1/users/search (README: "The search
// language"). It reads text into a tree of terms and says where a mistake is; what a field,
// operator or value means is checked by the caller (search-query.ts), as for filter groups.
//
//   query    = or
//   or       = and *("OR" and)
//   and      = unary *(["AND"] unary)            ; adjacent terms are joined by AND
//   unary    = "-" unary / "(" or ")" / term
//   term     = target op value / text
//   target   = name / name "[" (quoted / 1*(any character but "]")) "]"
//   op       = ":" / "~" / ">=" / "<=" / ">" / "<"
//   value    = quoted / bare
//   text     = quoted / bare                    ; a word or phrase with no field
//   quoted   = "'" *(char / "\'" / "\"" / "\\") "'" / DQUOTE … DQUOTE
//   bare     = 1*(any character but white space, "(" and ")")
//   name     = (ALPHA / "_") *(ALPHA / DIGIT / "_")

export type SearchOp = ':' | '~' | '>' | '>=' | '<' | '<=';

export type SearchNode =
  | { readonly kind: 'term'; readonly at: number; readonly field: string; readonly key?: string; readonly op: SearchOp; readonly value: string; readonly quoted: boolean }
  | { readonly kind: 'text'; readonly at: number; readonly value: string }
  | { readonly kind: 'and' | 'or'; readonly at: number; readonly nodes: readonly SearchNode[] }
  | { readonly kind: 'not'; readonly at: number; readonly node: SearchNode };

/** Longest query, deepest nesting of parentheses and negations, most terms. */
export const MAX_QUERY_LENGTH = 2000;
export const MAX_SEARCH_DEPTH = 8;
export const MAX_SEARCH_TERMS = 50;

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const OP = /(>=|<=|:|~|>|<)/y;
const BARE = /[^\s()]+/y;
const SPACE = /\s*/y;

export function parseSearch(text: string): SearchNode {
  let pos = 0;
  let terms = 0;
  const fail = (message: string, at = pos): never => {
    throw new GrammarError(at + 1, message);
  };
  const found = () => (pos >= text.length ? 'the end' : `"${text[pos]}"`);
  const match = (re: RegExp): string | undefined => {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m || m[0] === '') return undefined;
    pos += m[0].length;
    return m[0];
  };
  const skipSpace = () => match(SPACE);
  /** AND or OR as a word of its own: followed by white space, "(", "-" or the end; `ANDERSEN` is a word. */
  const atKeyword = (word: string) => text.startsWith(word, pos) && /^[\s(-]?$/.test(text[pos + word.length] ?? '');

  if (text.length > MAX_QUERY_LENGTH) fail(`the query is longer than ${MAX_QUERY_LENGTH} characters`, MAX_QUERY_LENGTH);

  function or(depth: number): SearchNode {
    skipSpace();
    const at = pos + 1;
    const nodes = [and(depth)];
    while (atKeyword('OR')) {
      pos += 2;
      nodes.push(and(depth));
    }
    return nodes.length === 1 ? nodes[0] : { kind: 'or', at, nodes };
  }

  function and(depth: number): SearchNode {
    skipSpace();
    const at = pos + 1;
    const nodes = [unary(depth)];
    for (;;) {
      skipSpace();
      if (pos >= text.length || text[pos] === ')' || atKeyword('OR')) break;
      if (atKeyword('AND')) pos += 3;
      nodes.push(unary(depth));
    }
    return nodes.length === 1 ? nodes[0] : { kind: 'and', at, nodes };
  }

  function unary(depth: number): SearchNode {
    skipSpace();
    const at = pos + 1;
    if (depth > MAX_SEARCH_DEPTH) fail(`parentheses and "-" are nested deeper than ${MAX_SEARCH_DEPTH} levels`);
    if (text[pos] === '-') {
      pos++;
      if (pos >= text.length || /\s/.test(text[pos])) fail('expected a term or "(" right after "-"');
      return { kind: 'not', at, node: unary(depth + 1) };
    }
    if (text[pos] === '(') {
      pos++;
      const node = or(depth + 1);
      skipSpace();
      if (text[pos] !== ')') fail(`expected ")" to close the "(" at character ${at}, found ${found()}`);
      pos++;
      return node;
    }
    return term(at);
  }

  function term(at: number): SearchNode {
    if (pos >= text.length || text[pos] === ')') fail(`expected a term, found ${found()}`);
    if (atKeyword('AND') || atKeyword('OR')) fail(`expected a term, found ${text.startsWith('OR', pos) ? 'OR' : 'AND'}; quote it to search for the word`);
    if (++terms > MAX_SEARCH_TERMS) fail(`more than ${MAX_SEARCH_TERMS} terms`);
    if (text[pos] === "'" || text[pos] === '"') return { kind: 'text', at, value: quoted() };
    const start = pos;
    const field = match(NAME);
    if (field !== undefined && /^[[:~<>]$/.test(text[pos] ?? '')) return condition(at, field);
    pos = start;
    const word = match(BARE)!;
    const op = /[[:~<>]/.exec(word);
    if (op) fail(`"${word.slice(0, op.index)}" is not a field name (letters, digits and _); quote a word that holds "${op[0]}"`, start);
    return { kind: 'text', at, value: word };
  }

  function condition(at: number, field: string): SearchNode {
    let key: string | undefined;
    if (text[pos] === '[') {
      pos++;
      if (text[pos] === "'" || text[pos] === '"') key = quoted();
      else {
        const end = text.indexOf(']', pos);
        if (end < 0) fail('a "[" without its "]"', pos - 1);
        key = text.slice(pos, end);
        pos = end;
      }
      if (text[pos] !== ']') fail(`expected "]" after the key, found ${found()}`);
      pos++;
    }
    const op = match(OP) as SearchOp | undefined;
    if (!op) fail(`expected ":", "~", ">", ">=", "<" or "<=" after ${field}${key !== undefined ? '[…]' : ''}, found ${found()}`);
    if (text[pos] === "'" || text[pos] === '"') return { kind: 'term', at, field, key, op: op!, value: quoted(), quoted: true };
    const value = match(BARE);
    if (value === undefined) fail(`expected a value after "${op}", found ${found()}`);
    return { kind: 'term', at, field, key, op: op!, value: value!, quoted: false };
  }

  /** A quoted value: either quote, with \', \" and \\ as escapes. */
  function quoted(): string {
    const start = pos;
    const q = text[pos++];
    let out = '';
    for (; pos < text.length; pos++) {
      const ch = text[pos];
      if (ch === q) {
        pos++;
        return out;
      }
      if (ch === '\\') {
        const next = text[++pos];
        if (next !== "'" && next !== '"' && next !== '\\') fail(`only \\', \\" and \\\\ are escapes in a quoted value`, pos - 1);
        out += next;
      } else out += ch;
    }
    return fail(`a quoted value without its closing ${q}`, start);
  }

  skipSpace();
  if (pos >= text.length) fail('expected a term, found the end');
  const node = or(1);
  skipSpace();
  if (pos < text.length) fail(text[pos] === ')' ? 'a ")" without its "("' : `unexpected ${found()}`);
  return node;
}
