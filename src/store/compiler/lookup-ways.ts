import type { SortTerm } from '../../core/list-query.ts';
import type { ListContext } from './context.ts';
import { orderBy, otherSide as otherSideOf, sortSql, type PagePlan } from './page.ts';

// The page of a condition whose candidates an index finds outside row-level security: a
// trigram search (search.ts) or a JSON containment (filter-lookup.ts). Under the account policy
// neither operator may be tested inside its index, so the candidates come from a function
// that asks the index as the table's owner, bounded to the current account. How a page of
// them is best read depends on how common the value is, which only the data can tell, so the
// statement finds out as it runs, cheapest question first, and settles on one of four ways
// (see `adaptive`). The steps are CTEs named below: the plan tests read which of them ran
// from EXPLAIN ANALYZE by these names.

/** A condition with an index lookup of its candidates. */
export interface Lookup {
  /** The exact test of one row. */
  match: string;
  /**
   * The columns of the `sample` step: the value to look up by (`probe`), whether a sample of
   * the index shows it rare (`rare`), and at most how many rows hold it (`most`, or NULL).
   */
  sample(tuning: SearchTuning): string;
  /** The candidate ids, at most `lim` of them, in a statement with the `sample` step. */
  ids(lim?: number): string;
  /** Every candidate id, in a statement without the `sample` step (a count alone). */
  idsAlone(tuning: SearchTuning): string;
}

export interface SearchTuning {
  /** Candidates a list is willing to gather and sort; past this many the term is common. */
  cap: number;
  /** Rows the first, short walk reads per match it needs. */
  short: number;
  /** Rows the longer walk reads per match it needs before it sorts every candidate instead. */
  walk: number;
  /**
   * Whether the trigram sample (migration 090) orders the ways: a term it shows to be rare goes
   * to its candidates before any walk, and a term it shows to be common never gathers them.
   */
  sample: boolean;
}

/**
 * A list gathers and sorts at most 3,000 candidates; a term with more is common, and a walk of
 * the sort order meets it often enough: on an account of a million, every 330 rows or sooner, so
 * a page of 20 takes about 7,000 rows. Below that the walk would read more rows than there are
 * candidates to sort (measured at a million customers, where the two cost the same near 3,000
 * matches when sorted by name, whose rows are scattered over the table). The short walk reads
 * 50 rows per match needed (1,050 for a page of 20): about a millisecond on a selective term,
 * which spares a term in one row in 50 or more the bounded lookup, whose cost grows with the
 * posting lists it decodes (tens of milliseconds for "son" at a million). The longer walk stops
 * after 1,000 rows per match, where sorting every candidate wins again.
 */
export const SEARCH_TUNING: SearchTuning = { cap: 3000, short: 50, walk: 1000, sample: true };

/** The four ways, numbered as the `_way` step answers them. */
export const WAY = { shortWalk: 1, candidates: 2, longWalk: 3, everyCandidate: 4 } as const;

/** The steps of a trigram search's statement, as its CTEs are named. */
export const SEARCH_STEP = {
  /** What the trigram sample says of the term: the pattern to ask with, whether it is rare, how common at most. */
  sample: 'sample',
  /** The bounded candidate lookup (way 2). */
  candidates: 'cand',
} as const;

/** The walks and the choice of a way, per search: the page's own (`walk`) and the probe past the anchor (`other`). */
export const searchSteps = (search: 'walk' | 'other') => ({ shortWalk: `${search}_short`, longWalk: `${search}_long`, way: `${search}_way` }) as const;

/** The probe a statement with the `sample` step asks the index with. */
export const SAMPLED = `(SELECT probe FROM ${SEARCH_STEP.sample})`;

/** The matches among the ids `source` yields, as a FROM clause that more conditions extend. */
export function candidates(ctx: ListContext, scope: string[], t: Lookup, source: string): string {
  // OFFSET 0 keeps the subquery from being flattened: the candidates are found, then ordered.
  // Left to itself, the planner may instead walk a sort-key index hoping to meet matches
  // early, with no bound on how far it walks.
  return `FROM (SELECT c.* FROM ${ctx.def.table} c WHERE ${[...scope, `c.id IN (${source})`, t.match].join(' AND ')} OFFSET 0) c WHERE TRUE`;
}

/** Every match of the account, in a statement with the `sample` step (what a count counts). */
export const everyMatch = (ctx: ListContext, scope: string[], t: Lookup): string => candidates(ctx, scope, t, t.ids());

