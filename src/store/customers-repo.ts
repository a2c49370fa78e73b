import type { Customer, CustomerInput } from '../core/model.ts';
import { CUSTOMER_TYPES, KYB_STATUSES } from '../core/model.ts';
import { eq, listQuery, type CustomerRef } from '../core/list-query.ts';
import { invalid, notFound, RosterError } from '../core/errors.ts';
import { ksuid, uuid } from '../core/ids.ts';
import { constraintOf, inAccount, isUniqueViolation, type Db, type Queryable } from './db.ts';
import { listIn } from './list.ts';
import { selectItems } from './compiler/record-items.ts';
import { RESOURCES } from './compiler/resources.ts';

// Writes to customers. Each runs in one transaction for one account: it either lands whole,
// with every derived field (number, hierarchy, kyc_status) consistent, or not at all.
//
// Lock order, the same for every write, so that concurrent writes queue instead of deadlocking:
//   1. the customers being written, FOR UPDATE, in one statement and in id order: the record
//      alone for most writes; with everything below it when its name, type or place may
//      change (their derived owner and operator fields are rewritten), and with the customer
//      it moves under. Taking a whole set in id order, rather than the record first and the
//      rest after, is what keeps two such writes on overlapping trees from deadlocking. The
//      record is read again after the lock, so a read-modify-write never loses a concurrent
//      change and never writes a deleted record;
//   2. a customer a new record is placed under (FOR SHARE), checked live;
//   3. the account's row (account_modes: customer numbers, the write version), taken by the
//      first statement that writes, and after it the counters (migration 070).
// A transaction that still loses a race (a tree that changed shape between its lock and its
// write) is run again by the store (faults.ts), never answered with a 500.

const JSON_COLUMNS = new Set([
  'addresses',
  'company',
  'metadata',
  'attributes',
  'marketing_consent',
  'enrolled_by',
  'term',
  'contact_for',
  'kyc_links',
  'provider_statuses',
  'application',
  'extensions',
]);
const SCALAR_COLUMNS = [
  'external_id',
  'type',
  'name',
  'first_name',
  'last_name',
  'email',
  'phone_number',
  'country',
  'gender',
  'date_of_birth',
  'status',
  'favorite_store',
  'kyb_status',
  'parent_id',
  'is_sub_client',
];
const WRITABLE = [...SCALAR_COLUMNS, ...JSON_COLUMNS];

const UNIQUE_FIELDS: Record<string, string> = {
  customers_external_id_key: 'external_id',
  customers_email_key: 'email',
  customers_phone_key: 'phone_number',
};

export function conflictFrom(e: unknown): never {
  if (isUniqueViolation(e)) {
    const field = UNIQUE_FIELDS[constraintOf(e)] ?? 'id';
    throw new RosterError('conflict', `A customer with this ${field} already exists`, [{ field, message: 'already exists', code: 'duplicate' }]);
  }
  throw e;
}

function checkInput(input: CustomerInput) {
  if (input.type !== undefined && !CUSTOMER_TYPES.includes(input.type)) throw invalid('type', `must be one of ${CUSTOMER_TYPES.join(', ')}`);
  if (input.kyb_status !== undefined && !KYB_STATUSES.includes(input.kyb_status)) throw invalid('kyb_status', `must be one of ${KYB_STATUSES.join(', ')}`);
}

const byRef = (ref: CustomerRef) => (ref.by === 'id' ? eq('id', ref.value) : ref.by === 'number' ? eq('number', ref.value) : eq('external_id', ref.value));

/** Reads one customer by any of its identifiers; deleted ones only when asked. */
export async function getCustomerIn(tx: Queryable, accountId: string, ref: CustomerRef, withDeleted = false): Promise<Customer | undefined> {
  const q = listQuery({ resource: 'customers', filter: byRef(ref), page: { kind: 'keyset', limit: 1 }, deleted: withDeleted ? 'include' : 'exclude' });
  return (await listIn<Customer>(tx, accountId, q)).records[0];
}

