import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { inAccount, type Db, type Queryable, type QueryOptions } from './db.ts';

/** The embedded store: Postgres compiled to WASM, kept on disk in `dataDir` (or in memory). */
export async function openPglite(dataDir?: string): Promise<Db> {
  const pg = await PGlite.create({ dataDir, extensions: { pg_trgm } });
  const wrap = (s: { query: PGlite['query'] }): Queryable => ({
    async query<T>(text: string, params: unknown[] = [], _opts: QueryOptions = {}) {
      return (await s.query<T>(text, params)).rows;
    },
  });
  const root = wrap(pg);
  const db: Db = {
    kind: 'pglite',
    query: root.query,
    async exec(text) {
      await pg.exec(text);
    },
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
    // One session serves everything in process, so each read takes its own short transaction.
    reader(accountId) {
      return { query: (text, params, opts) => inAccount(db, accountId, (tx) => tx.query(text, params, opts)) };
    },
    async copyRows(table, columns, rows, options = {}) {
      const copy = async (s: { query: PGlite['query'] }) => {
        // PGlite reads COPY input from a virtual file; batch it so memory stays bounded.
        let batch: string[] = [];
        let size = 0;
        const flush = async () => {
          if (batch.length === 0) return;
          const blob = new Blob([batch.join('')]);
          batch = [];
          size = 0;
          await s.query(`COPY ${table} (${columns.join(', ')}) FROM '/dev/blob'`, [], { blob });
        };
        for await (const chunk of rows as AsyncIterable<string>) {
          batch.push(chunk);
          size += chunk.length;
          if (size > 8_000_000) await flush();
        }
        await flush();
      };
      if (!options.asReplica) return copy(pg);
      await pg.transaction(async (tx) => {
        await tx.exec(`SET LOCAL session_replication_role = replica`);
        await copy(tx);
      });
    },
    async close() {
      await pg.close();
    },
  };
  return db;
}
