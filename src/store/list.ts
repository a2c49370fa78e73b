import { anchorName, type ListQuery, type ListResult } from '../core/list-query.ts';
import { scopeQuery } from '../core/scope.ts';
import { RosterError } from '../core/errors.ts';
import { compileCount, compileList, type ListRow } from './compiler/compile-list.ts';
import { CountCache } from './count-cache.ts';
import { inAccount, type Db, type Queryable } from './db.ts';

const counts = new CountCache(5_000);

/** Runs a list for one account: one statement, one round trip, records in requested order. */
export function runList<T>(db: Db, accountId: string, query: ListQuery, toRecord: (row: Record<string, unknown>) => T): Promise<ListResult<T>> {
  return inAccount(db, accountId, (tx) => listIn(tx, accountId, query, toRecord));
}

/** The same, inside a transaction the caller already holds for this account. */
export async function listIn<T>(tx: Queryable, accountId: string, query: ListQuery, toRecord: (row: Record<string, unknown>) => T): Promise<ListResult<T>> {
  const scoped = scopeQuery(query, accountId);
  // A count cached at the account's current write version is still exact: skip counting.
  const countStmt = query.count ? compileCount(scoped) : undefined;
  const cached = countStmt && counts.get(countStmt);
  const stmt = compileList(scoped, { count: !cached });
  const [row] = await tx.query<ListRow>(stmt.text, stmt.params, { prepare: stmt.prepare });
  let total: number | undefined;
  if (countStmt) {
    if (cached && cached.version === String(row.version)) total = cached.total;
    else if (row.total !== null) total = Number(row.total);
    else {
      const [fresh] = await tx.query<{ total: string; version: string }>(countStmt.text, countStmt.params, { prepare: countStmt.prepare });
      total = Number(fresh.total);
      row.version = fresh.version;
    }
    counts.set(countStmt, String(row.version), total);
  }
  const page = query.page;
  if (page.kind === 'keyset' && (page.after || page.before) && row.anchor_found === false) {
    throw new RosterError('invalid_cursor', `No record ${anchorName((page.after ?? page.before)!)} exists to page from`);
  }
  let rows = row.records;
  const more = rows.length > page.limit;
  if (more) rows = rows.slice(0, page.limit);
  const backward = page.kind === 'keyset' && page.before !== undefined && page.after === undefined;
  if (backward) rows = rows.reverse();
  const otherSide = row.has_other_side === true;
  return {
    records: rows.map(toRecord),
    hasMoreAfter: backward ? otherSide : more,
    hasMoreBefore: backward ? more : page.kind === 'offset' ? page.offset > 0 : otherSide,
    total,
    firstValues: rows[0]?._k,
    lastValues: rows.at(-1)?._k,
  };
}
