// The two drivers behind one small interface: PGlite in-process, or a pooled real PostgreSQL.
// The same SQL and the same migrations run on both.

export interface QueryOptions {
  /** Prepare (and cache) the statement. Off for statements whose plan must see their values. */
  prepare?: boolean;
}

export interface Queryable {
  query<T = Record<string, unknown>>(text: string, params?: unknown[], options?: QueryOptions): Promise<T[]>;
}

/** A transaction: statements, and bulk inserts that commit or roll back with them. */
export interface Tx extends Queryable {
  /**
   * Bulk insert through COPY FROM STDIN in text format; each item holds one or more whole rows.
   * Every constraint, index and trigger applies as to any insert: a bulk load never switches a
   * guarantee off for a table other accounts share (DESIGN §8).
   */
  copyRows(table: string, columns: string[], rows: AsyncIterable<string> | Iterable<string>): Promise<void>;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs several statements separated by semicolons, with no parameters (migrations). */
  exec(sql: string): Promise<void>;
  /**
   * Runs `fn` in one transaction. On PostgreSQL a transaction that loses a race (deadlock,
   * serialization failure) is run again, so `fn` must only talk to the database.
   */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Reads for one account: each statement runs on its own, as the restricted role with the
   * account fixed, so row-level security applies on top of the query's own account scope. No
   * transaction is opened, which saves two statements per request on the hot list path.
   */
  reader(accountId: string): Queryable;
  close(): Promise<void>;
}

/** Makes the rest of the transaction run as the restricted role, for the account in $1. */
export const ACCOUNT_SETUP = `SELECT set_config('role', 'roster_app', true), set_config('roster.account_id', $1, true)`;

/**
 * Runs `fn` in one transaction as the restricted role with the account fixed, so row-level
 * security applies on top of the query's own account scope.
 */
export async function inAccount<T>(db: Db, accountId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    // Pipelined with the caller's first statement: one round trip less per request. Order on
    // the connection is kept, and if the setup failed the transaction would refuse the rest.
    const setup = tx.query(ACCOUNT_SETUP, [accountId], { prepare: true });
    const result = fn(tx);
    // Settle both first so neither rejection goes unobserved; a setup failure wins.
    await Promise.allSettled([setup, result]);
    await setup;
    return result;
  });
}

export function isUniqueViolation(e: unknown): e is { code: string; constraint_name?: string; constraint?: string } {
  return typeof e === 'object' && e !== null && (e as { code?: string }).code === '23505';
}

export function constraintOf(e: unknown): string {
  const err = e as { constraint_name?: string; constraint?: string };
  return err.constraint_name ?? err.constraint ?? '';
}