/** A read of its own, not in a transaction: served by a standby when there are any (replica-reads.ts). */
export function getCustomer(db: Db, accountId: string, ref: CustomerRef, withDeleted = false) {
  return getCustomerIn(db.reader(accountId), accountId, ref, withDeleted);
}

const REF_COLUMN = { id: 'id', number: 'number', external_id: 'external_id' } as const;

export interface LockOptions {
  /** `share` only keeps the record from changing or being deleted (a token or tags being added to it). */
  mode?: 'update' | 'share';
  /**
   * Lock everything below it too: for a write that may rename, retype or move it. A caller that
   * locks before updateCustomerIn must lock at least what the update will (see `touchesTree`).
   */
  tree?: boolean;
  /** Another customer to lock in the same pass: the one the record moves under. */
  also?: string | null;
}

/**
 * Locks a live customer named by any of its identifiers for the rest of the transaction (step 1
 * of the lock order) and reads it after the lock: the start of every read-modify-write. A
 * customer deleted meanwhile is not found.
 */
export async function lockCustomer(tx: Queryable, accountId: string, ref: CustomerRef, opts: LockOptions = {}): Promise<Customer | undefined> {
  const strength = opts.mode === 'share' ? 'SHARE' : 'UPDATE';
  if (!opts.tree && !opts.also) {
    const [row] = await tx.query<{ id: string }>(`SELECT id FROM customers WHERE account_id = $1 AND ${REF_COLUMN[ref.by]} = $2 AND deleted_at IS NULL FOR ${strength}`, [accountId, ref.value]);
    return row && getCustomerIn(tx, accountId, { by: 'id', value: row.id });
  }
  const [found] = await tx.query<{ id: string }>(`SELECT id FROM customers WHERE account_id = $1 AND ${REF_COLUMN[ref.by]} = $2 AND deleted_at IS NULL`, [accountId, ref.value]);
  if (!found) return undefined;
  await tx.query(`SELECT id FROM customers WHERE account_id = $1 AND (id = $2 OR id = $3${opts.tree ? ' OR ancestors @> ARRAY[$2::text]' : ''}) ORDER BY id FOR ${strength}`, [
    accountId,
    found.id,
    opts.also ?? null,
  ]);
  // Read after the lock: deleted or moved meanwhile, it is what it is now.
  return getCustomerIn(tx, accountId, { by: 'id', value: found.id });
}

/** Whether a patch may change what the records below a customer carry of it: its display name, type or place. */
export const touchesTree = (patch: CustomerInput) =>
  patch.name !== undefined || patch.first_name !== undefined || patch.last_name !== undefined || patch.type !== undefined || patch.parent_id !== undefined;

export interface WriteContext {
  /** Who made the change (an API key or OAuth client id), recorded in created_by / deleted_by. */
  actor?: string;
  /** The time the change is made at: it moves to a millisecond past the account's last change if it is not later. */
  now?: Date;
}

/**
 * The account's row taken for one change (step 3 of the lock order): the UPDATE that moves its
 * change clock (migration 106) a millisecond past the last change, to `$2` (a time the caller
 * fixes) or the clock. Continued with more SET items or the WHERE; `$1` is the account.
 */
const TAKE_ACCOUNT_ROW = `UPDATE account_modes SET last_change_at = greatest(date_trunc('milliseconds', coalesce($2::timestamptz, clock_timestamp())), last_change_at + interval '1 millisecond')`;

/**
 * The record as its GET returns it, built by the statement that wrote it, from the row it
 * wrote (`RETURNING`), instead of read again by one more round trip. A write holds its
 * account's row from its writing statement to COMMIT, so every round trip in that stretch is
 * one every other writer of the account waits for.
 */
const RECORD = `(SELECT row_to_json(r) FROM (SELECT ${selectItems(RESOURCES.customers, undefined)}) r)::text AS record`;

