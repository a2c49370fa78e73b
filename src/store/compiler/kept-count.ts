import { conjunctsOf, type Field, type Scalar } from '../../core/list-query.ts';
import type { ScopedQuery } from '../../core/scope.ts';
import type { AnyResourceDef } from './resource-def.ts';

/**
 * A count the counters table answers (the counters of migration 070, their pairs, 096, and the
 * combinations of every counted field, 150): an account's live records, deleted records or
 * both, optionally narrowed by an equality (or `in`) filter on one counted field, or on any
 * number of them where the resource keeps pairs and combinations.
 */
export interface KeptCount {
  table: string;
  /** Which records count: live (true), deleted (false), or both. */
  live: readonly boolean[];
  /** The filtered fields, in "C" order of their names (the order of a pair's counter). */
  by: readonly { field: Field; values: readonly Scalar[] }[];
}

/**
 * The kept count for a query's count, if its filters are only the soft-delete rule and
 * equalities on distinct counted fields (one, where the resource keeps no pairs), and it has no search.
 * Anything else is counted row by row.
 */
export function keptCount(q: ScopedQuery, def: AnyResourceDef): KeptCount | undefined {
  if (q.search && q.search.term !== '') return undefined;
  let live: readonly boolean[] = [true, false];
  const by: { field: Field; values: readonly Scalar[] }[] = [];
  // Pairs have counters of their own; three or more fields are read from the combinations.
  const most = def.counts.pairs ? def.counts.fields.length : 1;
  const counted: readonly Field[] = def.counts.fields;
  for (const f of conjunctsOf(q.filter)) {
    if (f.kind === 'null' && f.field === 'deleted_at') live = live.filter((l) => l === f.isNull);
    else if ((f.kind === 'eq' || f.kind === 'in') && counted.includes(f.field) && by.length < most && !by.some((b) => b.field === f.field)) {
      by.push({ field: f.field, values: f.kind === 'eq' ? [f.value] : f.values });
    } else return undefined;
  }
  by.sort((a, b) => (a.field < b.field ? -1 : 1));
  return { table: def.counts.table, live, by };
}
