import { notFound, RosterError } from '../core/errors.ts';
import { uuid } from '../core/ids.ts';
import { isUniqueViolation, type Queryable } from './db.ts';
import type { WriteContext } from './customers-repo.ts';

// Lookup tokens of a customer (card fingerprints, hashed emails, loyalty numbers): a type and
// a value, found again through the hasToken list filter. Deletes are soft. Callers run these
// inside inAccount, so row-level security applies.

export interface CustomerToken {
  id: string;
  /** The caller's own id for the token; the generated id when the caller gave none. */
  token_id: string;
  customer_id: string;
  type: string;
  value: string;
  metadata: Record<string, unknown>;
  created_at: string;
  created_by: string | null;
  updated_at: string;
  deleted_at: string | null;
  deleted_by: string | null;
}

const COLS = `k.id::text AS id, coalesce(k.token_id, k.id::text) AS token_id, k.customer_id, k.type, k.value, k.metadata, k.created_at, k.created_by, k.updated_at, k.deleted_at, k.deleted_by`;
const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());
const toToken = (r: Record<string, unknown>): CustomerToken => ({
  ...(r as unknown as CustomerToken),
  created_at: iso(r.created_at)!,
  updated_at: iso(r.updated_at)!,
  deleted_at: iso(r.deleted_at),
});

export interface NewToken {
  token_id?: string;
  type: string;
  value: string;
  metadata?: Record<string, unknown>;
}

/** Adds a token to a customer (by canonical id). A live token_id is unique per customer. */
export async function createToken(tx: Queryable, accountId: string, customerId: string, input: NewToken, ctx: WriteContext = {}): Promise<CustomerToken> {
  const now = ctx.now ?? new Date();
  const id = uuid();
  try {
    const [row] = await tx.query(
      `INSERT INTO customer_tokens AS k (account_id, id, customer_id, token_id, type, value, metadata, created_at, updated_at, created_by)
       VALUES ($1, $2::uuid, $3, $4, $5, $6, $7::text::jsonb, $8, $8, $9) RETURNING ${COLS}`,
      [accountId, id, customerId, input.token_id ?? id, input.type, input.value, JSON.stringify(input.metadata ?? {}), now, ctx.actor ?? null],
    );
    return toToken(row);
  } catch (e) {
    if (isUniqueViolation(e)) throw new RosterError('conflict', 'A token with this token_id already exists', [{ field: 'token_id', message: 'already exists', code: 'duplicate' }]);
    throw e;
  }
}

export interface TokenListOptions {
  type?: string;
  includeDeleted?: boolean;
  limit: number;
  /** The token_id of the last token of the previous page. */
  after?: string;
  count?: boolean;
}

/** A customer's tokens in creation order, a keyset page at a time. */
export async function listTokens(tx: Queryable, accountId: string, customerId: string, opts: TokenListOptions): Promise<{ tokens: CustomerToken[]; hasMore: boolean; total?: number }> {
  const params: unknown[] = [accountId, customerId];
  const where = ['k.account_id = $1', 'k.customer_id = $2'];
  if (!opts.includeDeleted) where.push('k.deleted_at IS NULL');
  if (opts.type !== undefined) {
    params.push(opts.type);
    where.push(`k.type = $${params.length}`);
  }
  const base = where.join(' AND ');
  let keyset = '';
  if (opts.after !== undefined) {
    params.push(opts.after);
    const anchorAt = (n: number) =>
      `(SELECT a.created_at, a.id FROM customer_tokens a WHERE a.account_id = $1 AND a.customer_id = $2 AND coalesce(a.token_id, a.id::text) = $${n} ORDER BY a.deleted_at IS NULL DESC, a.created_at DESC LIMIT 1)`;
    const anchor = anchorAt(params.length);
    // Its own parameters only: a parameter the statement does not use (the type filter's) has no type Postgres can infer.
    const [found] = await tx.query(`SELECT 1 FROM ${anchorAt(3)} x`, [accountId, customerId, opts.after]);
    if (!found) throw new RosterError('invalid_cursor', `No token ${opts.after} exists to page from`);
    keyset = ` AND (k.created_at, k.id) > ${anchor}`;
  }
  const rows = await tx.query(`SELECT ${COLS} FROM customer_tokens k WHERE ${base}${keyset} ORDER BY k.created_at, k.id LIMIT ${opts.limit + 1}`, params);
  let total: number | undefined;
  if (opts.count) {
    const [{ n }] = await tx.query<{ n: string }>(`SELECT count(*) AS n FROM customer_tokens k WHERE ${base}`, params.slice(0, opts.type !== undefined ? 3 : 2));
    total = Number(n);
  }
  return { tokens: rows.slice(0, opts.limit).map(toToken), hasMore: rows.length > opts.limit, total };
}

/** Soft-deletes one live token of a customer, named by its token_id. */
export async function deleteToken(tx: Queryable, accountId: string, customerId: string, tokenId: string, ctx: WriteContext = {}): Promise<CustomerToken> {
  const now = ctx.now ?? new Date();
  const [row] = await tx.query(
    `UPDATE customer_tokens k SET deleted_at = $4, updated_at = $4, deleted_by = $5
      WHERE k.account_id = $1 AND k.customer_id = $2 AND coalesce(k.token_id, k.id::text) = $3 AND k.deleted_at IS NULL RETURNING ${COLS}`,
    [accountId, customerId, tokenId, now, ctx.actor ?? null],
  );
  if (!row) throw notFound('Token');
  return toToken(row);
}
