import { uuid } from '../core/ids.ts';
import type { Db, Tx } from './db.ts';

// Bulk loads in batches. Each batch is one transaction: its rows, the counters their triggers
// move, and a row in bulk_load_batches saying it is done, all commit together. Every unique
// index, foreign key and trigger stays in force for every account throughout (DESIGN §8), so a
// load is as safe as the same rows written one by one; its speed comes from COPY and from
// running batches side by side on several connections.
//
// Killed at any point, a load leaves only whole batches. Run again with the same key, it finds
// its unfinished load and does the batches still missing, with the parameters it started with.
// Batches must not depend on each other (a batch refers only to rows of its own, or rows that
// existed before the load), so that any set of them is consistent on its own.

export interface LoadPlan<P> {
  accountId: string;
  /** What the load is: the command and its arguments. A rerun with the same key resumes. */
  key: string;
  batches: number;
  /** Fixes what the load needs before its first batch (numbers reserved, offsets), in the transaction that records the load. */
  begin(tx: Tx): Promise<P>;
  /** Writes one batch. */
  batch(tx: Tx, index: number, params: P): Promise<void>;
  /** Connections used side by side (PGlite has one). */
  connections?: number;
  /**
   * Batch indexes where a stage begins: no batch of a stage starts before every batch of the
   * stages before it has committed. A load whose later batches refer to rows of earlier ones
   * (an import's children after their parents) stays consistent in any set of batches that way.
   */
  stages?: number[];
  /** Told, before the first batch, which batches this run will write (the others are in). */
  start?(todo: readonly number[]): void;
}

export interface LoadResult<P> {
  params: P;
  /** Whether an unfinished run of the same load was found and continued. */
  resumed: boolean;
  /** Batches written by this run (the others were there already). */
  written: number;
}

/** Runs a load to its end, resuming an unfinished run of the same key. */
export async function runLoad<P>(db: Db, plan: LoadPlan<P>, onBatch?: (index: number) => void): Promise<LoadResult<P>> {
  const { id, params, resumed, done } = await db.transaction(async (tx) => {
    const [found] = await tx.query<{ id: string; params: P }>(`SELECT id, params FROM bulk_loads WHERE account_id = $1 AND key = $2 AND finished_at IS NULL FOR UPDATE`, [plan.accountId, plan.key]);
    if (found) {
      const rows = await tx.query<{ batch: number }>(`SELECT batch FROM bulk_load_batches WHERE load_id = $1`, [found.id]);
      return { id: found.id, params: found.params, resumed: true, done: new Set(rows.map((r) => r.batch)) };
    }
    const params = await plan.begin(tx);
    const id = uuid();
    await tx.query(`INSERT INTO bulk_loads (id, account_id, key, batches, params) VALUES ($1, $2, $3, $4, $5::text::jsonb)`, [id, plan.accountId, plan.key, plan.batches, JSON.stringify(params)]);
    return { id, params, resumed: false, done: new Set<number>() };
  });
  const all = Array.from({ length: plan.batches }, (_, i) => i).filter((i) => !done.has(i));
  plan.start?.(all);
  let written = 0;
  let todo: number[] = [];
  const worker = async () => {
    for (let index = todo.shift(); index !== undefined; index = todo.shift()) {
      const claimed = await db.transaction(async (tx) => {
        // Claimed first: another run of the same load doing this batch makes this insert wait
        // for its end, then find the batch done.
        const [claim] = await tx.query(`INSERT INTO bulk_load_batches (load_id, batch) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING batch`, [id, index]);
        if (!claim) return false;
        await plan.batch(tx, index, params);
        return true;
      });
      if (claimed) written++;
      onBatch?.(index);
    }
  };
  const connections = db.kind === 'pglite' ? 1 : Math.max(1, plan.connections ?? 1);
  const bounds = [...(plan.stages ?? []), plan.batches];
  for (let stage = 0, from = 0; stage < bounds.length; from = bounds[stage++]) {
    todo = all.filter((i) => i >= from && i < bounds[stage]);
    // A failed batch stops the others at their next batch; the batches already in stay in, and
    // a rerun does the rest.
    const results = await Promise.allSettled(
      Array.from({ length: connections }, () =>
        worker().catch((e) => {
          todo.length = 0;
          throw e;
        }),
      ),
    );
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
  }
  await db.query(`UPDATE bulk_loads SET finished_at = now() WHERE id = $1`, [id]);
  return { params, resumed, written };
}

/** Unfinished loads of an account other than `key`: told to the operator, who may rerun them. */
export async function unfinishedLoads(db: Db, accountId: string): Promise<{ key: string; started_at: string; done: number; batches: number }[]> {
  return db.query(
    `SELECT l.key, l.started_at::text, l.batches, (SELECT count(*)::int FROM bulk_load_batches b WHERE b.load_id = l.id) AS done
       FROM bulk_loads l WHERE l.account_id = $1 AND l.finished_at IS NULL ORDER BY l.started_at`,
    [accountId],
  );
}
