import { openPostgres, type PostgresOptions } from './postgres-driver.ts';
import { migrate } from './migrate.ts';
import { checkSchema, type SchemaReport } from './schema-check.ts';
import type { Db } from './db.ts';

/**
 * Opens the store the environment asks for: `DATABASE_URL`, else the embedded data directory.
 * Migrates it, then checks it holds every constraint, index and trigger the migrations define,
 * repairing what it can (reported through `onRepair`); a store that cannot be repaired is
 * refused with a SchemaError, and closed. `repairSchema: false` skips the check (the caller
 * makes it: `roster check`).
 */
export async function openStore(opts: { databaseUrl?: string; postgres?: PostgresOptions; dataDir?: string; repairSchema?: boolean; onRepair?: (report: SchemaReport) => void }): Promise<Db> {
  // PGlite is loaded only for the embedded store: a server on PostgreSQL does not carry it.
  const db = opts.databaseUrl ? openPostgres(opts.databaseUrl, opts.postgres) : await (await import('./pglite-driver.ts')).openPglite(opts.dataDir);
  try {
    await migrate(db);
    if (opts.repairSchema !== false) {
      const report = await checkSchema(db, { repair: true });
      if (report.problems.length) opts.onRepair?.(report);
    }
  } catch (e) {
    await db.close().catch(() => {});
    throw e;
  }
  return db;
}
