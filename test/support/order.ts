import type { SortKey } from '../../src/core/list-query.ts';
import type { Customer, User } from '../../src/core/model.ts';

// How the store orders records, written out for the oracles: text in Postgres's "C" collation
// (byte order of UTF-8, lower() changing ASCII letters only), numbers as numbers, and the id as
// the tiebreak in the direction of the last sort term.

export type Value = string | number | boolean | null;

/** Compares as an ORDER BY does under "C": strings bytewise, numbers numerically, NULL last. */
export function cmp(a: Value, b: Value): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'string' && typeof b === 'string') return Buffer.compare(Buffer.from(a), Buffer.from(b));
  return a < b ? -1 : 1;
}

/** lower() in the "C" collation: ASCII letters only. */
export const cLower = (s: string | null | undefined) => (s ?? '').replace(/[A-Z]/g, (c) => c.toLowerCase());

export interface Term<T> {
  value: (r: T) => Value;
  dir: 'asc' | 'desc';
}

/** Records in the order of `terms`, then by id in the direction of the last term. */
export function ordered<T extends { id: string }>(records: readonly T[], terms: readonly Term<T>[]): T[] {
  const all: Term<T>[] = [...terms, { value: (r) => r.id, dir: terms.at(-1)?.dir ?? 'asc' }];
  return [...records].sort((a, b) => {
    for (const t of all) {
      const c = cmp(t.value(a), t.value(b));
      if (c !== 0) return t.dir === 'asc' ? c : -c;
    }
    return 0;
  });
}

const BUSINESS = new Set(['business', 'operator', 'operator_subsidiary']);

/** Each customer sort key the store knows, from the record's own fields. */
export const CUSTOMER_SORT: Record<Exclude<SortKey, 'role' | 'email'>, (c: Customer) => Value> = {
  id: (c) => c.id,
  number: (c) => c.number,
  name: (c) => cLower(c.name),
  type: (c) => c.type,
  party_type: (c) => (BUSINESS.has(c.type) ? 'business' : 'individual'),
  kyb_status: (c) => c.kyb_status,
  kyc_status: (c) => c.kyc_status,
  application_status: (c) => c.application?.status ?? '',
  parent_name: (c) => cLower(c.parent_name),
  operator_name: (c) => cLower(c.operator_name),
  created_at: (c) => c.created_at,
  updated_at: (c) => c.updated_at,
  external_id: (c) => c.external_id ?? c.id,
};

/** Each team-user sort key the store knows. */
export const USER_SORT: Record<'id' | 'name' | 'email' | 'role' | 'created_at' | 'updated_at', (u: User) => Value> = {
  id: (u) => u.id,
  name: (u) => cLower(`${u.first_name} ${u.last_name}`),
  email: (u) => cLower(u.email),
  role: (u) => u.role,
  created_at: (u) => u.created_at,
  updated_at: (u) => u.updated_at,
};

/** Customers ordered by canonical sort keys, as a list sorted by them returns them. */
export const customersBy = <C extends Customer>(records: readonly C[], ...terms: { key: keyof typeof CUSTOMER_SORT; dir: 'asc' | 'desc' }[]) =>
  ordered(
    records,
    terms.map((t) => ({ value: CUSTOMER_SORT[t.key], dir: t.dir })),
  );

export const usersBy = (records: readonly User[], ...terms: { key: keyof typeof USER_SORT; dir: 'asc' | 'desc' }[]) =>
  ordered(
    records,
    terms.map((t) => ({ value: USER_SORT[t.key], dir: t.dir })),
  );
