import { randomBytes } from 'node:crypto';
import { randomToken } from '../core/ids.ts';
import type { Db } from './db.ts';

// Secret keys for signing tokens, one current key per purpose. The first caller creates it;
// an advisory lock makes concurrent first calls from several processes agree on one key.

export interface SigningKey {
  kid: string;
  algorithm: string;
  /** The raw key bytes. */
  secret: Uint8Array;
  created_at: string;
}

interface Row {
  kid: string;
  algorithm: string;
  secret: string;
  created_at: string | Date;
}

const toKey = (r: Row): SigningKey => ({ kid: r.kid, algorithm: r.algorithm, secret: Buffer.from(r.secret, 'base64url'), created_at: new Date(r.created_at).toISOString() });

/** The newest key for `purpose`, created (256 random bits) when there is none yet. */
export async function currentSigningKey(db: Db, purpose: string, algorithm = 'HS256'): Promise<SigningKey> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(7264020)');
    const [row] = await tx.query<Row>(`SELECT kid, algorithm, secret, created_at FROM signing_keys WHERE purpose = $1 ORDER BY created_at DESC LIMIT 1`, [purpose]);
    if (row) return toKey(row);
    const [created] = await tx.query<Row>(`INSERT INTO signing_keys (kid, purpose, algorithm, secret) VALUES ($1, $2, $3, $4) RETURNING kid, algorithm, secret, created_at`, [
      randomToken(16),
      purpose,
      algorithm,
      randomBytes(32).toString('base64url'),
    ]);
    return toKey(created);
  });
}

/** A key by its id, whichever purpose it serves; undefined when unknown. */
export async function findSigningKey(db: Db, kid: string): Promise<(SigningKey & { purpose: string }) | undefined> {
  const [row] = await db.query<Row & { purpose: string }>(`SELECT kid, purpose, algorithm, secret, created_at FROM signing_keys WHERE kid = $1`, [kid]);
  return row && { ...toKey(row), purpose: row.purpose };
}