/**
 * Whether the record is whole once its own statement has run, so that statement can return
 * it: no product accounts or tags written after it, no owner fields derived after it.
 */
const wholeAfterStatement = (input: CustomerInput, hierarchy: boolean): boolean => !hierarchy && input.product_accounts === undefined && input.tags === undefined;

/**
 * Times for `count` changes of an account's customers, one millisecond apart, each later than
 * any change before it (migration 106): the first is returned. Takes the account's row (step 3
 * of the lock order), so the times follow the order changes commit in.
 */
export async function changeTimes(tx: Queryable, accountId: string, count = 1, at?: Date): Promise<Date> {
  // The clock moves past the last change, then on by one millisecond for each change after the first.
  const [row] = await tx.query<{ first: Date | string }>(
    `${TAKE_ACCOUNT_ROW} + ($3::int - 1) * interval '1 millisecond'
      WHERE account_id = $1 RETURNING last_change_at - ($3::int - 1) * interval '1 millisecond' AS first`,
    [accountId, at ?? null, count],
  );
  return new Date(row.first);
}

export async function createCustomerIn(tx: Queryable, accountId: string, input: CustomerInput, ctx: WriteContext = {}): Promise<Customer> {
  checkInput(input);
  // The parent is checked (and share-locked) before the account row is: every write takes
  // customer rows before account_modes, so concurrent writes cannot deadlock.
  if (input.parent_id) await assertParent(tx, accountId, input.parent_id, undefined);
  const id = ksuid(ctx.now ?? new Date());
  const cols = ['id', 'uuid', 'created_by'];
  const values: unknown[] = [accountId, ctx.now ?? null, id, uuid(), ctx.actor ?? null];
  for (const col of WRITABLE) {
    const v = (input as Record<string, unknown>)[col];
    if (v === undefined) continue;
    cols.push(col);
    values.push(JSON_COLUMNS.has(col) && v !== null ? JSON.stringify(v) : v);
  }
  if (!cols.includes('type')) {
    cols.push('type');
    values.push('individual');
  }
  const direct = wholeAfterStatement(input, !!input.parent_id);
  // The account's row (its next number and its change clock) is taken by the statement that
  // writes the record, and held to COMMIT: one statement, not three round trips, stands
  // between taking it and letting it go (see RECORD).
  let row: { at: Date | string; record?: string };
  try {
    [row] = await tx.query<{ at: Date | string; record?: string }>(
      `WITH a AS (${TAKE_ACCOUNT_ROW}, next_customer_number = next_customer_number + 1 WHERE account_id = $1 RETURNING next_customer_number - 1 AS n, last_change_at AS at)
       INSERT INTO customers AS c (account_id, number, created_at, updated_at, ${cols.join(', ')})
       SELECT $1, a.n, a.at, a.at, ${cols.map((c, i) => `$${i + 3}${cast(c)}`).join(', ')} FROM a
       RETURNING c.created_at AS at${direct ? `, ${RECORD}` : ''}`,
      values,
    );
  } catch (e) {
    conflictFrom(e);
  }
  // No row: the account's row is gone (the account was removed while the request ran).
  if (!row!) throw notFound('Account');
  if (direct) return JSON.parse(row!.record!) as Customer;
  const now = new Date(row!.at);
  await writeChildren(tx, accountId, id, input, now);
  if (input.parent_id) await refreshHierarchy(tx, accountId, id);
  return (await getCustomerIn(tx, accountId, { by: 'id', value: id }))!;
}

export function createCustomer(db: Db, accountId: string, input: CustomerInput, ctx: WriteContext = {}) {
  return inAccount(db, accountId, (tx) => createCustomerIn(tx, accountId, input, ctx));
}

