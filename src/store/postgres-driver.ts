import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import postgres from 'postgres';
import type { Db, Queryable, QueryOptions } from './db.ts';
import { TenantReaders } from './tenant-readers.ts';

export function openPostgres(url: string, options: { max?: number } = {}): Db {
  const settings = {
    max: options.max ?? 10,
    onnotice: () => {},
    // Timestamps come back as Date; int8 and numeric as strings (exact).
    types: {},
  };
  // No JIT: Roster's statements are short, and the planner's cost threshold sent a count over a
  // large account to JIT compilation that took 60 ms of its 340.
  const connection = { application_name: 'roster', jit: 'off' };
  const sql = postgres(url, { ...settings, connection });
  // A second pool, connected as the restricted role, serves tenant reads (see TenantReaders).
  // It connects on first use, after migrations have created the role.
  const readerPool = postgres(url, { ...settings, connection: { ...connection, role: 'roster_app' } as Record<string, string> });
  const readers = new TenantReaders(readerPool, settings.max);
  const wrap = (s: postgres.Sql | postgres.TransactionSql): Queryable => ({
    async query<T>(text: string, params: unknown[] = [], opts: QueryOptions = {}) {
      return (await s.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare: opts.prepare ?? false })) as unknown as T[];
    },
  });
  const root = wrap(sql);
  return {
    kind: 'postgres',
    query: root.query,
    async exec(text) {
      await sql.unsafe(text);
    },
    async transaction(fn) {
      return (await sql.begin((tx) => fn(wrap(tx)))) as never;
    },
    reader(accountId) {
      return {
        query: <T>(text: string, params: unknown[] = [], opts: QueryOptions = {}) => readers.query<T>(accountId, text, params, opts.prepare ?? false),
      };
    },
    async copyRows(table, columns, rows, options = {}) {
      const copy = async (s: postgres.Sql | postgres.TransactionSql) => {
        const query = s.unsafe(`COPY ${table} (${columns.join(', ')}) FROM STDIN`);
        const failed = copyFailure(query);
        const stream = await query.writable();
        // The pipeline keeps to the socket's pace; an error on either side fails the COPY on the
        // server (rather than leaving it waiting for rows) and stops reading the rows.
        await Promise.race([pipeline(Readable.from(rows), stream), failed]);
      };
      if (!options.asReplica) return copy(sql);
      await sql.begin(async (tx) => {
        await tx.unsafe(`SET LOCAL session_replication_role = replica`);
        await copy(tx);
      });
    },
    async close() {
      readers.close();
      await Promise.all([sql.end({ timeout: 5 }), readerPool.end({ timeout: 5 })]);
    },
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
