import { createHash } from 'node:crypto';
import { RosterError } from '../core/errors.ts';
import { inAccount, type Db, type Queryable } from './db.ts';

// Idempotent POSTs: the stored response is written in the same transaction as the record it
// describes, so a replay can never see a response whose write did not land.

export interface StoredResponse {
  status: number;
  body: unknown;
}

export const requestHash = (body: unknown) => createHash('sha256').update(JSON.stringify(body ?? null)).digest('hex');

/**
 * Runs `write` once per (account, scope, key). The same key with the same body replays the
 * stored response; with another body it is refused.
 */
export async function idempotent(
  db: Db,
  accountId: string,
  scope: string,
  key: string,
  body: unknown,
  write: (tx: Queryable) => Promise<StoredResponse>,
): Promise<StoredResponse & { replayed: boolean }> {
  const hash = requestHash(body);
  return inAccount(db, accountId, async (tx) => {
    // Lock the key for concurrent duplicates: the second waits, then replays.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1 || ':' || $2 || ':' || $3))`, [accountId, scope, key]);
    const [prior] = await tx.query<{ request_hash: string; status: number; response: unknown }>(
      `SELECT request_hash, status, response FROM idempotency_records WHERE account_id = $1 AND scope = $2 AND key = $3`,
      [accountId, scope, key],
    );
    if (prior) {
      if (prior.request_hash !== hash) {
        throw new RosterError('idempotency_mismatch', 'This idempotency key was already used with a different request body', [{ field: 'Idempotency-Key', message: 'reused with a different body' }]);
      }
      return { status: prior.status, body: prior.response, replayed: true };
    }
    const res = await write(tx);
    await tx.query(
      `INSERT INTO idempotency_records (account_id, scope, key, request_hash, status, response) VALUES ($1, $2, $3, $4, $5, $6::text::jsonb)`,
      [accountId, scope, key, hash, res.status, JSON.stringify(res.body)],
    );
    return { ...res, replayed: false };
  });
}
