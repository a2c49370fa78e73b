import { RosterError } from '../../core/errors.ts';
import type { ListContext } from './context.ts';
import { selectItems } from './record-items.ts';

// Related records embedded in a page's records: for each relation, a correlated subquery that
// builds the related record, in its full shape, from the same table in the same statement.
//
// Every record expression is written over the row aliased `c` (resources.ts), and so is the
// related row inside the subquery, which hides the page's own `c` there. The page's rows
// therefore carry each related id under a name no table has (`_expand_parent`), which the
// subquery names unqualified: Postgres finds no such column in its own FROM and takes the
// page row's.

const ref = (relation: string) => `_expand_${relation}`;

function relationColumns(ctx: ListContext): [string, string][] {
  const columns: Partial<Record<string, string>> = ctx.def.relations;
  return (ctx.q.expand ?? []).map((relation) => {
    const column = columns[relation];
    if (!column) throw new RosterError('invalid_request', `${ctx.q.resource} records have no ${relation} to expand`);
    return [relation, column];
  });
}

/** The page rows' extra columns: each expanded relation's id (empty without expansions). */
export const expansionRefs = (ctx: ListContext): string =>
  relationColumns(ctx)
    .map(([relation, column]) => `, c.${column} AS ${ref(relation)}`)
    .join('');

/** The record's extra items: each related record as JSON, or null where there is none. */
export function expansionItems(ctx: ListContext): string[] {
  return relationColumns(ctx).map(
    ([relation]) => `(SELECT row_to_json(e) FROM (SELECT ${selectItems(ctx.def, undefined)} FROM ${ctx.def.table} c WHERE c.account_id = ${ctx.account} AND c.id = ${ref(relation)}) e) AS ${relation}`,
  );
}
