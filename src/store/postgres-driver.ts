import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import postgres from 'postgres';
import type { Db, Queryable, QueryOptions, Tx } from './db.ts';
import { isUnavailable, storeError, withRetries } from './faults.ts';
import { TenantReaders } from './tenant-readers.ts';

export interface PostgresOptions {
  /** Connections for writes, and as many again for tenant reads. */
  max?: number;
  /** `transaction`: a pooler in transaction mode sits in between (see below). */
  pooler?: 'none' | 'transaction';
  /** Named prepared statements (default: on without a pooler). */
  prepare?: boolean;
  /** Streaming standbys of `url` for tenant reads. */
  replicaUrls?: string[];
  /** Seconds a standby may lag and still serve reads. */
  replicaMaxLag?: number;
}

export function openPostgres(url: string, options: PostgresOptions = {}): Db {
  const settings = {
    max: options.max ?? 10,
    onnotice: () => {},
    // Timestamps come back as Date; int8 and numeric as strings (exact).
    types: {},
    // A server that does not answer is reported as unavailable (503) within seconds, not after
    // the driver's default of half a minute.
    connect_timeout: 5,
  };
  // No JIT: Roster's statements are short, and the planner's cost threshold sent a count over a
  // large account to JIT compilation that took 60 ms of its 340.
  const connection = { application_name: 'roster', jit: 'off' };
  const sql = postgres(url, { ...settings, connection });
  // Tenant reads run on connections of their own, as the restricted role (see TenantReaders).
  // They connect on first use, after migrations have created the role.
  const readerConnection = { ...connection, role: 'roster_app' } as Record<string, string>;
  const readers = new TenantReaders((onclose) => postgres(url, { ...settings, max: 1, connection: readerConnection, onclose }), settings.max);
  const wrap = (s: postgres.Sql | postgres.TransactionSql): Queryable => ({
    async query<T>(text: string, params: unknown[] = [], opts: QueryOptions = {}) {
      try {
        return (await s.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare: opts.prepare ?? false })) as unknown as T[];
      } catch (e) {
        throw storeError(e);
      }
    },
  });
  const root = wrap(sql);
  const inTransaction = (tx: postgres.TransactionSql): Tx => ({
    ...wrap(tx),
    async copyRows(table, columns, rows) {
      const query = tx.unsafe(`COPY ${table} (${columns.join(', ')}) FROM STDIN`);
      const failed = copyFailure(query);
      const stream = await query.writable();
      // The pipeline keeps to the socket's pace; an error on either side fails the COPY on the
      // server (rather than leaving it waiting for rows) and stops reading the rows.
      try {
        await Promise.race([pipeline(Readable.from(rows), stream), failed]);
      } catch (e) {
        throw storeError(e);
      }
    },
  });
  return {
    kind: 'postgres',
    query: root.query,
    async exec(text) {
      try {
        await sql.unsafe(text);
      } catch (e) {
        throw storeError(e);
      }
    },
    // A transaction that loses a race (deadlock, serialization failure) runs again from the
    // start: its callback only talks to the database, so running it twice is safe.
    transaction: (fn) => withRetries(() => sql.begin((tx) => untilClosed(fn(inTransaction(tx)))) as Promise<never>),
    reader(accountId) {
      return {
        async query<T>(text: string, params: unknown[] = [], opts: QueryOptions = {}) {
          try {
            return await readers.query<T>(accountId, text, params, opts.prepare ?? false);
          } catch (e) {
            throw storeError(e);
          }
        },
      };
    },
    async close() {
      await Promise.all([readers.close(), sql.end({ timeout: 5 })]);
    },
  };
}

/**
 * A transaction's callback, except that when it fails because the connection went away it
 * never settles. postgres.js answers a failed callback by sending ROLLBACK down the same
 * connection, and on a connection whose socket has closed that write is made from a timer,
 * where it throws outside any promise and ends the process (porsager/postgres#1154, #1208;
 * unfixed in 3.4.9). The transaction itself still fails: sql.begin races the callback against
 * the connection's close, and rejects with the close's error.
 */
function untilClosed<T>(work: Promise<T>): Promise<T> {
  return work.catch((e) => (isUnavailable(e) ? new Promise<never>(() => {}) : Promise.reject(e)));
}

/**
 * Rejects with the error the server reports for a COPY. postgres.js 3.4 loses an error that
 * arrives after the last row went out: the query has already resolved with the stream, and the
 * stream never finishes (porsager/postgres#1173), so the load would wait forever. The query's
 * own reject hook still runs; this listens there.
 */
function copyFailure(query: object): Promise<never> {
  return new Promise((_, fail) => {
    const q = query as { reject?: (e: unknown) => unknown };
    const reject = q.reject;
    if (typeof reject !== 'function') return;
    q.reject = (e: unknown) => {
      fail(e);
      return reject(e);
    };
  });
}