/** Partial update: only the fields present in `patch` change; `null` clears a field. */
export async function updateCustomerIn(tx: Queryable, accountId: string, ref: CustomerRef, patch: CustomerInput, ctx: WriteContext = {}): Promise<Customer> {
  checkInput(patch);
  const current = await lockCustomer(tx, accountId, ref, { tree: touchesTree(patch), also: patch.parent_id });
  if (!current) throw notFound('Customer');
  const moved = patch.parent_id !== undefined && patch.parent_id !== current.parent_id;
  // The display name is the name, else the first and last name (migration 105).
  const renamed = (['name', 'first_name', 'last_name'] as const).some((f) => patch[f] !== undefined && patch[f] !== current[f]);
  const retyped = patch.type !== undefined && patch.type !== current.type;
  if (moved && patch.parent_id !== null && patch.parent_id !== undefined) await assertParent(tx, accountId, patch.parent_id, current.id);
  const sets = ['updated_at = a.at'];
  const values: unknown[] = [accountId, ctx.now ?? null, current.id];
  for (const col of WRITABLE) {
    const v = (patch as Record<string, unknown>)[col];
    if (v === undefined) continue;
    values.push(JSON_COLUMNS.has(col) && v !== null ? JSON.stringify(v) : v);
    sets.push(`${col} = $${values.length}${cast(col)}`);
  }
  const direct = wholeAfterStatement(patch, moved || renamed || retyped);
  // The account's change clock is taken by the statement that writes the record (see RECORD).
  let row: { at: Date | string; record?: string };
  try {
    [row] = await tx.query<{ at: Date | string; record?: string }>(
      `WITH a AS (${TAKE_ACCOUNT_ROW} WHERE account_id = $1 RETURNING last_change_at AS at)
       UPDATE customers c SET ${sets.join(', ')} FROM a WHERE c.account_id = $1 AND c.id = $3
       RETURNING c.updated_at AS at${direct ? `, ${RECORD}` : ''}`,
      values,
    );
  } catch (e) {
    conflictFrom(e);
  }
  if (!row!) throw notFound('Customer');
  if (direct) return JSON.parse(row!.record!) as Customer;
  await writeChildren(tx, accountId, current.id, patch, new Date(row!.at));
  if (moved || renamed || retyped) await refreshHierarchy(tx, accountId, current.id);
  return (await getCustomerIn(tx, accountId, { by: 'id', value: current.id }))!;
}

export function updateCustomer(db: Db, accountId: string, ref: CustomerRef, patch: CustomerInput, ctx: WriteContext = {}) {
  return inAccount(db, accountId, (tx) => updateCustomerIn(tx, accountId, ref, patch, ctx));
}

/**
 * What deleting a customer does to the live customers it owns: `refuse` (409, the default)
 * while any exist, or `detach` them, which makes each the top of its own tree. Either way no
 * live customer is ever left below a deleted one.
 */
export type ChildrenRule = 'refuse' | 'detach';

export interface DeleteOptions extends WriteContext {
  children?: ChildrenRule;
}

/** The live customers directly below one, in id order. */
async function liveChildren(tx: Queryable, accountId: string, id: string): Promise<string[]> {
  const rows = await tx.query<{ id: string }>(`SELECT id FROM customers WHERE account_id = $1 AND parent_id = $2 AND deleted_at IS NULL ORDER BY id`, [accountId, id]);
  return rows.map((r) => r.id);
}

/**
 * Soft delete: the record stays for sync and audit, hidden from lists unless asked for. The
 * record is locked first, so of concurrent deletes one wins and the others find nothing, and
 * no child can be placed under it meanwhile (placing takes the parent's share lock).
 */
