import type { Anchor, SortTerm } from '../../core/list-query.ts';
import { RosterError } from '../../core/errors.ts';
import { onlyDeletion } from '../../core/scope.ts';
import { fitsSortType } from './cursor-values.ts';
import { field, type ListContext } from './context.ts';
import { unplanned } from './params.ts';

// Paging: the sort order with its id tiebreak, where a keyset page starts (an anchor record
// looked up in the statement, or cursor values), an offset's skip, and which way a page reads.

export interface PagePlan {
  /** The sort terms, the id tiebreak appended (see `sortTerms`). */
  keys: SortTerm[];
  /** Read towards the start: an `ending_before` page. Its rows are put back in order at the end. */
  backward: boolean;
  /** The ORDER BY the page is read in (reversed for a backward page). */
  order: string;
  limit: number;
  /** The anchor's sort values, as SQL (parameters, or reads of the anchor CTE); none on a first or offset page. */
  values: string[];
  /** The CTE that looks up an anchor named by an identifier, when there is one. */
  anchorCte?: string;
  /** Whether that record exists: the dialects answer "no such record" for a dangling anchor. */
  anchorFound: string;
  /** ` AND` the keyset condition: rows past the anchor. Empty without an anchor. */
  pastAnchor: string;
  /**
   * The OFFSET of an offset page, kept from the planner over the account alone: every offset is
   * then the same skip through the order's index, and a first page (offset 0) priced apart from
   * a deep one had PostgreSQL plan their shared statement at every execution.
   */
  skip?: string;
}

/** The page's plan. Parameters are added in text order: the anchor's, or the offset. */
export function planPage(ctx: ListContext): PagePlan {
  const page = ctx.q.page;
  const keys = sortTerms(ctx);
  const plan = { keys, limit: page.limit, values: [] as string[], anchorFound: 'NULL::boolean', pastAnchor: '' };
  if (page.kind === 'offset') {
    const skip = ctx.p.add(page.offset, 'bigint');
    // Over the account alone every offset is the same skip through the order's index. Under a
    // filter or a search the plan may differ with the offset (a join and a sort for a deep one),
    // and one chosen for a tenth of the account skipped served InvestiFi's first page in 10 ms
    // instead of 0.7: there the offset stays in sight.
    const bare = !ctx.q.search && onlyDeletion(ctx.q.filter);
    return { ...plan, backward: false, order: orderBy(ctx, keys, false), skip: bare ? unplanned(skip) : skip };
  }
  if (page.after && page.before) throw new RosterError('invalid_request', 'A page cannot start after one record and end before another');
  const backward = page.before !== undefined && page.after === undefined;
  const order = orderBy(ctx, keys, backward);
  const anchor = page.after ?? page.before;
  if (!anchor) return { ...plan, backward, order };
  const values = anchorValues(ctx, anchor, keys);
  const pastAnchor = ' AND ' + compare(ctx, keys, values, backward ? 'before' : 'after', false);
  if ('values' in anchor) return { ...plan, backward, order, values, pastAnchor };
  return { ...plan, backward, order, values, pastAnchor, anchorCte: anchorLookup(ctx, anchor, keys), anchorFound: 'EXISTS (SELECT 1 FROM anchor)' };
}

/**
 * Sort terms with the id appended as tiebreak, in the direction of the last term; terms after
 * a unique key are dropped, so the order matches that key's index exactly.
 */
export function sortTerms(ctx: ListContext): SortTerm[] {
  const terms: SortTerm[] = [];
  for (const t of ctx.q.sort) {
    const def = ctx.def.sortKeys[t.key];
    if (!def) throw new RosterError('invalid_request', `cannot sort ${ctx.q.resource} by ${t.key}`);
    terms.push(t);
    if (def.unique || t.key === 'id') return terms;
  }
  terms.push({ key: 'id', dir: terms.at(-1)?.dir ?? 'asc' });
  return terms;
}

export const sortSql = (ctx: ListContext, t: SortTerm): string => ctx.def.sortKeys[t.key]!.sql;

export function orderBy(ctx: ListContext, keys: SortTerm[], backward: boolean): string {
  return keys.map((k) => `${sortSql(ctx, k)} ${(k.dir === 'asc') !== backward ? 'ASC' : 'DESC'}`).join(', ');
}

/** The sort values of every record as JSON, which cursors are made from. */
export const sortValues = (ctx: ListContext, keys: SortTerm[]): string => `json_build_array(${keys.map((k) => sortSql(ctx, k)).join(', ')})`;

