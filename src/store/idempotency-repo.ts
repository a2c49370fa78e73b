import { setting } from '../config/settings.ts';
import { createHash } from 'node:crypto';
import { RosterError } from '../core/errors.ts';
import { inAccount, type Db, type Queryable } from './db.ts';
import { repeat } from './repeat.ts';

// Idempotent POSTs: the stored response is written in the same transaction as the record it
// describes, so a replay can never see a response whose write did not land.

export interface StoredResponse {
  status: number;
  body: unknown;
}

/**
 * A body's JSON with every object's keys in order: the same request sent with its keys in
 * another order is the same request. (Bodies are at most 32 levels deep: the input guard.)
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export const requestHash = (body: unknown) => sha256(canonicalJson(body));

/** The hash records stored before bodies were compared in canonical form: still honoured. */
const bytesHash = (body: unknown) => sha256(JSON.stringify(body ?? null));

/**
 * How long a key is remembered: a key used again within it replays the first response; after
 * it the key is forgotten and the request runs as new. 24 hours, or ROSTER_IDEMPOTENCY_WINDOW
 * seconds.
 */
export function idempotencyWindowMs(env = process.env): number {
  return (setting<number>('ROSTER_IDEMPOTENCY_WINDOW', env) ?? 86_400) * 1000;
}

export interface IdempotencyRule {
  /**
   * A key used again with another body: `refuse` it (the native API's 422), or `replay` the
   * first response (Dakota: "if the same key is used within a certain time window, the original
   * response will be returned instead of executing the request again").
   */
  otherBody: 'refuse' | 'replay';
}

/**
 * Runs `write` once per (account, scope, key) within the window. The same key with the same
 * body replays the stored response; with another body it is refused or replayed, as the
 * surface's rule says.
 */
export async function idempotent(
  db: Db,
  accountId: string,
  scope: string,
  key: string,
  body: unknown,
  write: (tx: Queryable) => Promise<StoredResponse>,
  rule: IdempotencyRule = { otherBody: 'refuse' },
): Promise<StoredResponse & { replayed: boolean }> {
  const hash = requestHash(body);
  return inAccount(db, accountId, async (tx) => {
    // Lock the key for concurrent duplicates: the second waits, then replays.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1 || ':' || $2 || ':' || $3))`, [accountId, scope, key]);
    // A key past its window is forgotten: the request runs as a new one.
    await tx.query(`DELETE FROM idempotency_records WHERE account_id = $1 AND scope = $2 AND key = $3 AND created_at < now() - $4 * interval '1 millisecond'`, [
      accountId,
      scope,
      key,
      idempotencyWindowMs(),
    ]);
    const [prior] = await tx.query<{ request_hash: string; status: number; response: unknown }>(
      `SELECT request_hash, status, response FROM idempotency_records WHERE account_id = $1 AND scope = $2 AND key = $3`,
      [accountId, scope, key],
    );
    if (prior) {
      if (rule.otherBody === 'refuse' && prior.request_hash !== hash && prior.request_hash !== bytesHash(body)) {
        throw new RosterError('idempotency_mismatch', 'This idempotency key was already used with a different request body', [{ field: 'Idempotency-Key', message: 'reused with a different body' }]);
      }
      return { status: prior.status, body: prior.response, replayed: true };
    }
    const res = await write(tx);
    await tx.query(`INSERT INTO idempotency_records (account_id, scope, key, request_hash, status, response) VALUES ($1, $2, $3, $4, $5, $6::text::jsonb)`, [
      accountId,
      scope,
      key,
      hash,
      res.status,
      JSON.stringify(res.body),
    ]);
    return { ...res, replayed: false };
  });
}

/** Forgets keys past the window, a batch at a time: a running server calls it now and then. */
export async function purgeExpiredKeys(db: Db): Promise<number> {
  const rows = await db.query(`DELETE FROM idempotency_records WHERE ctid IN (SELECT ctid FROM idempotency_records WHERE created_at < now() - $1 * interval '1 millisecond' LIMIT 10000) RETURNING 1`, [
    idempotencyWindowMs(),
  ]);
  return rows.length;
}

const PURGE_EVERY = 10 * 60 * 1000;

/** Purges expired keys now and every few minutes until the returned function is called. */
export const keepPurging = (db: Db, onError: (e: unknown) => void) => repeat(() => purgeExpiredKeys(db), PURGE_EVERY, onError);
