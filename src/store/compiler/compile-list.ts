import type { ScopedQuery } from '../../core/scope.ts';
import { keptCount } from './kept-count.ts';
import { conjoin, listContext, type ListContext } from './context.ts';
import { compileFilter } from './filter.ts';
import { planPage, plainRows } from './page.ts';
import { allCandidates, isShortSearch, shortSearch, trigramSearch } from './search.ts';
import { everyMatch, sampledProbe, searchRows, SEARCH_TUNING, type SearchTuning } from './search-ways.ts';
import { keptTotal, pageTotal, version } from './count.ts';
import { pageStatement } from './record-shape.ts';

// A list query to one parameterized statement that returns the page as JSON, whether records
// lie on either side, and the count when asked: one round trip per page. The parts are compiled
// by concern, in the order their parameters appear: filter (filter.ts), search (search.ts,
// search-ways.ts), page (page.ts), count (count.ts), and the record shape around them
// (record-shape.ts).

export type { ListRow } from './record-shape.ts';
export type { SearchTuning } from './search-ways.ts';
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
  /** How a trigram search picks its way (see search-ways.ts); tests force each way with these. */
  search?: Partial<SearchTuning>;
}

export function compileList(q: ScopedQuery, opts: CompileOptions = {}): Statement {
  const ctx = listContext(q);
  const scope = conjoin([`c.account_id = ${ctx.account}`, compileFilter(ctx, q.filter)]);
  const trigram = trigramSearch(ctx);
  const where = trigram ? scope : conjoin([...scope, shortSearch(ctx)]);
  // Every match of the account: what a page is read from, and what a count counts.
  const from = trigram ? everyMatch(ctx, scope, trigram) : `FROM ${ctx.def.table} c WHERE ${where.join(' AND ')}`;
  const page = planPage(ctx);
  const rows = trigram ? searchRows(ctx, page, scope, trigram, { ...SEARCH_TUNING, ...opts.search }) : { ctes: page.anchorCte ? [page.anchorCte] : [], ...plainRows(ctx, page, from) };
  const text = pageStatement(ctx, page, { ...rows, ...pageTotal(ctx, from, opts.count !== false) });
  return { text, params: ctx.p.values, prepare: preparable(ctx) };
}

/** The exact count alone, with the write version it was taken at. */
export function compileCount(q: ScopedQuery): Statement {
  const ctx = listContext(q);
  const kept = keptCount(q, ctx.def);
  if (kept) return { text: `SELECT ${keptTotal(ctx, kept)} AS total, ${version(ctx)} AS version`, params: ctx.p.values, prepare: true };
  const text = `SELECT count(*) AS total, ${version(ctx)} AS version FROM ${ctx.def.table} c WHERE ${matchesOf(ctx)}`;
  return { text, params: ctx.p.values, prepare: preparable(ctx) };
}

/**
 * The planner's estimate of how many records match, from its statistics: the statement is
 * planned, never run, so it costs the same whatever the count. Not prepared: EXPLAIN plans
 * with the actual parameters only when its statement is planned afresh.
 */
export function compileEstimate(q: ScopedQuery): Statement {
  const ctx = listContext(q);
  return { text: `EXPLAIN (FORMAT JSON) SELECT 1 FROM ${ctx.def.table} c WHERE ${matchesOf(ctx)}`, params: ctx.p.values, prepare: false };
}

/** The WHERE of every match of the query in its account, a search as one condition. */
const matchesOf = (ctx: ListContext): string => conjoin([`c.account_id = ${ctx.account}`, compileFilter(ctx, ctx.q.filter), searchCondition(ctx)]).join(' AND ');

/** A search as one condition, its candidates asked for with the sample's pattern. */
function searchCondition(ctx: ListContext): string {
  const t = trigramSearch(ctx);
  if (!t) return shortSearch(ctx);
  return `c.id IN (${allCandidates(ctx, sampledProbe(ctx, t, SEARCH_TUNING))}) AND ${t.match}`;
}

/**
 * Whether the statement may be prepared, and so planned once for any parameters. A trigram
 * search may: its candidates come from roster_search_ids, which plans its own lookup with the
 * actual pattern on every call, so a generic plan of the outer statement cannot lose the
 * index (see the plan tests). A short search may not: how many records its ranges match
 * decides whether to walk the sort index or collect the matches, and only a custom plan
 * sees the term.
 */
const preparable = (ctx: ListContext): boolean => !isShortSearch(ctx);