/**
 * A lookup's page: its CTEs (in statement order), the rows of the page (one past the
 * limit) and the probe for a match on the other side of the anchor.
 */
export function searchRows(ctx: ListContext, page: PagePlan, scope: Scope, t: Lookup, tuning: SearchTuning): { ctes: string[]; rows: string; otherSide?: string } {
  const ctes = page.anchorCte ? [page.anchorCte] : [];
  const ways = { ctx, ctes, scope: scope.conditions, bare: scope.bare, t, tuning, keys: page.keys };
  // One match on the other side of the anchor, found the way the page's are, read outwards
  // from the anchor: next to a page of a common term, the walk meets one at once.
  const other = page.values.length ? `EXISTS (${adaptive(ways, 'other', ' AND ' + otherSideOf(ctx, page), orderBy(ctx, page.keys, !page.backward), 1)})` : undefined;
  ctes.unshift(`${SEARCH_STEP.sample} AS MATERIALIZED (SELECT ${t.sample(tuning)})`, `${SEARCH_STEP.candidates} AS MATERIALIZED (${t.ids(tuning.cap + 1)})`);
  const ids = adaptive(ways, 'walk', page.pastAnchor, page.order, page.limit + 1, page.skip);
  return { ctes, rows: `SELECT c.* FROM ${ctx.def.table} c WHERE c.account_id = ${ctx.account} AND c.id IN (${ids})`, otherSide: other };
}

/** The conditions every match meets besides the lookup's. */
export interface Scope {
  conditions: string[];
  /** Whether they test only the account and soft deletion (see `walk`). */
  bare: boolean;
}

interface Ways {
  ctx: ListContext;
  /** Whether `scope` tests only the account and soft deletion. */
  bare: boolean;
  /** The statement's CTEs, which each search appends its steps to. */
  ctes: string[];
  scope: string[];
  t: Lookup;
  tuning: SearchTuning;
  keys: SortTerm[];
}

/**
 * The ids of the first `need` matches of a trigram search past `cond`, in `order`, after
 * skipping `skip` of them. `<search>_way` settles on one of four ways, and each way's branch is
 * guarded by that answer, which Postgres evaluates before it runs the branch (a one-time
 * filter), so only the chosen one runs:
 *
 * 0. a term whose rarest trigrams the trigram sample puts in few rows goes straight to way 2:
 *    its candidates cost a millisecond, a walk through rows that do not match costs several;
 * 1. a short walk of the sort order's index, testing each row: a term matching more than one
 *    row in `tuning.short` fills the page here, without touching the trigram index. Skipped
 *    when the sample shows the term common (way 2 is then skipped too): the longer walk reads
 *    the same rows first and stops where the short one would have, so the short walk could
 *    only add a second pass over its rows when it falls short;
 * 2. otherwise the bounded candidate lookup (`cand`): at most `tuning.cap` candidates means
 *    the lookup found them all, and they are sorted. Skipped when the sample puts the term's
 *    rarest trigram in more rows than that: the index would build the whole match bitmap
 *    before the bound applies, which at 10M rows costs more than both walks;
 * 3. otherwise a term that common is met every few hundred rows: a longer walk, at most
 *    `tuning.walk` rows per match needed;
 * 4. a walk that reaches its bound (the term is common overall but rare in this stretch of the
 *    order, or among the filtered records) gives way to every candidate, sorted.
 */
function adaptive(w: Ways, search: 'walk' | 'other', cond: string, order: string, need: number, skip?: string): string {
  const step = searchSteps(search);
  const { tuning } = w;
  // The short walk is for the page alone: a match in every few rows fills it, offset or not.
  // The longer walk also covers a shallow offset, up to as many matches again as the page.
  const short = walk(w, step.shortWalk, cond, order, `(SELECT ${need * tuning.short})`, need, skip);
  const long = walk(w, step.longWalk, cond, order, skip ? `(SELECT least(${need} + ${skip}, ${2 * need}) * ${tuning.walk})` : `(SELECT ${need * tuning.walk})`, need, skip);
  const few = `(SELECT count(*) FROM ${SEARCH_STEP.candidates}) <= ${tuning.cap}`;
  const rare = `(SELECT rare FROM ${SEARCH_STEP.sample})`;
  const common = `coalesce((SELECT most > ${tuning.cap} FROM ${SEARCH_STEP.sample}), false)`;
  w.ctes.push(
    `${step.way} AS MATERIALIZED (SELECT CASE WHEN ${rare} AND ${few} THEN ${WAY.candidates} WHEN NOT ${common} AND ${short} THEN ${WAY.shortWalk} ` +
      `WHEN NOT ${common} AND ${few} THEN ${WAY.candidates} WHEN ${long} THEN ${WAY.longWalk} ELSE ${WAY.everyCandidate} END AS n)`,
  );
  const chosen = (n: number) => `(SELECT n FROM ${step.way}) = ${n}`;
  const offset = skip ? ` OFFSET ${skip}` : '';
  const walked = (cte: string, n: number) => `(SELECT w.id FROM ${cte} w WHERE ${chosen(n)} AND w._hit ORDER BY w._n LIMIT ${need}${offset})`;
  const sorted = (source: string, n: number) => `(SELECT c.id ${candidates(w.ctx, w.scope, w.t, source)} AND ${chosen(n)}${cond}\n    ORDER BY ${order} LIMIT ${need}${offset})`;
  return [walked(step.shortWalk, WAY.shortWalk), sorted(`SELECT id FROM ${SEARCH_STEP.candidates}`, WAY.candidates), walked(step.longWalk, WAY.longWalk), sorted(w.t.ids(), WAY.everyCandidate)].join(
    '\n  UNION ALL ',
  );
}

