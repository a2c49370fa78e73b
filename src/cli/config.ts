import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadSettings, type Settings } from '../config/settings.ts';
import { openStore } from '../store/open.ts';
import { isUnavailable } from '../store/faults.ts';
import type { Db } from '../store/db.ts';
import type { PostgresOptions } from '../store/postgres-driver.ts';
import type { SchemaReport } from '../store/schema-check.ts';

export interface StoreConfig {
  databaseUrl?: string;
  dataDir: string;
  /** How to use a real server: pool size, a pooler in between, standbys for reads. */
  postgres: PostgresOptions;
}

export function storeConfig(dataDirFlag?: string, s: Settings = loadSettings()): StoreConfig {
  return {
    databaseUrl: s.databaseUrl,
    dataDir: resolve(dataDirFlag ?? s.dataDir),
    postgres: { max: s.poolSize, pooler: s.pooler, prepare: s.prepare, replicaUrls: s.replicaUrls, replicaMaxLag: s.replicaMaxLag },
  };
}

const pgliteDir = (cfg: StoreConfig) => join(cfg.dataDir, 'pgdata');
const lockFile = (cfg: StoreConfig) => join(cfg.dataDir, 'roster.lock');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** What opening a store repaired (see store/schema-check.ts), told to the operator. */
const tellRepairs = (r: SchemaReport) => console.error(`roster: the store lacked ${r.problems.join('; ')}; repaired ${r.repaired.length} of ${r.problems.length}`);

/**
 * A database that cannot be reached at start is reported with the driver's reason (a request
 * would only be told to retry). A server or pooler that refuses the connection's startup
 * parameters (SQLSTATE 08P01, as PgBouncer does for `jit` and `role`) gets a hint.
 */
function unreachable(e: unknown, url: string): unknown {
  if (!isUnavailable(e)) return e;
  const cause = ((e as { cause?: unknown }).cause ?? e) as { code?: string; message?: string };
  const where = URL.canParse(url) ? new URL(url).host : 'DATABASE_URL';
  const hint = cause.code === '08P01' ? '; if DATABASE_URL is a pooler in transaction mode (PgBouncer), set ROSTER_PG_POOLER=transaction' : '';
  return new Error(`cannot reach the database at ${where}: ${cause.message ?? String(cause)}${hint}`);
}

/**
 * Opens the configured store. The embedded store has one process at a time: a lock file
 * with the holder's pid turns a second opener away with a clear message. Opening checks the
 * schema and repairs it; `repair: false` leaves that to the caller (`roster check`).
 */
export async function openConfigured(cfg: StoreConfig, holder: string, opts: { repair?: boolean } = {}): Promise<{ db: Db; release: () => void }> {
  const options = { repairSchema: opts.repair ?? true, onRepair: tellRepairs };
  if (cfg.databaseUrl) {
    const db = await openStore({ databaseUrl: cfg.databaseUrl, postgres: cfg.postgres, ...options }).catch((e) => {
      throw unreachable(e, cfg.databaseUrl!);
    });
    return { db, release: () => {} };
  }
  mkdirSync(cfg.dataDir, { recursive: true });
  const lock = lockFile(cfg);
  if (existsSync(lock)) {
    const [pid, who] = readFileSync(lock, 'utf8').split('\n');
    if (alive(Number(pid)) && Number(pid) !== process.pid) {
      throw new Error(`The embedded store in ${cfg.dataDir} is in use by ${who || 'another process'} (pid ${pid}). Stop it first, or point DATABASE_URL at a PostgreSQL server to share one store.`);
    }
  }
  writeFileSync(lock, `${process.pid}\n${holder}\n`);
  const release = () => rmSync(lock, { force: true });
  try {
    return { db: await openStore({ dataDir: pgliteDir(cfg), ...options }), release };
  } catch (e) {
    release();
    throw e;
  }
}
