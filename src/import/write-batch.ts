import { ksuid, uuid } from '../core/ids.ts';
import { RosterError } from '../core/errors.ts';
import type { Customer, CustomerInput } from '../core/model.ts';
import { copyLine, PgArray, PRODUCT_COLUMNS } from '../seed/copy-text.ts';
import { CUSTOMER_COLUMNS } from '../store/compiler/resources.ts';
import { constraintOf, type Tx } from '../store/db.ts';
import { updateCustomerIn } from '../store/customers-repo.ts';
import { listIn } from '../store/list.ts';
import { inList, listQuery } from '../core/list-query.ts';
import { unchanged } from './unchanged.ts';
import type { ImportRow } from './import-row.ts';
import type { Line } from './read-lines.ts';

// One batch of an import, in the batch's transaction: each line updates the customer it names
// (by id, else external id, else number) or creates one. Creates go in through COPY with every
// index and constraint live, their owner and operator fields derived from parents that are
// already in (an earlier depth's batch, or the store before the import); updates go through the
// repository's own write, so they lock, move subtrees and write their events as any write
// does. A bad line is reported and written nowhere; the rest of its batch goes in.

export interface BatchResult {
  created: number;
  updated: number;
  failed: { line: number; reason: string }[];
}

/**
 * The columns an import writes, in the order its rows list them: the account, then a record's
 * own columns (resources.ts) but those Postgres derives and the deletion marks (an import creates
 * live records only).
 */
const NOT_WRITTEN = new Set(['display_name', 'kyc_status', 'application_status', 'deleted_at', 'deleted_by']);
export const IMPORT_COLUMNS = ['account_id', ...CUSTOMER_COLUMNS.filter((c) => !NOT_WRITTEN.has(c))];
const TAG_COLUMNS = ['account_id', 'customer_id', 'tag_id'];

const UNIQUE_REASONS: Record<string, string> = {
  customers_pkey: 'id: another customer has it',
  customers_account_id_number_key: 'number: another customer has it',
  customers_account_id_uuid_key: 'uuid: another customer has it',
  customers_external_id_key: 'external_id: another customer has it',
  customers_email_key: 'email: a customer of this type has it already',
  customers_phone_key: 'phone_number: another customer has it',
  product_accounts_pkey: 'product_accounts: a product is listed twice',
};

/** Why a line was refused, for the report: a refusal the API would answer with, never a database message. */
function reasonOf(e: unknown): string {
  if (e instanceof RosterError) return e.fields[0] ? `${e.fields[0].field}: ${e.fields[0].message}` : e.message;
  const code = (e as { code?: string }).code;
  if (code === '23505') return UNIQUE_REASONS[constraintOf(e)] ?? 'a value another customer has already';
  if (code?.startsWith('23') || code?.startsWith('22')) return `a value the store refuses (${constraintOf(e) || code})`;
  throw e;
}

interface Parent {
  id: string;
  number: string;
  name: string | null;
  type: string;
  ancestors: string[];
  operator_id: string | null;
  operator_name: string | null;
  operator_number: string | null;
}

interface Create {
  line: Line;
  row: ImportRow;
  text: string;
  products: string;
  tags: string;
}

const keysOf = (r: ImportRow) => [r.id && `id:${r.id}`, r.input.external_id && `ext:${r.input.external_id}`, r.number !== undefined && `n:${r.number}`].filter((k): k is string => Boolean(k));

