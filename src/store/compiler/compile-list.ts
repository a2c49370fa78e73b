import { onlyDeletion, type ScopedQuery } from '../../core/scope.ts';
import { keptCount } from './kept-count.ts';
import { conjoin, listContext, type ListContext } from './context.ts';
import { compileFilter } from './filter.ts';
import { planPage, plainRows } from './page.ts';
import { isShortSearch, isTrigramSearch, shortSearch, trigramSearch } from './search.ts';
import { splitLookup } from './filter-lookup.ts';
import { everyMatch, searchRows, SEARCH_TUNING, type Lookup, type SearchTuning } from './lookup-ways.ts';
import { keptTotal, pageTotal, version } from './count.ts';
import { pageStatement } from './record-shape.ts';

// A list query to one parameterized statement that returns the page as JSON, whether records
// lie on either side, and the count when asked: one round trip per page. The parts are compiled
// by concern, in the order their parameters appear: filter (filter.ts), an index lookup
// (search.ts or filter-lookup.ts, read by lookup-ways.ts), page (page.ts), count (count.ts), and
// the record shape around them (record-shape.ts).

export type { ListRow } from './record-shape.ts';
export type { SearchTuning } from './lookup-ways.ts';
export { countIsKept } from './count.ts';

/** One parameterized statement, and whether it may be prepared (see `preparable`). */
export interface Statement {
  text: string;
  params: unknown[];
  prepare: boolean;
}

export interface CompileOptions {
  /** Count in this statement; off when a cached count may still be current. */
  count?: boolean;
  /** How a lookup picks its way (see lookup-ways.ts); tests force each way with these. */
  search?: Partial<SearchTuning>;
}

export function compileList(q: ScopedQuery, opts: CompileOptions = {}): Statement {
  const ctx = listContext(q);
  const { scope, lookup, bare } = lookupAndScope(ctx);
  const short = lookup ? 'TRUE' : shortSearch(ctx);
  // Every match of the account: what a page is read from, and (with every filter value in the
  // planner's sight, `FilterSql` in filter.ts) what a count counts.
  const [from, counted] = [scope.page, scope.count].map((s) => (lookup ? everyMatch(ctx, s, lookup) : `FROM ${ctx.def.table} c WHERE ${conjoin([...s, short]).join(' AND ')}`));
  const page = planPage(ctx);
  const rows = lookup
    ? searchRows(ctx, page, { conditions: scope.page, bare }, lookup, { ...SEARCH_TUNING, ...opts.search })
    : { ctes: page.anchorCte ? [page.anchorCte] : [], ...plainRows(ctx, page, from) };
  const text = pageStatement(ctx, page, { ...rows, ...pageTotal(ctx, counted, opts.count !== false) });
  return { text, params: ctx.p.values, prepare: preparable(ctx) };
}

/**
 * The account's condition and the filter's (`scope`, for a page's rows and for a count), and the
 * condition whose candidates an index finds, if any: a trigram search, else a test taken out of
 * the filter (filter-lookup.ts).
 */
function lookupAndScope(ctx: ListContext): { scope: { page: string[]; count: string[] }; lookup?: Lookup; bare: boolean } {
  const split = isTrigramSearch(ctx) ? { rest: ctx.q.filter, lookup: undefined } : splitLookup(ctx, ctx.q.filter);
  const filter = compileFilter(ctx, split.rest);
  const scope = { page: conjoin([`c.account_id = ${ctx.account}`, filter.page]), count: conjoin([`c.account_id = ${ctx.account}`, filter.count]) };
  return { scope, lookup: trigramSearch(ctx) ?? split.lookup?.(), bare: onlyDeletion(split.rest) };
}

/** The exact count alone, with the write version it was taken at. */
export function compileCount(q: ScopedQuery): Statement {
  const ctx = listContext(q);
  const kept = keptCount(q, ctx.def);
  if (kept) return { text: `SELECT ${keptTotal(ctx, kept)} AS total, ${version(ctx)} AS version`, params: ctx.p.values, prepare: true };
  const { scope, lookup } = lookupAndScope(ctx);
  const matches = lookup ? [...scope.count, `c.id IN (${lookup.idsAlone(SEARCH_TUNING)})`, lookup.match] : [...scope.count, shortSearch(ctx)];
  const text = `SELECT count(*) AS total, ${version(ctx)} AS version FROM ${ctx.def.table} c WHERE ${conjoin(matches).join(' AND ')}`;
  return { text, params: ctx.p.values, prepare: preparable(ctx) };
}

/**
 * The planner's estimate of how many records match, from its statistics: the statement is
 * planned, never run, so it costs the same whatever the count. Not prepared: EXPLAIN plans
 * with the actual parameters only when its statement is planned afresh. A filter's test is
 * left a row test here, where the planner's statistics can estimate it (a lookup function's
 * rows it cannot).
 */
export function compileEstimate(q: ScopedQuery): Statement {
  const ctx = listContext(q);
  const search = trigramSearch(ctx);
  const matches = [`c.account_id = ${ctx.account}`, compileFilter(ctx, q.filter).count, search ? `c.id IN (${search.idsAlone(SEARCH_TUNING)}) AND ${search.match}` : shortSearch(ctx)];
  return { text: `EXPLAIN (FORMAT JSON) SELECT 1 FROM ${ctx.def.table} c WHERE ${conjoin(matches).join(' AND ')}`, params: ctx.p.values, prepare: false };
}

/**
 * Whether the statement may be prepared, and so planned once for any parameters. A lookup
 * may: its candidates come from roster_search_ids or roster_json_ids, which plan their own
 * index scan with the actual value on every call, so a generic plan of the outer statement
 * cannot lose the index (see the plan tests). A short search may not: how many records its ranges match
 * decides whether to walk the sort index or collect the matches, and only a custom plan
 * sees the term.
 */
const preparable = (ctx: ListContext): boolean => !isShortSearch(ctx);
