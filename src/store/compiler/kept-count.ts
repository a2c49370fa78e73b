import type { Field, Filter, Scalar } from '../../core/list-query.ts';
import type { ScopedQuery } from '../../core/scope.ts';
import type { ResourceDef } from './resources.ts';

/**
 * A count the counters table answers (migration 070): an account's live records, deleted
 * records or both, optionally narrowed by one equality (or `in`) filter on a counted field.
 */
export interface KeptCount {
  table: string;
  /** Which records count: live (true), deleted (false), or both. */
  live: readonly boolean[];
  by?: { field: Field; values: readonly Scalar[] };
}

/**
 * The kept count for a query's count, if its filters are only the soft-delete rule and at most
 * one equality on a counted field, and it has no search. Anything else is counted row by row.
 */
export function keptCount(q: ScopedQuery, def: ResourceDef): KeptCount | undefined {
  if (q.search && q.search.term !== '') return undefined;
  let live: readonly boolean[] = [true, false];
  let by: KeptCount['by'];
  for (const f of conjuncts(q.filter)) {
    if (f.kind === 'null' && f.field === 'deleted_at') live = live.filter((l) => l === f.isNull);
    else if (!by && f.kind === 'eq' && def.counts.fields.includes(f.field)) by = { field: f.field, values: [f.value] };
    else if (!by && f.kind === 'in' && def.counts.fields.includes(f.field)) by = { field: f.field, values: f.values };
    else return undefined;
  }
  return { table: def.counts.table, live, by };
}

const conjuncts = (f: Filter): Filter[] => (f.kind === 'and' ? f.filters.flatMap(conjuncts) : [f]);