export async function deleteCustomerIn(tx: Queryable, accountId: string, ref: CustomerRef, opts: DeleteOptions = {}): Promise<Customer> {
  const detach = opts.children === 'detach';
  // Detaching rewrites everything below it: the whole tree is locked at once, in id order.
  const current = await lockCustomer(tx, accountId, ref, { tree: detach });
  if (!current) throw notFound('Customer');
  const children = await liveChildren(tx, accountId, current.id);
  if (children.length > 0 && !detach) {
    const message = `The customer owns ${children.length} other customer${children.length === 1 ? '' : 's'}; move or delete them first`;
    throw new RosterError('conflict', message, [{ field: 'id', message: 'owns other customers', code: 'has_children' }]);
  }
  // The detached children change first, each at a time of its own, then the record itself.
  const first = await changeTimes(tx, accountId, children.length + 1, opts.now);
  const now = new Date(first.getTime() + children.length);
  if (children.length > 0) {
    await tx.query(
      `UPDATE customers c SET parent_id = NULL, updated_at = $3::timestamptz + (k.i - 1) * interval '1 millisecond'
         FROM unnest($2::text[]) WITH ORDINALITY AS k (id, i) WHERE c.account_id = $1 AND c.id = k.id`,
      [accountId, children, first],
    );
    for (const child of children) await refreshHierarchy(tx, accountId, child);
  }
  await tx.query(`UPDATE customers SET deleted_at = $3, updated_at = $3, deleted_by = $4 WHERE account_id = $1 AND id = $2`, [accountId, current.id, now, opts.actor ?? null]);
  await tx.query(`UPDATE customer_tokens SET deleted_at = $3 WHERE account_id = $1 AND customer_id = $2 AND deleted_at IS NULL`, [accountId, current.id, now]);
  return (await getCustomerIn(tx, accountId, { by: 'id', value: current.id }, true))!;
}

export function deleteCustomer(db: Db, accountId: string, ref: CustomerRef, opts: DeleteOptions = {}) {
  return inAccount(db, accountId, (tx) => deleteCustomerIn(tx, accountId, ref, opts));
}

// JSON goes in as text and is cast in SQL: postgres.js would encode a JSON string a second
// time for a parameter it knows is jsonb; PGlite would not.
const cast = (col: string) => (JSON_COLUMNS.has(col) ? '::text::jsonb' : col === 'date_of_birth' ? '::date' : col === 'created_at' || col === 'updated_at' ? '::timestamptz' : '');

async function assertParent(tx: Queryable, accountId: string, parentId: string, selfId: string | undefined) {
  const [parent] = await tx.query<{ id: string; ancestors: string[] }>(
    // FOR SHARE (step 3 of the lock order): a concurrent delete of the parent, which locks it
    // first, either waits for this write or makes the parent unavailable to it.
    `SELECT id, ancestors FROM customers WHERE account_id = $1 AND id = $2 AND deleted_at IS NULL FOR SHARE`,
    [accountId, parentId],
  );
  if (!parent) throw invalid('parent_id', 'no such customer');
  if (selfId && (parent.id === selfId || parent.ancestors.includes(selfId))) throw invalid('parent_id', 'a customer cannot be placed below itself');
}