export async function writeBatch(tx: Tx, accountId: string, lines: Line[], firstNumber: number, ctx: { now: Date; actor?: string }): Promise<BatchResult> {
  const failed: BatchResult['failed'] = [];
  const fail = (l: Line, reason: string) => failed.push({ line: l.line, reason });
  const seen = new Map<string, number>();
  const rows: { l: Line; r: ImportRow }[] = [];
  for (const l of lines) {
    if (!l.row) {
      fail(l, l.error ?? 'not readable');
      continue;
    }
    const keys = keysOf(l.row);
    const dup = keys.find((k) => seen.has(k));
    if (dup) {
      fail(l, `the same customer as line ${seen.get(dup)} of this file`);
      continue;
    }
    for (const k of keys) seen.set(k, l.line);
    rows.push({ l, r: l.row });
  }

  // The customers the lines name, deleted ones too for ids (an id is never reused).
  const ids = rows.flatMap(({ r }) => (r.id ? [r.id] : []));
  const externals = rows.flatMap(({ r }) => (r.input.external_id ? [r.input.external_id] : []));
  const byNumber = rows.flatMap(({ r }) => (!r.id && !r.input.external_id && r.number !== undefined ? [r.number] : []));
  const existing =
    rows.length === 0
      ? []
      : await tx.query<{ id: string; external_id: string | null; number: string; deleted: boolean }>(
          `SELECT id, external_id, number, deleted_at IS NOT NULL AS deleted FROM customers
      WHERE account_id = $1 AND (id = ANY ($2::text[]) OR (deleted_at IS NULL AND (external_id = ANY ($3::text[]) OR number = ANY ($4::bigint[]))))`,
          [accountId, ids, externals, byNumber],
        );
  const idIs = new Map(existing.map((e) => [e.id, e]));
  const extIs = new Map(existing.filter((e) => e.external_id !== null && !e.deleted).map((e) => [e.external_id!, e]));
  const numIs = new Map(existing.filter((e) => !e.deleted).map((e) => [Number(e.number), e]));

  const updates: { l: Line; r: ImportRow; id: string }[] = [];
  const creates: { l: Line; r: ImportRow }[] = [];
  for (const { l, r } of rows) {
    const byId = r.id ? idIs.get(r.id) : undefined;
    const byExt = r.input.external_id ? extIs.get(r.input.external_id) : undefined;
    if (byId?.deleted) fail(l, 'id: a deleted customer has this id');
    else if (r.id && byExt && byExt.id !== r.id) fail(l, `external_id: another customer (${byExt.id}) has it`);
    else {
      const target = byId ?? byExt ?? (!r.id && !r.input.external_id && r.number !== undefined ? numIs.get(r.number) : undefined);
      if (target) updates.push({ l, r, id: target.id });
      else creates.push({ l, r });
    }
  }

  // Lock order (customers-repo.ts): the customers written, in id order; the parents new ones
  // go under (shared); the account's row comes with the first write.
  if (updates.length) await tx.query(`SELECT id FROM customers WHERE account_id = $1 AND id = ANY ($2::text[]) ORDER BY id FOR UPDATE`, [accountId, updates.map((u) => u.id).sort()]);
  const parentIds = [...new Set(rows.flatMap(({ r }) => (r.input.parent_id ? [r.input.parent_id] : [])))];
  const parentNumbers = [...new Set(rows.flatMap(({ r }) => (r.parentNumber !== undefined ? [r.parentNumber] : [])))];
  const parents =
    parentIds.length + parentNumbers.length === 0
      ? []
      : await tx.query<Parent>(
          `SELECT id, number, name, type, ancestors, operator_id, operator_name, operator_number FROM customers
      WHERE account_id = $1 AND deleted_at IS NULL AND (id = ANY ($2::text[]) OR number = ANY ($3::bigint[])) ORDER BY id FOR SHARE`,
          [accountId, parentIds, parentNumbers],
        );
  const parentById = new Map(parents.map((p) => [p.id, p]));
  const parentByNumber = new Map(parents.map((p) => [Number(p.number), p]));
  const parentOf = (r: ImportRow) => (r.input.parent_id ? parentById.get(r.input.parent_id) : r.parentNumber !== undefined ? parentByNumber.get(r.parentNumber) : undefined);
  const namesParent = (r: ImportRow) => Boolean(r.input.parent_id) || r.parentNumber !== undefined;

  // The records as they are, read once for the batch after their locks: a line that would
  // change nothing is left alone (no write, no updated_at, no event). Two lines can reach the
  // same record (one by id, one by external id): once one writes it, the snapshot is stale and
  // the next is written.
  const current = new Map<string, Customer>();
  if (updates.length) {
    const page = await listIn<Customer>(
      tx,
      accountId,
      listQuery({
        resource: 'customers',
        filter: inList(
          'id',
          updates.map((u) => u.id),
        ),
        page: { kind: 'keyset', limit: updates.length },
      }),
    );
    for (const c of page.records) current.set(c.id, c);
  }
  let updated = 0;
  for (const { l, r, id } of updates) {
    const patch: CustomerInput = { ...r.input };
    if (r.parentNumber !== undefined) {
      const p = parentOf(r);
      if (!p) {
        fail(l, `owner: no customer with id ${r.parentNumber}`);
        continue;
      }
      patch.parent_id = p.id;
    }
    const was = current.get(id);
    if (was && unchanged(was, patch)) {
      updated++;
      continue;
    }
    await tx.query('SAVEPOINT import_line');
    try {
      current.delete(id);
      await updateCustomerIn(tx, accountId, { by: 'id', value: id }, patch, ctx);
      await tx.query('RELEASE SAVEPOINT import_line');
      updated++;
    } catch (e) {
      await tx.query('ROLLBACK TO SAVEPOINT import_line');
      fail(l, reasonOf(e));
    }
  }

  const created = await writeCreates(tx, accountId, creates, { firstNumber, ...ctx, fail, parentOf, namesParent });
  failed.sort((a, b) => a.line - b.line);
  return { created, updated, failed };
}

