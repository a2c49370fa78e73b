import type { Filter } from '../../core/list-query.ts';
import type { ListContext } from './context.ts';
import type { Lookup } from './lookup-ways.ts';

// A JSON key filter (`metadata[tier]=gold`) read through the GIN index of its column. Under the
// account policy `@>` is not leakproof, so PostgreSQL will not test it inside the index ahead of
// the policy: tested row by row instead, a value few records hold read the whole account.
// roster_json_ids finds the candidates through the index as the table's owner, bounded to the
// current account, and lookup-ways.ts reads a page of them the way it reads a search's.

type JsonContains = Extract<Filter<'customers'>, { kind: 'jsonContains' }>;

/**
 * The containment a page may be read through, and the rest of the filter: a top-level
 * conjunct that is a containment, or an OR of containments in one column (a value and the
 * number or boolean it spells, or an `in` list). Anything under NOT stays a row test: the
 * records without a value are no index's candidates.
 */
export function splitJsonLookup(filter: Filter): { json?: JsonContains[]; rest: Filter } {
  const conjuncts = conjunctsOf(filter);
  const at = conjuncts.findIndex((f) => containments(f) !== undefined);
  if (at < 0) return { rest: filter };
  const rest = conjuncts.filter((_, i) => i !== at);
  return { json: containments(conjuncts[at]), rest: rest.length === 1 ? rest[0] : { kind: 'and', filters: rest } };
}

const conjunctsOf = (f: Filter): Filter[] => (f.kind === 'and' ? f.filters.flatMap(conjunctsOf) : [f]);

function containments(f: Filter): JsonContains[] | undefined {
  if (f.kind === 'jsonContains') return [f];
  if (f.kind !== 'or' || f.filters.length === 0) return undefined;
  const json = f.filters.filter((g): g is JsonContains => g.kind === 'jsonContains');
  return json.length === f.filters.length && json.every((g) => g.field === json[0].field) ? json : undefined;
}

/** The lookup of records holding any of the containments (one column). */
export function jsonLookup(ctx: ListContext, json: JsonContains[]): Lookup {
  const col = json[0].field;
  // Sent as text (a driver would encode a jsonb parameter as JSON once more) and parsed once
  // per statement: in a subquery, not per row tested.
  const values = `(SELECT ${ctx.p.add(
    json.map((j) => JSON.stringify(j.value)),
    'text[]',
  )}::jsonb[])`;
  const match = json.map((_, i) => `c.${col} @> (${values})[${i + 1}]`).join(' OR ');
  const ids = (lim?: number) => `SELECT roster_json_ids('${col}', ${values}${lim === undefined ? '' : `, ${lim}`}) AS id`;
  return {
    match: json.length === 1 ? match : `(${match})`,
    // No sample of a GIN index tells how common a value is: the short walk asks first.
    sample: () => `NULL::text AS probe, false AS rare, NULL::real AS most`,
    ids,
    idsAlone: () => ids(),
  };
}
