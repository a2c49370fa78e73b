import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import postgres from 'postgres';
import { type PoolStats, registerPools, statementSeries, timed } from '../ops/metrics.ts';
import type { Db, Queryable, QueryOptions, Tx } from './db.ts';
import { storeError, untilClosed, withRetries } from './faults.ts';
import { PooledReads } from './pooled-reads.ts';
import { type ReadPath, versionOf, WRITE_VERSION } from './read-path.ts';
import { ReplicaReads, type Standby } from './replica-reads.ts';
import { TenantReaders } from './tenant-readers.ts';

export interface PostgresOptions {
  /** Connections for writes, and as many again for tenant reads (per standby too). */
  max?: number;
  /**
   * `transaction`: a pooler in transaction mode (PgBouncer) sits between Roster and the server,
   * so no session state may be relied on: tenant reads set their role and account per
   * transaction (pooled-reads.ts) and no startup parameter but application_name is sent.
   */
  pooler?: 'none' | 'transaction';
  /** Named prepared statements (default: on without a pooler, off with one). */
  prepare?: boolean;
  /** Streaming standbys of `url` for tenant reads (replica-reads.ts). */
  replicaUrls?: string[];
  /** Seconds a standby may lag and still serve reads. */
  replicaMaxLag?: number;
}

export function openPostgres(url: string, options: PostgresOptions = {}): Db {
  const max = options.max ?? 10;
  const pooled = options.pooler === 'transaction';
  const prepareAll = options.prepare ?? !pooled;
  const settings = {
    max,
    // Off, postgres.js prepares none of its own statements either (BEGIN, COMMIT, ROLLBACK).
    // That matters: through PgBouncer 1.18 in transaction mode a statement prepared under a name
    // on one server connection is later executed by that name on whichever connection the
    // transaction lands on, where the name may stand for another statement. A COMMIT that ran
    // as something else lost 8 of 60 concurrent increments in a trial, without an error.
    prepare: prepareAll,
    onnotice: () => {},
    // Timestamps come back as Date; int8 and numeric as strings (exact).
    types: {},
    // A server that does not answer is reported as unavailable (503) within seconds, not after
    // the driver's default of half a minute.
    connect_timeout: 5,
  };
  // No JIT: Roster's statements are short, and the planner's cost threshold sent a count over a
  // large account to JIT compilation that took 60 ms of its 340. A pooler refuses startup
  // parameters it does not know: there tenant reads turn JIT off per transaction.
  const connection: Record<string, string> = pooled ? { application_name: 'roster' } : { application_name: 'roster', jit: 'off' };
  const sql = postgres(url, { ...settings, connection });
  // Tenant reads run on connections of their own, as the restricted role. They connect on
  // first use, after migrations have created the role.
  const readsFrom = (target: string, name: string): ReadPath =>
    timedReads(
      pooled
        ? new PooledReads(postgres(target, { ...settings, connection }), max, prepareAll)
        : new TenantReaders((onclose) => postgres(target, { ...settings, max: 1, connection: { ...connection, role: 'roster_app' }, onclose }), max, prepareAll),
      name === 'primary' ? 'primary' : 'replica',
    );

  const series = {
    query: statementSeries({ store: 'postgres', target: 'primary', kind: 'query' }),
    transaction: statementSeries({ store: 'postgres', target: 'primary', kind: 'transaction' }),
  };
  let inFlight = 0;
  const counted = async <T>(work: () => Promise<T>): Promise<T> => {
    inFlight++;
    try {
      return await work();
    } finally {
      inFlight--;
    }
  };
  const wrap = (s: postgres.Sql | postgres.TransactionSql, kind: 'query' | 'transaction'): Queryable => ({
    async query<T>(text: string, params: unknown[] = [], opts: QueryOptions = {}) {
      try {
        const run = () => s.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare: prepareAll && (opts.prepare ?? false) }) as unknown as Promise<T[]>;
        return await timed(series[kind], kind === 'query' ? () => counted(run) : run);
      } catch (e) {
        throw storeError(e);
      }
    },
  });
  const root = wrap(sql, 'query');

  const primaryReads = readsFrom(url, 'primary');
  const standbys: Standby[] = (options.replicaUrls ?? []).map((u, i) => ({
    name: `replica${i}`,
    reads: readsFrom(u, `replica${i}`),
    probe: postgres(u, { ...settings, max: 1, connection: { application_name: 'roster-monitor' } }),
  }));
  const reads: ReadPath = standbys.length
    ? new ReplicaReads(
        primaryReads,
        async (accountId) => versionOf(await root.query<{ v: string }>(WRITE_VERSION, [accountId], { prepare: true })),
        // The insert position: with synchronous_commit off a commit may not be written yet, and
        // a standby that replayed up to the written position would be called caught up too soon.
        async () => (await root.query<{ lsn: string }>(`SELECT pg_current_wal_insert_lsn()::text AS lsn`))[0].lsn,
        standbys,
        options.replicaMaxLag ?? 5,
      )
    : primaryReads;

  const unregister = registerPools(() => {
    const pools: PoolStats[] = [
      { pool: 'write', size: max, inUse: Math.min(inFlight, max), waiting: Math.max(0, inFlight - max) },
      { pool: 'read', ...primaryReads.use() },
    ];
    if (reads instanceof ReplicaReads) for (const [name, use] of reads.standbyUse()) pools.push({ pool: name, ...use });
    return pools;
  });

  const inTransaction = (tx: postgres.TransactionSql): Tx => ({
    ...wrap(tx, 'transaction'),
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
        await counted(() => sql.unsafe(text));
      } catch (e) {
        throw storeError(e);
      }
    },
    // A transaction that loses a race (deadlock, serialization failure) runs again from the
    // start: its callback only talks to the database, so running it twice is safe.
    transaction: (fn) => counted(() => withRetries(() => sql.begin((tx) => untilClosed(fn(inTransaction(tx)))) as Promise<never>)),
    reader(accountId) {
      return {
        async query<T>(text: string, params: unknown[] = [], opts: QueryOptions = {}) {
          try {
            return (await reads.read<T>({ accountId, text, params, prepare: prepareAll && (opts.prepare ?? false) })).rows;
          } catch (e) {
            throw storeError(e);
          }
        },
      };
    },
    async close() {
      unregister();
      await Promise.all([reads.close(), sql.end({ timeout: 5 })]);
    },
  };
}

/** A read path whose statements are timed into roster_db_statement_duration_seconds. */
function timedReads(path: ReadPath, target: 'primary' | 'replica'): ReadPath {
  const series = statementSeries({ store: 'postgres', target, kind: 'tenant_read' });
  return {
    read: (r) => timed(series, () => path.read(r)),
    use: () => path.use(),
    close: () => path.close(),
  };
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
