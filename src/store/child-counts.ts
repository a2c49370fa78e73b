import { inAccount, type Db } from './db.ts';

// How many live customers sit directly below each parent: the aggregate behind "customers per
// owner" summaries. One grouped statement over the parent index, not a list per parent.

export interface ParentChildCount {
  id: string;
  name: string | null;
  count: number;
}

/**
 * `sub_clients`: every live customer flagged is_sub_client, with its count (0 included).
 * `parents`: every live customer that has at least one live child.
 * Ordered by lower(name) byte-wise, then id, like the `name` sort key.
 */
export function childCounts(db: Db, accountId: string, of: 'sub_clients' | 'parents'): Promise<ParentChildCount[]> {
  return inAccount(db, accountId, async (tx) => {
    const rows = await tx.query<{ id: string; name: string | null; count: number | string }>(
      `SELECT p.id, p.name, count(k.id) AS count
         FROM customers p
         LEFT JOIN customers k ON k.account_id = p.account_id AND k.parent_id = p.id AND k.deleted_at IS NULL
        WHERE p.account_id = $1 AND p.deleted_at IS NULL AND ($2 = 'parents' OR p.is_sub_client)
        GROUP BY p.id, p.name, p.sort_name
       HAVING $2 = 'sub_clients' OR count(k.id) > 0
        ORDER BY p.sort_name, p.id`,
      [accountId, of],
    );
    return rows.map((r) => ({ id: r.id, name: r.name, count: Number(r.count) }));
  });
}
