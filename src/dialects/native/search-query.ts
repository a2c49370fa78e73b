import { and, TRUE, type Filter, type Resource } from '../../core/list-query.ts';
import { parseDate } from '../../core/instant.ts';
import { invalid } from '../../core/errors.ts';
import { JSON_FIELDS, JSON_OPS, NATIVE_FIELDS, opsOf, type Op } from './filter-fields.ts';
import { conditionFilter } from './filter-conditions.ts';
import { GrammarError } from './filter-grammar.ts';
import { parseSearch, type SearchNode, type SearchOp } from './search-language.ts';

// What a search-language query means: a filter of the same query tree the bracket operators and
// groups build (each term is read by conditionFilter, as theirs are), and at most one word or
// phrase without a field, which is the list's full-text `search`: the trigram-indexed substring
// search over the same fields as the `search` parameter. That search is one term applied to the
// whole list, so it may stand only where it restricts the whole list: once, outside OR and "-".

const OP_OF: Record<SearchOp, Op> = { ':': 'eq', '~': 'contains', '>': 'gt', '>=': 'gte', '<': 'lt', '<=': 'lte' };
const SYMBOL: Partial<Record<Op, string>> = { eq: ':', contains: '~', gt: '>', gte: '>=', lt: '<', lte: '<=', null: ':null' };

/** Longest word or phrase without a field, as for the `search` parameter. */
export const MAX_TEXT_LENGTH = 200;

export interface SearchMeaning<R extends Resource> {
  readonly filter: Filter<R>;
  /** The word or phrase without a field, if any. */
  readonly text?: string;
}

/** The filter and full-text term of `query`; a mistake is a 400 naming `query` and where. */
export function searchMeaning<R extends Resource>(resource: R, query: string): SearchMeaning<R> {
  try {
    let text: string | undefined;
    const walk = (n: SearchNode, whole: boolean): Filter<R> => {
      switch (n.kind) {
        case 'and':
          return and(...n.nodes.map((x) => walk(x, whole)));
        case 'or':
          return { kind: 'or', filters: n.nodes.map((x) => walk(x, false)) };
        case 'not':
          return { kind: 'not', filter: walk(n.node, false) };
        case 'term':
          return termFilter(resource, n);
        case 'text':
          if (!whole) throw new GrammarError(n.at, 'a word without a field searches the whole list, so it cannot stand inside OR or after "-"; name a field: name~\'…\'');
          if (text !== undefined) throw new GrammarError(n.at, "only one word or phrase without a field; quote a phrase: 'john smith', or name fields: name~john name~smith");
          if (n.value === '' || n.value.length > MAX_TEXT_LENGTH) throw new GrammarError(n.at, `a word or phrase without a field has 1 to ${MAX_TEXT_LENGTH} characters`);
          text = n.value;
          return TRUE;
      }
    };
    const filter = walk(parseSearch(query), true);
    return { filter, text };
  } catch (e) {
    if (e instanceof GrammarError) throw invalid('query', e.message);
    throw e;
  }
}

function termFilter<R extends Resource>(resource: R, t: Extract<SearchNode, { kind: 'term' }>): Filter<R> {
  const isJson = t.key !== undefined && (JSON_FIELDS as readonly string[]).includes(t.field);
  const f = NATIVE_FIELDS[resource].find((x) => x.field === t.field);
  // `field:null` is the null test; quoted, 'null' is the text.
  const nullTest = t.op === ':' && t.value === 'null' && !t.quoted;
  const op: Op = nullTest ? 'null' : OP_OF[t.op];
  const allowed = isJson ? JSON_OPS : f && t.key === undefined ? opsOf(f) : undefined;
  const name = `${t.field}${t.key !== undefined ? `[${t.key}]` : ''}`;
  if (allowed && !allowed.includes(op)) {
    const offered = allowed
      .map((o) => SYMBOL[o])
      .filter(Boolean)
      .join(' ');
    throw new GrammarError(t.at, `${name} takes ${offered}, not ${nullTest ? ':null' : t.op}`);
  }
  // A calendar date on an instant field means its midnight UTC: created_at>=2025-01-01.
  const date = f?.kind === 'time' && !nullTest ? parseDate(t.value) : undefined;
  const value = nullTest ? 'true' : date ? date.toISOString() : t.value;
  try {
    return conditionFilter(resource, { field: t.field, key: t.key, op, values: [value] });
  } catch (e) {
    throw new GrammarError(t.at, `${name}: ${(e as Error).message}`);
  }
}
