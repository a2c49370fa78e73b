import { PGlite, type Transaction } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { registerPools, statementSeries, timed } from '../ops/metrics.ts';
import { ACCOUNT_SETUP, type Db, type Queryable, type QueryOptions, type Tx } from './db.ts';
import { PgliteStatements } from './pglite-statements.ts';

/**
 * PostgreSQL's shared buffers inside PGlite's WebAssembly memory, which never shrinks: every
 * buffer once used stays in the process's resident memory. PGlite's default of 128 MB filled
 * up as soon as a count or a deep page read through a large account; the data directory is on
 * disk, in the OS page cache, so a smaller cache costs a read system call per page instead.
 * Measured with 100k customers (BENCHMARKS.md, "Embedded store memory"): 16 MB took the server
 * from 351-411 MB to 267-296 MB resident after 512 requests of 256 statement shapes, for about
 * a fifth more server CPU on that count-heavy mix (counts the counters do not keep scan the
 * account, now through the page cache rather than the buffers).
 */
const SHARED_BUFFERS = '16MB';
/** Named statements kept prepared; each holds its parse tree and plans in the same memory. */
const PREPARED_STATEMENTS = 100;

/** The embedded store: Postgres compiled to WASM, kept on disk in `dataDir` (or in memory). */
export async function openPglite(dataDir?: string): Promise<Db> {
  const pg = await PGlite.create({ dataDir, extensions: { pg_trgm }, startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${SHARED_BUFFERS}`] });
  const statements = new PgliteStatements(pg, PREPARED_STATEMENTS);
  const series = {
    query: statementSeries({ store: 'pglite', target: 'primary', kind: 'query' }),
    transaction: statementSeries({ store: 'pglite', target: 'primary', kind: 'transaction' }),
    tenant_read: statementSeries({ store: 'pglite', target: 'primary', kind: 'tenant_read' }),
  };
  // One connection: everything queues for it, in PGlite's own locks.
  let inFlight = 0;
  const counted = async <T>(kind: keyof typeof series, work: () => Promise<T>): Promise<T> => {
    inFlight++;
    try {
      return await timed(series[kind], work);
    } finally {
      inFlight--;
    }
  };
  const unregister = registerPools(() => [{ pool: 'embedded', size: 1, inUse: Math.min(inFlight, 1), waiting: Math.max(0, inFlight - 1) }]);
  const root: Queryable = {
    query<T>(text: string, params: unknown[] = [], opts: QueryOptions = {}) {
      return counted('query', async () => {
        if (opts.prepare) return statements.root<T>([{ text, params, prepare: true }]);
        return (await pg.query<T>(text, params)).rows;
      });
    },
  };
  const wrap = (tx: Transaction): Tx => ({
    query<T>(text: string, params: unknown[] = [], opts: QueryOptions = {}) {
      return timed(series.transaction, async () => {
        if (!opts.prepare || tx.closed) return (await tx.query<T>(text, params)).rows;
        return statements.inTransaction<T>([{ text, params, prepare: true }]);
      });
    },
    async copyRows(table, columns, rows) {
      // PGlite reads COPY input from a virtual file; batch it so memory stays bounded.
      let batch: string[] = [];
      let size = 0;
      const flush = async () => {
        if (batch.length === 0) return;
        const blob = new Blob([batch.join('')]);
        batch = [];
        size = 0;
        await tx.query(`COPY ${table} (${columns.join(', ')}) FROM '/dev/blob'`, [], { blob });
      };
      for await (const chunk of rows as AsyncIterable<string>) {
        batch.push(chunk);
        size += chunk.length;
        if (size > 8_000_000) await flush();
      }
      await flush();
    },
  });
  const db: Db = {
    kind: 'pglite',
    query: root.query,
    async exec(text) {
      await pg.exec(text);
    },
    transaction: (fn) => {
      inFlight++;
      return pg.transaction((tx) => fn(wrap(tx))).finally(() => inFlight--);
    },
    // One session serves everything in process, so a read must not leave its role or account
    // behind. The settings and the read go down together, before one Sync: outside a
    // transaction block that is one implicit transaction, which the local settings end with.
    reader(accountId) {
      return {
        query: <T>(text: string, params: unknown[] = [], opts: QueryOptions = {}) =>
          counted('tenant_read', () =>
            statements.root<T>([
              { text: ACCOUNT_SETUP, params: [accountId], prepare: true },
              { text, params, prepare: opts.prepare ?? false },
            ]),
          ),
      };
    },
    async close() {
      unregister();
      await pg.close();
    },
  };
  return db;
}
