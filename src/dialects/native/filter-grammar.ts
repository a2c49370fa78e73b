// The grammar of a native filter group, the value of `or`, `and`, `not.or` and `not.and`
// (README: "Filter groups"). It reads text into terms and says where a mistake is; what a
// field or operator means is checked by the caller (filter-groups.ts).
//
//   group     = "(" term *("," term) ")"
//   term      = "not." term / ("and" / "or") group / condition
//   condition = target "." operator "." value
//   target    = field / field "[" key "]"          ; key: any characters but "]"
//   value     = "(" scalar *("," scalar) ")" / scalar   ; a list for in and nin
//   scalar    = DQUOTE *(char / "\" DQUOTE / "\\") DQUOTE / 1*(any character but "," and ")")

export type Term =
  | { readonly kind: 'condition'; readonly at: number; readonly field: string; readonly key?: string; readonly op: string; readonly values: readonly string[]; readonly list: boolean }
  | { readonly kind: 'group'; readonly at: number; readonly join: 'and' | 'or'; readonly terms: readonly Term[] }
  | { readonly kind: 'not'; readonly at: number; readonly term: Term };

/** A mistake in a group's text, at a 1-based character position. */
export class GrammarError extends Error {
  constructor(
    readonly position: number,
    message: string,
  ) {
    super(`at character ${position}: ${message}`);
  }
}

/** Deepest nesting of groups and most conditions in one parameter. */
export const MAX_DEPTH = 8;
export const MAX_CONDITIONS = 50;

export function parseGroup(text: string): readonly Term[] {
  let pos = 0;
  let conditions = 0;
  const fail = (message: string, at = pos): never => {
    throw new GrammarError(at + 1, message);
  };
  const peek = () => text[pos];
  const expect = (ch: string, what = `"${ch}"`) => {
    if (text[pos] !== ch) fail(pos >= text.length ? `expected ${what}, found the end` : `expected ${what}, found "${text[pos]}"`);
    pos++;
  };
  const word = (re: RegExp, what: string) => {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m || m[0] === '') fail(`expected ${what}`);
    pos += m![0].length;
    return m![0];
  };

  function group(depth: number): Term[] {
    if (depth > MAX_DEPTH) fail(`groups are nested deeper than ${MAX_DEPTH} levels`);
    expect('(', 'a group in parentheses, "(…)"');
    const terms = [term(depth)];
    while (peek() === ',') {
      pos++;
      terms.push(term(depth));
    }
    expect(')', '"," or ")"');
    return terms;
  }

  function term(depth: number): Term {
    const at = pos + 1;
    if (text.startsWith('not.', pos)) {
      pos += 4;
      return { kind: 'not', at, term: term(depth) };
    }
    for (const join of ['and', 'or'] as const) {
      if (text.startsWith(`${join}(`, pos)) {
        pos += join.length;
        return { kind: 'group', at, join, terms: group(depth + 1) };
      }
    }
    return condition(at);
  }

  function condition(at: number): Term {
    if (++conditions > MAX_CONDITIONS) fail(`more than ${MAX_CONDITIONS} conditions`);
    const field = word(/[a-z_]+/y, 'a field name');
    let key: string | undefined;
    if (peek() === '[') {
      const end = text.indexOf(']', pos);
      if (end < 0) fail('a "[" without its "]"');
      key = text.slice(pos + 1, end);
      pos = end + 1;
    }
    expect('.', '"." and an operator after the field');
    const op = word(/[a-z]+/y, 'an operator');
    expect('.', `"." and a value after the operator`);
    if (peek() === '(') {
      pos++;
      const values = [scalar()];
      while (peek() === ',') {
        pos++;
        values.push(scalar());
      }
      expect(')', '"," or ")" in the list');
      return { kind: 'condition', at, field, key, op, values, list: true };
    }
    return { kind: 'condition', at, field, key, op, values: [scalar()], list: false };
  }

  function scalar(): string {
    if (peek() === '"') {
      let out = '';
      for (pos++; pos < text.length; pos++) {
        const ch = text[pos];
        if (ch === '"') {
          pos++;
          return out;
        }
        if (ch === '\\') {
          const next = text[++pos];
          if (next !== '"' && next !== '\\') fail('only \\" and \\\\ are escapes in a quoted value');
          out += next;
        } else out += ch;
      }
      return fail('a quoted value without its closing quote');
    }
    const start = pos;
    while (pos < text.length && text[pos] !== ',' && text[pos] !== ')') pos++;
    if (pos === start) fail('expected a value');
    return text.slice(start, pos);
  }

  const terms = group(1);
  if (pos < text.length) fail(`unexpected "${text[pos]}" after the group`);
  return terms;
}