interface CreateContext {
  firstNumber: number;
  now: Date;
  actor?: string;
  fail: (l: Line, reason: string) => void;
  parentOf: (r: ImportRow) => Parent | undefined;
  namesParent: (r: ImportRow) => boolean;
}

async function writeCreates(tx: Tx, accountId: string, creates: { l: Line; r: ImportRow }[], c: CreateContext): Promise<number> {
  if (!creates.length) return 0;
  const rs = creates.map(({ r }) => r);
  const given = (f: (r: ImportRow) => unknown) => [...new Set(rs.map(f).filter((v) => v !== undefined && v !== null))];
  const [numbers, uuids, emails, phones, tags] = await Promise.all([
    taken(
      tx,
      `SELECT number::text AS v FROM customers WHERE account_id = $1 AND number = ANY ($2::bigint[])`,
      accountId,
      given((r) => r.number),
    ),
    taken(
      tx,
      `SELECT uuid::text AS v FROM customers WHERE account_id = $1 AND uuid = ANY ($2::uuid[])`,
      accountId,
      given((r) => r.uuid),
    ),
    taken(
      tx,
      `SELECT type || ' ' || lower(email) AS v FROM customers WHERE account_id = $1 AND deleted_at IS NULL AND lower(email) = ANY ($2::text[])`,
      accountId,
      given((r) => r.input.email?.toLowerCase()),
    ),
    taken(
      tx,
      `SELECT phone_number AS v FROM customers WHERE account_id = $1 AND deleted_at IS NULL AND phone_number = ANY ($2::text[])`,
      accountId,
      given((r) => r.input.phone_number),
    ),
    taken(tx, `SELECT id::text AS v FROM tags WHERE account_id = $1 AND deleted_at IS NULL AND id = ANY ($2::uuid[])`, accountId, given((r) => r.input.tags).flat() as string[]),
  ]);
  const found = new Set(tags);
  const now = c.now.toISOString();
  const ready: Create[] = [];
  for (const { l, r } of creates) {
    const i = r.input;
    const parent = c.parentOf(r);
    const emailKey = i.email ? `${i.type ?? 'individual'} ${i.email.toLowerCase()}` : undefined;
    const missingTag = (i.tags ?? []).find((t) => !found.has(t.toLowerCase()));
    const why =
      c.namesParent(r) && !parent
        ? r.parentNumber !== undefined
          ? `owner: no customer with id ${r.parentNumber}`
          : 'parent_id: no such customer'
        : r.uuid && uuids.has(r.uuid)
          ? 'uuid: another customer has it'
          : emailKey && emails.has(emailKey)
            ? 'email: a customer of this type has it already'
            : i.phone_number && phones.has(i.phone_number)
              ? 'phone_number: another customer has it'
              : missingTag
                ? `tags: no tag ${missingTag}`
                : undefined;
    if (why) {
      c.fail(l, why);
      continue;
    }
    if (emailKey) emails.add(emailKey);
    if (i.phone_number) phones.add(i.phone_number);
    if (r.uuid) uuids.add(r.uuid);
    // A number the line gives is kept when it is free; otherwise the one reserved for its place in the file.
    const keep = r.number !== undefined && !numbers.has(String(r.number));
    const number = keep ? r.number! : c.firstNumber + l.ordinal;
    numbers.add(String(number));
    const createdAt = r.createdAt ?? now;
    const id = r.id ?? ksuid(new Date(createdAt));
    const op =
      parent && (parent.type === 'operator' ? { id: parent.id, name: parent.name, number: parent.number } : { id: parent.operator_id, name: parent.operator_name, number: parent.operator_number });
    const text = copyLine([
      accountId,
      id,
      number,
      r.uuid ?? uuid(),
      i.external_id ?? null,
      i.type ?? 'individual',
      i.name ?? null,
      i.first_name ?? null,
      i.last_name ?? null,
      i.email ?? null,
      i.phone_number ?? null,
      i.country ?? null,
      i.gender ?? null,
      i.date_of_birth ?? null,
      i.addresses ?? [],
      i.company ?? null,
      i.status ?? null,
      i.metadata ?? {},
      i.attributes ?? {},
      i.marketing_consent ?? null,
      i.enrolled_by ?? null,
      i.term ?? null,
      i.favorite_store ?? null,
      i.contact_for ?? [],
      i.kyb_status ?? 'pending',
      i.kyc_links ?? [],
      i.provider_statuses ?? [],
      i.application ?? null,
      parent?.id ?? null,
      new PgArray(parent ? [...parent.ancestors, parent.id] : []),
      op?.id ?? null,
      parent?.name ?? null,
      parent?.number ?? null,
      op?.name ?? null,
      op?.number ?? null,
      i.is_sub_client ?? false,
      i.extensions ?? {},
      createdAt,
      now,
      c.actor ?? null,
    ]);
    const products = (i.product_accounts ?? []).map((p) => copyLine([accountId, id, p.product, p.kyc_status, p.kyc_approved_at ?? null, p.current_market_value, now, now])).join('');
    const tagRows = [...new Set((i.tags ?? []).map((t) => t.toLowerCase()))].map((t) => copyLine([accountId, id, t])).join('');
    ready.push({ line: l, row: r, text, products, tags: tagRows });
  }
  if (!ready.length) return 0;
  // All at once; if the store refuses one (a value written meanwhile by another writer, a
  // product listed twice), each on its own, to name the line.
  await tx.query('SAVEPOINT import_batch');
  try {
    await copyAll(tx, ready);
    await tx.query('RELEASE SAVEPOINT import_batch');
    return ready.length;
  } catch (e) {
    await tx.query('ROLLBACK TO SAVEPOINT import_batch');
    reasonOf(e);
  }
  let created = 0;
  for (const one of ready) {
    await tx.query('SAVEPOINT import_line');
    try {
      await copyAll(tx, [one]);
      await tx.query('RELEASE SAVEPOINT import_line');
      created++;
    } catch (e) {
      await tx.query('ROLLBACK TO SAVEPOINT import_line');
      c.fail(one.line, reasonOf(e));
    }
  }
  return created;
}

async function copyAll(tx: Tx, rows: Create[]) {
  await tx.copyRows('customers', IMPORT_COLUMNS, chunked(rows.map((r) => r.text)));
  const products = rows.map((r) => r.products).filter(Boolean);
  if (products.length) await tx.copyRows('product_accounts', PRODUCT_COLUMNS, chunked(products));
  const tags = rows.map((r) => r.tags).filter(Boolean);
  if (tags.length) await tx.copyRows('customer_tags', TAG_COLUMNS, chunked(tags));
}

/** COPY input in pieces of about 128 KB: fewer, larger writes than a row at a time. */
function* chunked(rows: string[]): Generator<string> {
  let chunk = '';
  for (const r of rows) {
    chunk += r;
    if (chunk.length >= 131_072) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

async function taken(tx: Tx, sql: string, accountId: string, values: unknown[]): Promise<Set<string>> {
  if (!values.length) return new Set();
  const rows = await tx.query<{ v: string }>(sql, [accountId, values]);
  return new Set(rows.map((r) => r.v));
}
