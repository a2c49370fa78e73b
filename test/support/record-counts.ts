import type { Db } from '../../src/store/db.ts';

// What the counters must hold, computed from the records themselves: the oracle the count
// tests compare the counters (and the counts lists report) against.

/** The fields each resource's counters count per value (migration 070, resources.ts). */
export const COUNTED = {
  customers: ['type', 'country', 'status', 'kyb_status', 'kyc_status', 'application_status', 'is_sub_client'],
  users: ['role'],
} as const;

/** The pairs of counted fields counted together (migration 096), names in "C" order. */
export const PAIRS = {
  customers: COUNTED.customers.flatMap((f) => COUNTED.customers.filter((g) => f < g).map((g) => [f, g] as const)),
  users: [] as (readonly [string, string])[],
};

export type CounterRow = { dim: string; value: string; live: boolean; n: number };

const key = (r: CounterRow) => `${r.dim}\u0000${r.value}\u0000${r.live}`;

/** Counter rows as a map, leaving out rows at 0 (which the counters may keep). */
function byKey(rows: CounterRow[]): Map<string, number> {
  return new Map(rows.filter((r) => r.n !== 0).map((r) => [key(r), r.n]));
}

/** The counters of one account and table, as kept. */
export async function keptCounters(db: Db, table: 'customers' | 'users', account: string): Promise<Map<string, number>> {
  const rows = await db.query<CounterRow>(`SELECT dim, value, live, n::int AS n FROM ${table === 'customers' ? 'customer_counts' : 'user_counts'} WHERE account_id = $1`, [account]);
  return byKey(rows);
}

/** The counters of one account and table, counted from its rows with count(*). */
export async function countedCounters(db: Db, table: 'customers' | 'users', account: string): Promise<Map<string, number>> {
  const arms = [`SELECT '' AS dim, '' AS value, deleted_at IS NULL AS live FROM ${table} WHERE account_id = $1`];
  for (const f of COUNTED[table]) arms.push(`SELECT '${f}', ${f}::text, deleted_at IS NULL FROM ${table} WHERE account_id = $1 AND ${f} IS NOT NULL`);
  for (const [f, g] of PAIRS[table]) {
    arms.push(`SELECT '${f},${g}', ${f}::text || chr(31) || ${g}::text, deleted_at IS NULL FROM ${table} WHERE account_id = $1 AND ${f} IS NOT NULL AND ${g} IS NOT NULL`);
  }
  const rows = await db.query<CounterRow>(`SELECT dim, value, live, count(*)::int AS n FROM (${arms.join(' UNION ALL ')}) x GROUP BY 1, 2, 3`, [account]);
  return byKey(rows);
}
