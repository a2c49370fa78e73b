import type { Db } from './db.ts';

// Counters kept on write (migration 070) compared with a count of the records themselves. The
// triggers keep them exact within every transaction, so a difference means something wrote with
// the triggers off; `roster check --repair` counts those accounts again.

const TABLES = [
  { records: 'customers', counts: 'customer_counts', keys: 'roster_customer_count_keys' },
  { records: 'users', counts: 'user_counts', keys: 'roster_user_count_keys' },
] as const;

/** Accounts whose kept counters differ from a recount of their records. Reads every record. */
export async function accountsWithWrongCounts(db: Db): Promise<string[]> {
  const wrong = new Set<string>();
  for (const t of TABLES) {
    const rows = await db.query<{ account_id: string }>(
      `WITH kept AS (SELECT account_id, dim, value, live, n FROM ${t.counts} WHERE n <> 0),
            counted AS (SELECT r.account_id, k.dim, k.value, r.deleted_at IS NULL AS live, count(*) AS n FROM ${t.records} r, ${t.keys}(r) k GROUP BY 1, 2, 3, 4)
       SELECT DISTINCT account_id FROM ((SELECT * FROM kept EXCEPT SELECT * FROM counted) UNION ALL (SELECT * FROM counted EXCEPT SELECT * FROM kept)) d`,
    );
    for (const r of rows) wrong.add(r.account_id);
  }
  return [...wrong].sort();
}

/** Counts an account's records again (roster_recount, src/store/sql/functions/). */
export async function recount(db: Db, accountId: string): Promise<void> {
  await db.query(`SELECT roster_recount($1)`, [accountId]);
}
