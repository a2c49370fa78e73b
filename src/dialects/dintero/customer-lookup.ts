import type { Customer } from '../../core/model.ts';
import { notFound } from '../../core/errors.ts';
import { KSUID_PATTERN } from '../../core/ids.ts';
import type { Queryable } from '../../store/db.ts';
import { getCustomerIn } from '../../store/customers-repo.ts';

// The {customer_id} of a path: the canonical external_id, or the canonical id of a record that
// was written elsewhere without one (rendered with its id as customer_id).

export async function findCustomerIn(tx: Queryable, accountId: string, customerId: string): Promise<Customer | undefined> {
  const byExternal = await getCustomerIn(tx, accountId, { by: 'external_id', value: customerId });
  if (byExternal) return byExternal;
  if (!KSUID_PATTERN.test(customerId)) return undefined;
  const byId = await getCustomerIn(tx, accountId, { by: 'id', value: customerId });
  return byId && byId.external_id === null ? byId : undefined;
}

export async function customerIn(tx: Queryable, accountId: string, customerId: string): Promise<Customer> {
  const c = await findCustomerIn(tx, accountId, customerId);
  if (!c) throw notFound('Customer');
  return c;
}
