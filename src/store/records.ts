import type { Customer, User } from '../core/model.ts';

// Rows come back as JSON built by Postgres; timestamps are normalised to ISO 8601 in UTC
// with milliseconds, the precision every write stores.

const iso = (v: unknown): string | null => (v === null || v === undefined ? null : new Date(v as string).toISOString());

const CUSTOMER_TIMES = ['created_at', 'updated_at', 'deleted_at'] as const;

export function toCustomer(row: Record<string, unknown>): Customer {
  const { _k, ...rest } = row;
  const c = rest as unknown as Customer;
  for (const k of CUSTOMER_TIMES) (c as unknown as Record<string, unknown>)[k] = iso(c[k]);
  c.product_accounts = c.product_accounts.map((p) => ({ ...p, kyc_approved_at: iso(p.kyc_approved_at) }));
  return c;
}

export function toUser(row: Record<string, unknown>): User {
  const { _k, ...rest } = row;
  const u = rest as unknown as User;
  u.created_at = iso(u.created_at)!;
  u.updated_at = iso(u.updated_at)!;
  u.deleted_at = iso(u.deleted_at);
  return u;
}
