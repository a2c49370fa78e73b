import { openPostgres } from './postgres-driver.ts';
import { migrate } from './migrate.ts';
import type { Db } from './db.ts';

/** Opens the store the environment asks for: `DATABASE_URL`, else the embedded data directory. */
export async function openStore(opts: { databaseUrl?: string; dataDir?: string }): Promise<Db> {
  // PGlite is loaded only for the embedded store: a server on PostgreSQL does not carry it.
  const db = opts.databaseUrl ? openPostgres(opts.databaseUrl) : await (await import('./pglite-driver.ts')).openPglite(opts.dataDir);
  await migrate(db);
  return db;
}
