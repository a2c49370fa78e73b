import type { Db } from '../../src/store/db.ts';
import type { Customer, User } from '../../src/core/model.ts';

// An account's records as its tables hold them, read with plain SQL: the baseline every list
// oracle starts from, never a list the compiler under test made. What the write path derives
// from other records (a customer's place in its hierarchy) is worked out again here from the
// parent links alone.

/** A customer with its live tokens, which filters look for and records do not show. */
export interface StoredCustomer extends Customer {
  tokens: { type: string; value: string }[];
}

const iso = (t: unknown) => (t === null || t === undefined ? null : new Date(t as string | Date).toISOString());

/** Every customer of the account, deleted ones included, by id. */
export async function storedCustomers(db: Db, account: string): Promise<StoredCustomer[]> {
  const rows = await db.query<Record<string, any>>(`SELECT *, date_of_birth::text AS date_of_birth FROM customers WHERE account_id = $1 ORDER BY id`, [account]);
  const accounts = await db.query<{ customer_id: string; product: string; kyc_status: string; kyc_approved_at: Date | null; current_market_value: string }>(
    `SELECT customer_id, product, kyc_status, kyc_approved_at, current_market_value::text AS current_market_value FROM product_accounts WHERE account_id = $1 ORDER BY customer_id, product`,
    [account],
  );
  const tags = await db.query<{ customer_id: string; tag_id: string }>(`SELECT customer_id, tag_id::text AS tag_id FROM customer_tags WHERE account_id = $1 ORDER BY customer_id, tag_id`, [account]);
  const tokens = await db.query<{ customer_id: string; type: string; value: string }>(`SELECT customer_id, type, value FROM customer_tokens WHERE account_id = $1 AND deleted_at IS NULL`, [account]);
  const group = <T extends { customer_id: string }>(xs: T[]) => {
    const m = new Map<string, T[]>();
    for (const x of xs) m.set(x.customer_id, [...(m.get(x.customer_id) ?? []), x]);
    return m;
  };
  const [byAccounts, byTags, byTokens] = [group(accounts), group(tags), group(tokens)];
  const customers: StoredCustomer[] = rows.map((r) => ({
    ...(r as Customer),
    number: Number(r.number),
    uuid: String(r.uuid),
    created_at: iso(r.created_at)!,
    updated_at: iso(r.updated_at)!,
    deleted_at: iso(r.deleted_at),
    product_accounts: (byAccounts.get(r.id) ?? []).map((p) => ({
      product: p.product,
      kyc_status: p.kyc_status,
      kyc_approved_at: iso(p.kyc_approved_at),
      current_market_value: p.current_market_value,
    })),
    tags: (byTags.get(r.id) ?? []).map((t) => t.tag_id),
    tokens: (byTokens.get(r.id) ?? []).map(({ type, value }) => ({ type, value })),
    ...hierarchyUnknown,
  }));
  return withHierarchy(customers);
}

const hierarchyUnknown = { ancestors: [], parent_name: null, parent_number: null, operator_id: null, operator_name: null, operator_number: null };

/** Each customer's owners, owner and nearest operator, from the parent links. */
function withHierarchy(customers: StoredCustomer[]): StoredCustomer[] {
  const byId = new Map(customers.map((c) => [c.id, c]));
  for (const c of customers) {
    const chain: StoredCustomer[] = [];
    for (let p = c.parent_id ? byId.get(c.parent_id) : undefined; p; p = p.parent_id ? byId.get(p.parent_id) : undefined) chain.push(p);
    const [parent] = chain;
    const operator = chain.find((p) => p.type === 'operator');
    Object.assign(c, {
      ancestors: chain.map((p) => p.id).reverse(),
      parent_name: parent?.name ?? null,
      parent_number: parent?.number ?? null,
      operator_id: operator?.id ?? null,
      operator_name: operator?.name ?? null,
      operator_number: operator?.number ?? null,
    });
  }
  return customers;
}

/** Every team user of the account, deleted ones included, by id. */
export async function storedUsers(db: Db, account: string): Promise<User[]> {
  const rows = await db.query<Record<string, any>>(`SELECT id, first_name, last_name, email, role, swift_enabled, created_at, updated_at, deleted_at FROM users WHERE account_id = $1 ORDER BY id`, [
    account,
  ]);
  return rows.map((r) => ({ ...(r as User), created_at: iso(r.created_at)!, updated_at: iso(r.updated_at)!, deleted_at: iso(r.deleted_at) }));
}
