import { SCOPES, type Scope } from '../core/model.ts';
import { notFound, RosterError } from '../core/errors.ts';
import { insertApiKeyWithId } from './accounts-repo.ts';
import type { Db } from './db.ts';

// API keys as an operator manages them: created with scopes and an expiry, listed without their
// secret, revoked, rotated. The secret leaves this module once, in the creation's result.

export interface ApiKeyInfo {
  id: string;
  account_id: string;
  name: string;
  /** The key's first characters (`rk_test_AbCd`), enough to recognise it, useless to use it. */
  prefix: string;
  scopes: string[];
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface CreatedKey extends ApiKeyInfo {
  /** The secret, shown once: only its SHA-256 is stored. */
  api_key: string;
}

const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());
const COLUMNS = `id, account_id, name, key_prefix, scopes, created_at, expires_at, last_used_at, revoked_at`;

function info(r: Record<string, unknown>): ApiKeyInfo {
  return {
    id: r.id as string,
    account_id: r.account_id as string,
    name: r.name as string,
    prefix: r.key_prefix as string,
    scopes: r.scopes as string[],
    created_at: iso(r.created_at)!,
    expires_at: iso(r.expires_at),
    last_used_at: iso(r.last_used_at),
    revoked_at: iso(r.revoked_at),
  };
}

export interface NewKey {
  name: string;
  scopes: Scope[];
  expiresAt?: Date | null;
}

export async function createKey(db: Db, accountId: string, k: NewKey): Promise<CreatedKey> {
  if (k.scopes.length === 0 || k.scopes.some((s) => !SCOPES.includes(s)))
    throw new RosterError('invalid_request', 'scopes: name one or more of read, write, admin', [{ field: 'scopes', message: 'name one or more of read, write, admin' }]);
  if (k.expiresAt && k.expiresAt.getTime() <= Date.now()) throw new RosterError('invalid_request', 'expires_at: must be in the future', [{ field: 'expires_at', message: 'must be in the future' }]);
  return db.transaction(async (tx) => {
    const [mode] = await tx.query(`SELECT 1 FROM account_modes WHERE account_id = $1`, [accountId]);
    if (!mode) throw notFound('Account');
    const { id, apiKey } = await insertApiKeyWithId(tx, accountId, accountId.startsWith('T') ? 'test' : 'live', k.name, k.scopes, k.expiresAt ?? null);
    const [row] = await tx.query(`SELECT ${COLUMNS} FROM api_keys WHERE id = $1`, [id]);
    return { ...info(row), api_key: apiKey };
  });
}

/** An account's keys, oldest first, revoked ones included (they say so). */
export async function listKeys(db: Db, accountId: string): Promise<ApiKeyInfo[]> {
  const rows = await db.query(`SELECT ${COLUMNS} FROM api_keys WHERE account_id = $1 ORDER BY created_at, id`, [accountId]);
  return rows.map(info);
}

/**
 * Revokes a key by id. With an account, only that account's key (the API); without, any key
 * (the operator's CLI). Revoking a revoked key is a no-op that returns it.
 */
export async function revokeKey(db: Db, keyId: string, accountId?: string): Promise<ApiKeyInfo> {
  if (!/^[0-9a-f-]{36}$/i.test(keyId)) throw notFound('Key');
  const rows = await db.query(`UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 AND ($2::text IS NULL OR account_id = $2) RETURNING ${COLUMNS}`, [keyId, accountId ?? null]);
  if (rows.length === 0) throw notFound('Key');
  return info(rows[0]);
}

/** A new secret for a key's name, scopes and expiry; the old secret stops working at once. */
export async function rotateKey(db: Db, keyId: string, accountId: string): Promise<CreatedKey> {
  if (!/^[0-9a-f-]{36}$/i.test(keyId)) throw notFound('Key');
  return db.transaction(async (tx) => {
    const [old] = await tx.query(`UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND account_id = $2 AND revoked_at IS NULL RETURNING ${COLUMNS}`, [keyId, accountId]);
    if (!old) throw notFound('Key');
    const o = info(old);
    const { id, apiKey } = await insertApiKeyWithId(tx, accountId, accountId.startsWith('T') ? 'test' : 'live', o.name, o.scopes as Scope[], o.expires_at ? new Date(o.expires_at) : null);
    const [row] = await tx.query(`SELECT ${COLUMNS} FROM api_keys WHERE id = $1`, [id]);
    return { ...info(row), api_key: apiKey };
  });
}

/** Records that a key was used; skipped when the stored time is under a minute old. */
export async function touchKey(db: Db, keyId: string): Promise<void> {
  await db.query(`UPDATE api_keys SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`, [keyId], { prepare: true });
}

export interface AccountInfo {
  account_number: number;
  name: string;
  created_at: string;
  modes: { account_id: string; mode: 'test' | 'live'; active_keys: number }[];
}

export async function listAccounts(db: Db): Promise<AccountInfo[]> {
  const rows = await db.query<{ number: number; name: string; created_at: unknown; account_id: string; mode: 'test' | 'live'; active_keys: number }>(
    `SELECT a.number, a.name, a.created_at, m.account_id, m.mode,
            (SELECT count(*)::int FROM api_keys k WHERE k.account_id = m.account_id AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())) AS active_keys
       FROM accounts a JOIN account_modes m ON m.account_number = a.number
      ORDER BY a.number, m.mode DESC`,
  );
  const out = new Map<number, AccountInfo>();
  for (const r of rows) {
    const a = out.get(r.number) ?? { account_number: r.number, name: r.name, created_at: iso(r.created_at)!, modes: [] };
    a.modes.push({ account_id: r.account_id, mode: r.mode, active_keys: Number(r.active_keys) });
    out.set(r.number, a);
  }
  return [...out.values()];
}
