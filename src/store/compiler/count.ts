import type { ScopedQuery } from '../../core/scope.ts';
import { keptCount, type KeptCount } from './kept-count.ts';
import { field, type ListContext } from './context.ts';
import { RESOURCES, writeVersion } from './resources.ts';

// Counting: from the counters kept on write where they answer the query, else count(*) of the
// matches, with the account's write version the count cache keys it by.

/**
 * The page statement's total and version columns. A kept count is read in the page's snapshot
 * and needs no version to be cached under. A count with a search takes every candidate: exact,
 * and as slow as the term is common. `from` is the FROM and WHERE of every match.
 */
export function pageTotal(ctx: ListContext, from: string, counting: boolean): { total: string; version: string } {
  if (!ctx.q.count) return { total: 'NULL::bigint', version: 'NULL::bigint' };
  const kept = keptCount(ctx.q, ctx.def);
  const total = !counting ? 'NULL::bigint' : kept ? keptTotal(ctx, kept) : `(SELECT count(*) ${from})`;
  return { total, version: kept ? 'NULL::bigint' : version(ctx) };
}

/**
 * A few counter rows, read in the statement's snapshot, so as exact as count(*). Values are
 * cast to the field's type first, as a filter casts them, then to the counters' text form.
 */
export function keptTotal(ctx: ListContext, k: KeptCount): string {
  const conds = [`k.account_id = ${ctx.account}`, `k.dim = '${k.by.map((b) => b.field).join(',')}'`];
  const texts = k.by.map((b) => {
    const f = field(ctx, b.field);
    const values = ctx.p.array(f, b.values);
    return f.type === 'text' ? values : `${values}::text[]`;
  });
  // A pair's counter holds both values, joined by chr(31) (see roster_customer_count_keys).
  if (texts.length === 1) conds.push(`k.value = ANY(${texts[0]})`);
  if (texts.length === 2) conds.push(`k.value IN (SELECT a || chr(31) || b FROM unnest(${texts[0]}) a, unnest(${texts[1]}) b)`);
  if (texts.length > 2) {
    // Three or more: the combinations of every counted field (dim '*', the fields in "C" order
    // of their names), one counter per combination the account's records hold, each tested.
    const every = [...ctx.def.counts.fields].sort();
    conds[1] = `k.dim = '*'`;
    for (const [i, b] of k.by.entries()) conds.push(`split_part(k.value, chr(31), ${every.indexOf(b.field) + 1}) = ANY(${texts[i]})`);
  }
  if (k.live.length < 2) conds.push(k.live.length === 0 ? 'FALSE' : k.live[0] ? 'k.live' : 'NOT k.live');
  return `(SELECT coalesce(sum(k.n), 0)::bigint FROM ${k.table} k WHERE ${conds.join(' AND ')})`;
}

/** The account's write version, which every write moves on. */
export const version = (ctx: ListContext): string => writeVersion(ctx.account);

/** Whether the query's count comes from the counters, and so costs the same after any write. */
export function countIsKept(q: ScopedQuery): boolean {
  return keptCount(q, RESOURCES[q.resource]) !== undefined;
}
