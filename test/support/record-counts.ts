import type { Db } from '../../src/store/db.ts';
import { RESOURCES } from '../../src/store/compiler/resources.ts';

// What the counters must hold, computed from the records themselves with count(*): the oracle
// the count tests compare the counters (and the counts lists report) against. Which fields are
// counted is the store's one list; what each counter holds is computed here independently.

/** The fields each resource's counters count per value: resources.ts's list, the one there is. */
export const COUNTED = { customers: RESOURCES.customers.counts.fields, users: RESOURCES.users.counts.fields };

/** The pairs of counted fields counted together where a resource keeps pairs, names in "C" order. */
export const PAIRS = {
  customers: pairsOf(RESOURCES.customers),
  users: pairsOf(RESOURCES.users),
};

function pairsOf<F extends string>(def: { counts: { fields: readonly F[]; pairs: boolean } }): (readonly [F, F])[] {
  const { fields, pairs } = def.counts;
  return pairs ? fields.flatMap((f) => fields.filter((g) => f < g).map((g) => [f, g] as const)) : [];
}

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
  if (PAIRS[table].length) {
    // The combination of every counted field, names in "C" order, chr(30) for a missing value.
    const every = [...COUNTED[table]].sort().map((f) => `coalesce(${f}::text, chr(30))`);
    arms.push(`SELECT '*', concat_ws(chr(31), ${every.join(', ')}), deleted_at IS NULL FROM ${table} WHERE account_id = $1`);
  }
  const rows = await db.query<CounterRow>(`SELECT dim, value, live, count(*)::int AS n FROM (${arms.join(' UNION ALL ')}) x GROUP BY 1, 2, 3`, [account]);
  return byKey(rows);
}
