import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORES, openTestStore, type TestStore } from './support/stores.ts';
import { createAccount } from '../src/store/accounts-repo.ts';
import { createCustomer } from '../src/store/customers-repo.ts';
import { runList } from '../src/store/list.ts';
import { listQuery } from '../src/core/list-query.ts';
import type { Customer } from '../src/core/model.ts';
import { customersBy } from './support/order.ts';

// The store's `external_id` sort key (which InvestiFi's sort_key=user_account_id uses): the
// caller's id, or Roster's id where none is set, with the id tiebreak; keyset pages walk it.

for (const kind of STORES) {
  describe(`external_id sort key (${kind})`, () => {
    let store: TestStore;
    let accountId: string;
    const made: Customer[] = [];

    before(async () => {
      store = await openTestStore(kind);
      accountId = (await createAccount(store.db, 'Sort', 'test')).account_id;
      // Ids that sort before, between and after Roster's KSUIDs (which start with a digit or letter).
      for (const externalId of ['m-2', null, 'A-1', 'z-9', null, 'm-10', '0-first', null]) {
        made.push(await createCustomer(store.db, accountId, { external_id: externalId, name: String(externalId) }));
      }
    });
    after(() => store.close());

    const key = (c: Customer) => c.external_id ?? c.id;

    test('orders by the external id, falling back to the id, in both directions and across pages', async () => {
      for (const dir of ['asc', 'desc'] as const) {
        const want = customersBy(made, { key: 'external_id', dir }).map(key);
        const got: string[] = [];
        let after: string | undefined;
        for (;;) {
          const q = listQuery({ resource: 'customers', sort: [{ key: 'external_id', dir }], page: { kind: 'keyset', limit: 3, ...(after ? { after: { id: after } } : {}) } });
          const r = await runList<Customer>(store.db, accountId, q);
          got.push(...r.records.map(key));
          if (!r.hasMoreAfter) break;
          after = r.records.at(-1)!.id;
        }
        assert.deepEqual(got, want, dir);
      }
    });
  });
}