/**
 * A walk of the sort order that tests each row, as a CTE appended to the statement: the ids of
 * the matches it found (`_hit`), numbered in order (`_n`); returns the condition that it is conclusive,
 * that is it filled its page or ran out of rows before its bound (its matches are then all
 * there are).
 *
 * Two forms, the same answer:
 * - Over the account alone (`bare`), only the matches are numbered: a window over every row
 *   walked cost a third of a common term's walk (4,200 rows for 21 matches at a million).
 *   Whether a walk that fell short ran out of rows is asked only then, of the sort order's
 *   index alone: fewer entries than the bound past the anchor, deleted records included, means
 *   the walk saw every row. Where the index holds more, the walk is taken as cut short and the
 *   candidates are sorted instead, which finds the same matches.
 * - Under filters, the index cannot tell how many rows pass them, and reading them again
 *   would cost as much as the walk (all of the account, for a filter few records pass). Every
 *   row walked is numbered, and the walk carries a sentinel, the last row it may read, so a
 *   walk that ran out of rows is told apart from one cut short by its bound in the one pass.
 */
function walk(w: Ways, cte: string, cond: string, order: string, bound: string, need: number, skip?: string): string {
  // An offset page needs its skipped matches too, but the walks stay bounded by the page: a
  // deep offset on a term that is not very common goes to the candidates, as it did before.
  const wanted = skip ? `${need} + ${skip}` : String(need);
  const cols = [...new Set([...w.keys.map((k) => sortSql(w.ctx, k)), 'c.id'])].join(', ');
  // Only the sort keys and the verdict travel through a walk: the page's own rows are read by id
  // afterwards. The bound is a subquery so the planner does not take it for the rows the walk
  // will read: a walk mostly stops long before it, and planned for all of them, a walk over a
  // small account (or past a late anchor) became a sort of every remaining row. Each step keeps
  // the sort order, so numbering sorts nothing.
  const walked = `SELECT ${cols}, ${w.t.match} AS _hit FROM ${w.ctx.def.table} c WHERE ${w.scope.join(' AND ')}${cond} ORDER BY ${order} LIMIT ${bound}`;
  if (!w.bare) {
    w.ctes.push(
      `${cte} AS MATERIALIZED (SELECT c.id, c._hit, c._n FROM (SELECT c.*, row_number() OVER (ORDER BY ${order}) AS _n FROM (${walked}) c) c\n` +
        `  WHERE (c._hit AND c._n < ${bound}) OR c._n = ${bound} ORDER BY ${order} LIMIT ${wanted})`,
    );
    return `NOT EXISTS (SELECT 1 FROM ${cte} w WHERE w._n = ${bound})`;
  }
  w.ctes.push(`${cte} AS MATERIALIZED (SELECT c.id, c._hit, row_number() OVER (ORDER BY ${order}) AS _n FROM (SELECT c.* FROM (${walked}) c\n  WHERE c._hit ORDER BY ${order} LIMIT ${wanted}) c)`);
  const stretch = `FROM ${w.ctx.def.table} c WHERE c.account_id = ${w.ctx.account}${cond} ORDER BY ${order}`;
  return `((SELECT count(*) FROM ${cte}) >= ${wanted} OR NOT EXISTS (SELECT 1 ${stretch} OFFSET ${bound} - 1 LIMIT 1))`;
}
