import { conjunctsOf, type Filter } from '../../core/list-query.ts';
import type { ListContext } from './context.ts';
import { compileFilter } from './filter.ts';
import type { Lookup } from './lookup-ways.ts';
import { hasSubstringLookup, substringLookup } from './search.ts';

// A filter test whose candidates an index finds, taken out of the filter to drive the page: a
// JSON key filter (`metadata[tier]=gold`) through the GIN index of its column, or a substring
// (`name[contains]=smi`) through the trigram index of the search text. Under the account
// policy neither `@>` nor LIKE is leakproof, so PostgreSQL will not test them inside their
// index ahead of the policy: tested row by row instead, a value few records hold read the whole
// account. Their candidates come from functions that ask the index as the table's owner,
// bounded to the current account (roster_json_ids, roster_search_ids), and lookup-ways.ts
// reads a page of them the way it reads a search's.

type JsonContains = Extract<Filter<'customers'>, { kind: 'jsonContains' }>;
type Contains = Extract<Filter, { kind: 'contains' }>;

/**
 * The test a page may be read through, and the rest of the filter: the first top-level conjunct
 * that is a containment, an OR of containments in one column (a value and the number or boolean
 * it spells, or an `in` list), or a substring the search text holds. Anything under NOT stays a
 * row test: the records without a value are no index's candidates.
 */
export function splitLookup(ctx: ListContext, filter: Filter): { rest: Filter; lookup?: () => Lookup } {
  const conjuncts = conjunctsOf(filter);
  for (let at = 0; at < conjuncts.length; at++) {
    const f = conjuncts[at];
    const json = containments(f);
    const substring = f.kind === 'contains' && hasSubstringLookup(ctx, f) ? f : undefined;
    if (!json && !substring) continue;
    const others = conjuncts.filter((_, i) => i !== at);
    const rest: Filter = others.length === 1 ? others[0] : { kind: 'and', filters: others };
    // Built after the rest of the filter is compiled: parameters are numbered in text order.
    return { rest, lookup: () => (json ? jsonLookup(ctx, json) : substringLookup(ctx, substring as Contains, compileFilter(ctx, substring as Contains).page)) };
  }
  return { rest: filter };
}

function containments(f: Filter): JsonContains[] | undefined {
  if (f.kind === 'jsonContains') return [f];
  if (f.kind !== 'or' || f.filters.length === 0) return undefined;
  const json = f.filters.filter((g): g is JsonContains => g.kind === 'jsonContains');
  return json.length === f.filters.length && json.every((g) => g.field === json[0].field) ? json : undefined;
}

/** The lookup of records holding any of the containments (one column). */
function jsonLookup(ctx: ListContext, json: JsonContains[]): Lookup {
  const col = json[0].field;
  // Sent as text (a driver would encode a jsonb parameter as JSON once more) and parsed once
  // per statement: in a subquery, not per row tested.
  const values = `(SELECT ${ctx.p.add(
    json.map((j) => JSON.stringify(j.value)),
    'text[]',
  )}::jsonb[])`;
  const match = json.map((_, i) => `c.${col} @> ${values}[${i + 1}]`).join(' OR ');
  const ids = (lim?: number) => `SELECT roster_json_ids('${col}', ${values}${lim === undefined ? '' : `, ${lim}`}) AS id`;
  return {
    match: json.length === 1 ? match : `(${match})`,
    // No sample of a GIN index tells how common a value is: the short walk asks first.
    sample: () => `NULL::text AS probe, false AS rare, NULL::real AS most`,
    ids,
    idsAlone: () => ids(),
  };
}