// Product accounts and tags are written as a difference from what the customer has: rows that
// stay the same are not touched, so they keep their created_at and write no event (sql/triggers/roster_product_account_events.sql).
async function writeChildren(tx: Queryable, accountId: string, id: string, input: CustomerInput, now: Date) {
  if (input.product_accounts !== undefined) {
    // One statement for all of them (a product listed twice is written as its last listing, as
    // one upsert after another would leave it), so the event trigger runs once, not per product.
    const products = [...new Map(input.product_accounts.map((p) => [p.product, p])).values()].sort((a, b) => (a.product < b.product ? -1 : 1));
    await tx.query(`DELETE FROM product_accounts WHERE account_id = $1 AND customer_id = $2 AND NOT (product = ANY($3::text[]))`, [accountId, id, products.map((p) => p.product)]);
    if (products.length > 0) {
      await tx.query(
        `INSERT INTO product_accounts AS p (account_id, customer_id, product, kyc_status, kyc_approved_at, current_market_value, created_at, updated_at)
         SELECT $1, $2, x.product, x.kyc_status, x.kyc_approved_at, x.current_market_value, $7, $7
           FROM unnest($3::text[], $4::text[], $5::timestamptz[], $6::numeric[]) AS x (product, kyc_status, kyc_approved_at, current_market_value)
         ON CONFLICT (account_id, customer_id, product) DO UPDATE
            SET kyc_status = excluded.kyc_status, kyc_approved_at = excluded.kyc_approved_at,
                current_market_value = excluded.current_market_value, updated_at = excluded.updated_at
          WHERE (p.kyc_status, p.kyc_approved_at, p.current_market_value) IS DISTINCT FROM (excluded.kyc_status, excluded.kyc_approved_at, excluded.current_market_value)`,
        [accountId, id, products.map((p) => p.product), products.map((p) => p.kyc_status), products.map((p) => p.kyc_approved_at ?? null), products.map((p) => p.current_market_value), now],
      );
    }
  }
  if (input.tags !== undefined) {
    const tags = [...new Set(input.tags.map((t) => t.toLowerCase()))];
    await tx.query(`DELETE FROM customer_tags WHERE account_id = $1 AND customer_id = $2 AND NOT (tag_id::text = ANY($3::text[]))`, [accountId, id, tags]);
    if (tags.length > 0) {
      const found = new Set(
        (await tx.query<{ id: string }>(`SELECT id::text AS id FROM tags WHERE account_id = $1 AND id = ANY($2::uuid[]) AND deleted_at IS NULL`, [accountId, tags])).map((r) => r.id),
      );
      const missing = input.tags.find((t) => !found.has(t.toLowerCase()));
      if (missing !== undefined) throw invalid('tags', `no tag ${missing}`);
      await tx.query(`INSERT INTO customer_tags (account_id, customer_id, tag_id) SELECT $1, $2, t FROM unnest($3::uuid[]) AS t ORDER BY t ON CONFLICT DO NOTHING`, [accountId, id, tags]);
    }
  }
}

/**
 * Recomputes the derived hierarchy (ancestors, owner display name and number, nearest operator) of a customer
 * and everything below it, in one statement: a move, rename or retype changes them all.
 */
export async function refreshHierarchy(tx: Queryable, accountId: string, rootId: string) {
  await tx.query(
    `WITH RECURSIVE tree AS (
       SELECT c.id, c.type, c.display_name AS name, c.number,
              CASE WHEN p.id IS NULL THEN '{}'::text[] ELSE p.ancestors || p.id END AS ancestors,
              p.display_name AS parent_name, p.number AS parent_number,
              CASE WHEN p.type = 'operator' THEN p.id ELSE p.operator_id END AS operator_id,
              CASE WHEN p.type = 'operator' THEN p.display_name ELSE p.operator_name END AS operator_name,
              CASE WHEN p.type = 'operator' THEN p.number ELSE p.operator_number END AS operator_number
         FROM customers c LEFT JOIN customers p ON p.account_id = c.account_id AND p.id = c.parent_id
        WHERE c.account_id = $1 AND c.id = $2
       UNION ALL
       SELECT k.id, k.type, k.display_name, k.number, t.ancestors || t.id, t.name, t.number,
              CASE WHEN t.type = 'operator' THEN t.id ELSE t.operator_id END,
              CASE WHEN t.type = 'operator' THEN t.name ELSE t.operator_name END,
              CASE WHEN t.type = 'operator' THEN t.number ELSE t.operator_number END
         FROM customers k JOIN tree t ON k.account_id = $1 AND k.parent_id = t.id
     )
     UPDATE customers c SET ancestors = t.ancestors, parent_name = t.parent_name, parent_number = t.parent_number,
            operator_id = t.operator_id, operator_name = t.operator_name, operator_number = t.operator_number
       FROM tree t WHERE c.account_id = $1 AND c.id = t.id`,
    [accountId, rootId],
  );
}
