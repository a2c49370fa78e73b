import { ksuid } from '../core/ids.ts';
import type { Db, Queryable, Tx } from './db.ts';

// Imports: one row each, with its counts, written by each batch in the batch's own transaction,
// so the counts always match what is in the store; readable from any process.

export interface ImportRecord {
  id: string;
  object: 'import';
  status: 'running' | 'succeeded' | 'failed';
  format: string;
  as: string;
  lines: number;
  created: number;
  updated: number;
  failed: number;
  errors: { line: number; reason: string }[];
  error: string | null;
  created_at: string;
  finished_at: string | null;
}

const COLS = `id, 'import' AS object, status, format, dialect AS as, lines::int, created::int, updated::int, failed::int, errors, error,
  roster_iso(created_at) AS created_at, roster_iso(finished_at) AS finished_at`;

/** Most bad lines an import reports one by one; all are counted. */
export const MAX_REPORTED_ERRORS = 1000;

/**
 * The unfinished import of this load (running, or stopped by a failure), reopened: a rerun goes
 * on with it and its counts. Else a new one: a finished import run again is a new import.
 */
export async function openImport(db: Db, accountId: string, loadKey: string, format: string, shape: string): Promise<ImportRecord> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`import ${accountId} ${loadKey}`]);
    const [running] = await tx.query<ImportRecord>(
      `UPDATE imports SET status = 'running', error = NULL, finished_at = NULL WHERE account_id = $1 AND load_key = $2 AND status <> 'succeeded' RETURNING ${COLS}`,
      [accountId, loadKey],
    );
    if (running) return running;
    const [made] = await tx.query<ImportRecord>(`INSERT INTO imports (account_id, id, load_key, format, dialect) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLS}`, [
      accountId,
      `imp_${ksuid()}`,
      loadKey,
      format,
      shape,
    ]);
    return made;
  });
}

export async function getImport(tx: Queryable, accountId: string, id: string): Promise<ImportRecord | undefined> {
  const [row] = await tx.query<ImportRecord>(`SELECT ${COLS} FROM imports WHERE account_id = $1 AND id = $2`, [accountId, id]);
  return row;
}

export async function setImportLines(db: Db, accountId: string, id: string, lines: number) {
  await db.query(`UPDATE imports SET lines = $3 WHERE account_id = $1 AND id = $2`, [accountId, id, lines]);
}

/** A batch's counts, in the batch's transaction. */
export async function addImportCounts(tx: Tx, accountId: string, id: string, c: { created: number; updated: number; failed: { line: number; reason: string }[] }) {
  await tx.query(
    `UPDATE imports SET created = created + $3, updated = updated + $4, failed = failed + $5,
            errors = errors || (SELECT coalesce(jsonb_agg(e), '[]') FROM (SELECT e FROM jsonb_array_elements($6::text::jsonb) e LIMIT greatest(0, $7 - jsonb_array_length(errors))) x)
      WHERE account_id = $1 AND id = $2`,
    [accountId, id, c.created, c.updated, c.failed.length, JSON.stringify(c.failed.slice(0, MAX_REPORTED_ERRORS)), MAX_REPORTED_ERRORS],
  );
}

export async function finishImport(db: Db, accountId: string, id: string, error?: string): Promise<ImportRecord> {
  const [row] = await db.query<ImportRecord>(`UPDATE imports SET status = $3, error = $4, finished_at = now() WHERE account_id = $1 AND id = $2 RETURNING ${COLS}`, [
    accountId,
    id,
    error ? 'failed' : 'succeeded',
    error ?? null,
  ]);
  return row;
}
