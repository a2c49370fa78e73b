import type { Customer } from '../../core/model.ts';
import type { CustomerRef } from '../../core/list-query.ts';
import { notFound } from '../../core/errors.ts';
import { KSUID_PATTERN } from '../../core/ids.ts';
import type { Queryable } from '../../store/db.ts';
import { getCustomerIn, lockCustomer } from '../../store/customers-repo.ts';

// The {customer_id} of a path: the canonical external_id, or the canonical id of a record that
// was written elsewhere without one (rendered with its id as customer_id).

/**
 * How a route holds the customer it found: `read` takes no lock; `update` locks it for a
 * read-modify-write (the record read is the latest, and no concurrent write lands in between),
 * `tree` with the customers below it, for a write that may rename it; `share` keeps it from
 * being deleted while something is added to it (a token, tags).
 */
export type Hold = 'read' | 'update' | 'tree' | 'share';

export async function findCustomerIn(tx: Queryable, accountId: string, customerId: string, hold: Hold = 'read'): Promise<Customer | undefined> {
  const get = (ref: CustomerRef) => (hold === 'read' ? getCustomerIn(tx, accountId, ref) : lockCustomer(tx, accountId, ref, { mode: hold === 'share' ? 'share' : 'update', tree: hold === 'tree' }));
  const byExternal = await get({ by: 'external_id', value: customerId });
  if (byExternal) return byExternal;
  if (!KSUID_PATTERN.test(customerId)) return undefined;
  const byId = await get({ by: 'id', value: customerId });
  return byId && byId.external_id === null ? byId : undefined;
}

export async function customerIn(tx: Queryable, accountId: string, customerId: string, hold: Hold = 'read'): Promise<Customer> {
  const c = await findCustomerIn(tx, accountId, customerId, hold);
  if (!c) throw notFound('Customer');
  return c;
}