/** The record an anchor names, looked up by its identifier within the account, deleted or not. */
function anchorLookup(ctx: ListContext, anchor: Exclude<Anchor, { values: unknown }>, keys: SortTerm[]): string {
  const [name, value] = 'number' in anchor ? ['number', anchor.number] : 'uuid' in anchor ? ['uuid', anchor.uuid] : ['id', anchor.id];
  const f = field(ctx, name);
  return `anchor AS (SELECT ${keys.map((k, i) => `${sortSql(ctx, k)} AS k${i}`).join(', ')} FROM ${ctx.def.table} c WHERE c.account_id = ${ctx.account} AND ${f.sql} = ${ctx.p.value(f, value)})`;
}

function anchorValues(ctx: ListContext, anchor: Anchor, keys: SortTerm[]): string[] {
  if ('values' in anchor) {
    if (anchor.values.length !== keys.length) throw new RosterError('invalid_cursor', 'The cursor does not match the sort order');
    const types = keys.map((k) => ctx.def.sortKeys[k.key]!.type);
    if (types.some((t, i) => !fitsSortType(t, anchor.values[i]))) throw new RosterError('invalid_cursor', 'The cursor is not one this API issued');
    return keys.map((_, i) => ctx.p.add(anchor.values[i], types[i]));
  }
  return keys.map((_, i) => `(SELECT k${i} FROM anchor)`);
}

/**
 * Rows strictly after (or before) the anchor in sort order; `inclusive` also takes the
 * anchor's own position. Uniform directions compile to one row comparison, which an index
 * serves directly; mixed directions expand to the equivalent OR chain.
 */
export function compare(ctx: ListContext, keys: SortTerm[], values: string[], side: 'after' | 'before', inclusive: boolean): string {
  const op = (dir: 'asc' | 'desc') => ((dir === 'asc') === (side === 'after') ? '>' : '<');
  const cols = keys.map((k) => sortSql(ctx, k));
  if (keys.every((k) => k.dir === keys[0].dir)) {
    return `(${cols.join(', ')}) ${op(keys[0].dir)}${inclusive ? '=' : ''} (${values.join(', ')})`;
  }
  const ors = keys.map((k, i) => {
    const eqs = cols.slice(0, i).map((c, j) => `${c} = ${values[j]}`);
    const last = i === keys.length - 1 && inclusive ? `${op(k.dir)}=` : op(k.dir);
    return `(${[...eqs, `${cols[i]} ${last} ${values[i]}`].join(' AND ')})`;
  });
  return `(${ors.join(' OR ')})`;
}

/** Rows on the other side of the anchor, its own position included, for `has_other_side`. */
export const otherSide = (ctx: ListContext, page: PagePlan): string => compare(ctx, page.keys, page.values, page.backward ? 'after' : 'before', true);

/**
 * A page's rows without a trigram search: read in order from `base` (the FROM and WHERE of the
 * account's matching records), one past the limit, and the probe for a record on the other side.
 */
export function plainRows(ctx: ListContext, page: PagePlan, base: string): { rows: string; otherSide?: string } {
  const { keys, order, limit, skip } = page;
  // Probed in index order from the anchor outwards, so it reads one entry; as a bare EXISTS
  // the planner may pick a scan that reads the account when few records lie on that side.
  const probe = page.values.length ? `coalesce((SELECT true ${base} AND ${otherSide(ctx, page)} ORDER BY ${orderBy(ctx, keys, !page.backward)} LIMIT 1), false)` : undefined;
  if (!skip) return { rows: `SELECT c.* ${base}${page.pastAnchor}\n  ORDER BY ${order} LIMIT ${limit + 1}`, otherSide: probe };
  // A deep offset skips its rows by key alone (an index-only scan where the index covers the
  // sort key), then fetches just the page's rows: skipping whole rows reads the heap for every
  // one of them.
  const key = keys.length === 1 && ctx.def.sortKeys[keys[0].key]!.unique ? sortSql(ctx, keys[0]) : 'c.id';
  const rows = `SELECT c.* FROM ${ctx.def.table} c WHERE c.account_id = ${ctx.account} AND ${key} IN (SELECT ${key} ${base}\n  ORDER BY ${order} LIMIT ${limit + 1} OFFSET ${skip})\n  ORDER BY ${order}`;
  return { rows, otherSide: probe };
}
