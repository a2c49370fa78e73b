import { and, listQuery, type ListQueryOf } from '../../core/list-query.ts';
import type { Customer } from '../../core/model.ts';
import type { Db } from '../../store/db.ts';
import { runList } from '../../store/list.ts';

// A since_datetime page. The documented loop resumes after the latest updated_at a page held,
// so a page must never end inside a group of records that share one updated_at: the records of
// the group left for the next page would be skipped. Roster's own writes never share one (each
// account's changes are a millisecond apart, migration 106), but records loaded from elsewhere
// may. A page that would end inside such a group takes the rest of the group too, so it may
// hold more than `limit` records (up to GROUP_MAX more); it never holds fewer while more
// follow, since clients take a short page for the end of the sync.

/** Records of one updated_at a single page may hold; past this a group is cut. */
export const GROUP_MAX = 10_000;

/** The page's records, and the total when the query asks for it. */
export async function syncPage(db: Db, accountId: string, q: ListQueryOf<'customers'>, limit: number): Promise<{ records: Customer[]; total?: number }> {
  const first = await runList<Customer>(db, accountId, listQuery({ ...q, page: { kind: 'keyset', limit: limit + 1 } }));
  const page = first.records;
  const total = first.total;
  if (page.length <= limit || page[limit - 1].updated_at !== page[limit].updated_at) return { records: page.slice(0, limit), total };
  const at = page[limit - 1].updated_at;
  const start = page.findIndex((c) => c.updated_at === at);
  // The records before the group, then all of the group, in the same order.
  const group = listQuery({ ...q, count: false, filter: and(q.filter, { kind: 'range', field: 'updated_at', gte: at, lte: at }), page: { kind: 'keyset', limit: GROUP_MAX } });
  return { records: [...page.slice(0, start), ...(await runList<Customer>(db, accountId, group)).records], total };
}
