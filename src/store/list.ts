import { anchorName, type ListQuery, type ListResult } from '../core/list-query.ts';
import { scopeQuery, type ScopedQuery } from '../core/scope.ts';
import { RosterError } from '../core/errors.ts';
import { compileCount, compileEstimate, compileList, countIsKept, type ListRow } from './compiler/compile-list.ts';
import { CountCache } from './count-cache.ts';
import { StatementCache } from './statement-cache.ts';
import type { Db, Queryable } from './db.ts';

/**
 * Counts are cached per database: one process may open two (the tests run both stores side by
 * side), and an account id at a write version names the same records only within one of them.
 */
const caches = new WeakMap<Db, CountCache>();
const cacheOf = (db: Db): CountCache => {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new CountCache(5_000)));
  return cache;
};
const shared = new CountCache(5_000);
/** Statements depend on the query alone, not on the database: one cache serves every store. */
const statements = new StatementCache();

/** A page of records. `json` is the records as Postgres built them, in order: an API whose
 * records are the canonical ones passes it through as text; `records` parses it on first use. */
export interface ListPage<T> extends ListResult<T> {
  readonly json: string;
}

/** Runs a list for one account: one statement, one round trip, records in requested order. */
export function runList<T>(db: Db, accountId: string, query: ListQuery): Promise<ListPage<T>> {
  return listIn<T>(db.reader(accountId), accountId, query, cacheOf(db));
}

/** The same, through a connection (or transaction) already bound to this account. */
export async function listIn<T>(tx: Queryable, accountId: string, query: ListQuery, counts: CountCache = shared): Promise<ListPage<T>> {
  const scoped = scopeQuery(query, accountId);
  // A count the counters keep is read with the page, in its snapshot, whatever was written
  // since. Any other count cached at the account's current write version is still exact: skip
  // counting it again. An estimate asked for is either of those where there is one: exact, and
  // as cheap. A search is counted exactly in every mode: the planner cannot see how many
  // candidates the trigram index will return, and guesses one row.
  const kept = query.count !== false && countIsKept(scoped);
  const mayEstimate = query.count === 'estimated' && !(scoped.search && scoped.search.term !== '');
  const countStmt = query.count !== false && !kept ? statements.get(scoped, 'count', () => compileCount(scoped)) : undefined;
  const cached = countStmt && counts.get(countStmt);
  const withCount = kept || (!cached && !mayEstimate);
  const stmt = statements.get(scoped, withCount ? 'page+count' : 'page', () => compileList(scoped, { count: withCount }));
  const [row] = await tx.query<ListRow>(stmt.text, stmt.params, { prepare: stmt.prepare });
  let total: number | undefined;
  let estimate = false;
  if (countStmt) {
    if (cached && cached.version === String(row.version)) total = cached.total;
    else if (row.total !== null) total = Number(row.total);
    else if (mayEstimate) [total, estimate] = [await estimated(tx, scoped), true];
    else {
      const [fresh] = await tx.query<{ total: string; version: string }>(countStmt.text, countStmt.params, { prepare: countStmt.prepare });
      total = Number(fresh.total);
      row.version = fresh.version;
    }
    if (!estimate) counts.set(countStmt, String(row.version), total);
  } else if (query.count) total = Number(row.total);
  const page = query.page;
  if (page.kind === 'keyset' && (page.after || page.before) && row.anchor_found === false) {
    throw new RosterError('invalid_cursor', `No record ${anchorName((page.after ?? page.before)!)} exists to page from`);
  }
  const backward = page.kind === 'keyset' && page.before !== undefined && page.after === undefined;
  const otherSide = row.has_other_side === true;
  const keys = row.keys ?? [];
  return new Page<T>(row.records, {
    hasMoreAfter: backward ? otherSide : row.more,
    hasMoreBefore: backward ? row.more : page.kind === 'offset' ? page.offset > 0 : otherSide,
    total,
    totalEstimated: query.count === 'estimated' ? estimate : undefined,
    firstValues: keys[0]?.[0],
    lastValues: keys.at(-1)?.[0],
    firstId: keys[0]?.[1],
    lastId: keys.at(-1)?.[1],
  });
}

/**
 * A page whose records are parsed on first use. A class, not an object literal with a getter:
 * a literal's getter is a closure of its own, and V8 keeps each such accessor in a hidden class
 * made for that one object, in the old generation. That class held the page's JSON text (tens
 * of KB) past every young collection until the next full one: each page's text was promoted
 * and the heap swung by ~100 MB between full collections.
 */
class Page<T> implements ListPage<T> {
  private parsed: T[] | undefined;
  readonly hasMoreAfter: boolean;
  readonly hasMoreBefore: boolean;
  readonly total: number | undefined;
  readonly totalEstimated: boolean | undefined;
  readonly firstValues: (string | number | null)[] | undefined;
  readonly lastValues: (string | number | null)[] | undefined;
  readonly firstId: string | undefined;
  readonly lastId: string | undefined;

  // Every field assigned here, in one order, so every page shares one hidden class.
  constructor(
    readonly json: string,
    f: Omit<ListResult<T>, 'records'>,
  ) {
    this.hasMoreAfter = f.hasMoreAfter;
    this.hasMoreBefore = f.hasMoreBefore;
    this.total = f.total;
    this.totalEstimated = f.totalEstimated;
    this.firstValues = f.firstValues;
    this.lastValues = f.lastValues;
    this.firstId = f.firstId;
    this.lastId = f.lastId;
  }

  get records(): T[] {
    return (this.parsed ??= JSON.parse(this.json) as T[]);
  }
}

/** The planner's estimate of a query's matches: the rows of the top node of its plan. */
async function estimated(tx: Queryable, q: ScopedQuery): Promise<number> {
  const stmt = compileEstimate(q);
  const [row] = await tx.query<{ 'QUERY PLAN': unknown }>(stmt.text, stmt.params, { prepare: stmt.prepare });
  const plan = row['QUERY PLAN'];
  // The plan is JSON, which one driver parses and the other may hand over as text.
  const [top] = (typeof plan === 'string' ? JSON.parse(plan) : plan) as [{ Plan: { 'Plan Rows': number } }];
  return Math.round(top.Plan['Plan Rows']);
}
