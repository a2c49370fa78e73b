import { createHash } from 'node:crypto';
import { accountId as makeAccountId, type AccountMode, type Scope } from '../core/model.ts';
import { randomToken, uuid } from '../core/ids.ts';
import type { Db, Tx } from './db.ts';

// Accounts and their credentials. Secrets are returned once, at creation, and stored only as
// SHA-256 hashes: they are long random strings, so a fast hash is enough and lookups stay O(1).

export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

export interface NewAccount {
  account_id: string;
  account_number: number;
  mode: AccountMode;
  name: string;
  api_key: string;
  client_id: string;
  client_secret: string;
}

export function createAccount(db: Db, name: string, mode: AccountMode = 'test'): Promise<NewAccount> {
  return db.transaction((tx) => createAccountIn(tx, name, mode));
}

/** An account (both its modes), with an API key and an OAuth client for `mode`. */
export async function createAccountIn(tx: Tx, name: string, mode: AccountMode = 'test'): Promise<NewAccount> {
  const [{ number }] = await tx.query<{ number: number }>(`INSERT INTO accounts (number, name) VALUES (nextval('account_number_seq'), $1) RETURNING number`, [name]);
  for (const m of ['test', 'live'] as const) {
    await tx.query(`INSERT INTO account_modes (account_id, account_number, mode) VALUES ($1, $2, $3)`, [makeAccountId(m, number), number, m]);
  }
  const id = makeAccountId(mode, number);
  const apiKey = await insertApiKey(tx, id, mode, 'default', ['read', 'write', 'admin']);
  const client = await insertOAuthClient(tx, id, 'default', ['admin:customers', 'read:customers', 'write:customers']);
  return { account_id: id, account_number: number, mode, name, api_key: apiKey, ...client };
}

/** A 60-character key (Dakota's documented length): `rk_test_` or `rk_live_` and 52 random chars. */
export async function insertApiKey(tx: Tx, accountId: string, mode: AccountMode, name: string, scopes: Scope[], expiresAt: Date | null = null): Promise<string> {
  return (await insertApiKeyWithId(tx, accountId, mode, name, scopes, expiresAt)).apiKey;
}

/** The same, also returning the new key's id (what lists, revocation and logs name it by). */
export async function insertApiKeyWithId(tx: Tx, accountId: string, mode: AccountMode, name: string, scopes: Scope[], expiresAt: Date | null) {
  const key = `rk_${mode}_${randomToken(52)}`;
  const id = uuid();
  await tx.query(`INSERT INTO api_keys (id, account_id, key_hash, key_prefix, name, scopes, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
    id,
    accountId,
    hashSecret(key),
    key.slice(0, 12),
    name,
    scopes,
    expiresAt,
  ]);
  return { id, apiKey: key };
}

export const createApiKey = (db: Db, accountId: string, name: string, scopes: Scope[]) =>
  db.transaction((tx) => insertApiKey(tx, accountId, accountId.startsWith('T') ? 'test' : 'live', name, scopes));

export async function insertOAuthClient(tx: Tx, accountId: string, name: string, scopes: string[]) {
  const clientId = `cl_${randomToken(24)}`;
  const secret = randomToken(48);
  await tx.query(`INSERT INTO oauth_clients (client_id, account_id, secret_hash, name, scopes) VALUES ($1, $2, $3, $4, $5)`, [clientId, accountId, hashSecret(secret), name, scopes]);
  return { client_id: clientId, client_secret: secret };
}

export async function revokeApiKey(db: Db, key: string) {
  await db.query(`UPDATE api_keys SET revoked_at = now() WHERE key_hash = $1`, [hashSecret(key)]);
}

export interface Principal {
  accountId: string;
  scopes: string[];
  /** The credential's id, recorded as the actor of writes. */
  actor: string;
  /** When the credential stops working (ms since the epoch), if it expires. */
  expiresAt?: number;
}

export async function findApiKey(db: Db, key: string): Promise<Principal | undefined> {
  const [row] = await db.query<{ id: string; account_id: string; scopes: string[]; expires_at: Date | string | null }>(
    `SELECT id, account_id, scopes, expires_at FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
    [hashSecret(key)],
    { prepare: true },
  );
  if (!row) return undefined;
  return { accountId: row.account_id, scopes: row.scopes, actor: row.id, ...(row.expires_at ? { expiresAt: new Date(row.expires_at).getTime() } : {}) };
}

export async function findOAuthClient(db: Db, clientId: string, secret: string): Promise<Principal | undefined> {
  const [row] = await db.query<{ client_id: string; account_id: string; scopes: string[]; secret_hash: string }>(
    `SELECT client_id, account_id, scopes, secret_hash FROM oauth_clients WHERE client_id = $1 AND revoked_at IS NULL`,
    [clientId],
  );
  if (!row || row.secret_hash !== hashSecret(secret)) return undefined;
  return { accountId: row.account_id, scopes: row.scopes, actor: row.client_id };
}

/** Whether an OAuth client exists and is not revoked: tokens it was issued die with it. */
export async function oauthClientActive(db: Db, clientId: string): Promise<boolean> {
  const rows = await db.query(`SELECT 1 FROM oauth_clients WHERE client_id = $1 AND revoked_at IS NULL`, [clientId], { prepare: true });
  return rows.length > 0;
}

export async function revokeOAuthClient(db: Db, clientId: string) {
  await db.query(`UPDATE oauth_clients SET revoked_at = now() WHERE client_id = $1`, [clientId]);
}

export async function accountExists(db: Db, accountId: string): Promise<boolean> {
  return (await db.query(`SELECT 1 FROM account_modes WHERE account_id = $1`, [accountId])).length > 0;
}

/** The account an active OAuth client belongs to; undefined when it is unknown or revoked. */
export async function oauthClientAccount(db: Db, clientId: string): Promise<string | undefined> {
  const [row] = await db.query<{ account_id: string }>(`SELECT account_id FROM oauth_clients WHERE client_id = $1 AND revoked_at IS NULL`, [clientId], { prepare: true });
  return row?.account_id;
}
