import { notFound } from '../core/errors.ts';
import { uuid } from '../core/ids.ts';
import type { Queryable } from './db.ts';
import { changeTimes, type WriteContext } from './customers-repo.ts';

// Tags (groups) of an account and the tags a customer carries. Callers run these inside
// inAccount, so row-level security applies. Tag ids are UUIDs.

export interface Tag {
  id: string;
  tag: string;
  metadata: Record<string, unknown>;
  created_at: string;
  created_by: string | null;
  updated_at: string;
  deleted_at: string | null;
}

const COLS = `t.id::text AS id, t.tag, t.metadata, t.created_at, t.created_by, t.updated_at, t.deleted_at`;
const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());
const toTag = (r: Record<string, unknown>): Tag => ({ ...(r as unknown as Tag), created_at: iso(r.created_at)!, updated_at: iso(r.updated_at)!, deleted_at: iso(r.deleted_at) });

export const isUuid = (v: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);

export async function createTag(tx: Queryable, accountId: string, input: { tag: string; metadata?: Record<string, unknown> }, ctx: WriteContext = {}): Promise<Tag> {
  const now = ctx.now ?? new Date();
  const [row] = await tx.query(`INSERT INTO tags AS t (account_id, id, tag, metadata, created_at, updated_at, created_by) VALUES ($1, $2::uuid, $3, $4::text::jsonb, $5, $5, $6) RETURNING ${COLS}`, [
    accountId,
    uuid(),
    input.tag,
    JSON.stringify(input.metadata ?? {}),
    now,
    ctx.actor ?? null,
  ]);
  return toTag(row);
}

/** Live tags in creation order. */
export async function listTags(tx: Queryable, accountId: string): Promise<Tag[]> {
  const rows = await tx.query(`SELECT ${COLS} FROM tags t WHERE t.account_id = $1 AND t.deleted_at IS NULL ORDER BY t.created_at, t.id`, [accountId]);
  return rows.map(toTag);
}

export async function getTag(tx: Queryable, accountId: string, id: string): Promise<Tag | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await tx.query(`SELECT ${COLS} FROM tags t WHERE t.account_id = $1 AND t.id = $2::uuid AND t.deleted_at IS NULL`, [accountId, id]);
  return row && toTag(row);
}

/**
 * Soft-deletes a tag and takes it off every customer. Those customers changed, so their
 * updated_at moves and a "changed since" sync sees them.
 */
export async function deleteTag(tx: Queryable, accountId: string, id: string, ctx: WriteContext = {}): Promise<Tag> {
  if (!(await getTag(tx, accountId, id))) throw notFound('Tag');
  // The customers that carry it, locked in id order (the lock order of customers-repo.ts), each
  // changed at a time of its own from the account's clock.
  const carriers = (
    await tx.query<{ id: string }>(
      `SELECT c.id FROM customers c JOIN customer_tags ct ON ct.account_id = c.account_id AND ct.customer_id = c.id
      WHERE ct.account_id = $1 AND ct.tag_id = $2::uuid ORDER BY c.id FOR UPDATE OF c`,
      [accountId, id],
    )
  ).map((r) => r.id);
  const first = await changeTimes(tx, accountId, carriers.length + 1, ctx.now);
  const now = new Date(first.getTime() + carriers.length);
  await tx.query(
    `UPDATE customers c SET updated_at = $3::timestamptz + (k.i - 1) * interval '1 millisecond'
       FROM unnest($2::text[]) WITH ORDINALITY AS k (id, i) WHERE c.account_id = $1 AND c.id = k.id`,
    [accountId, carriers, first],
  );
  await tx.query(`DELETE FROM customer_tags WHERE account_id = $1 AND tag_id = $2::uuid`, [accountId, id]);
  // Of concurrent deletes one wins; the others find the tag gone.
  const [row] = await tx.query(`UPDATE tags t SET deleted_at = $3, updated_at = $3 WHERE t.account_id = $1 AND t.id = $2::uuid AND t.deleted_at IS NULL RETURNING ${COLS}`, [accountId, id, now]);
  if (!row) throw notFound('Tag');
  return toTag(row);
}

/** The live tags one customer (by canonical id) carries, in creation order. */
export async function customerTags(tx: Queryable, accountId: string, customerId: string): Promise<Tag[]> {
  const rows = await tx.query(
    `SELECT ${COLS} FROM customer_tags ct JOIN tags t ON t.account_id = ct.account_id AND t.id = ct.tag_id
      WHERE ct.account_id = $1 AND ct.customer_id = $2 AND t.deleted_at IS NULL ORDER BY t.created_at, t.id`,
    [accountId, customerId],
  );
  return rows.map(toTag);
}
