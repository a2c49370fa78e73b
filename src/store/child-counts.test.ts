import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORES, openTestStore, type TestStore } from '../../test/support/stores.ts';
import { createAccount } from './accounts-repo.ts';
import { createCustomer, deleteCustomer } from './customers-repo.ts';
import { childCounts } from './child-counts.ts';

for (const kind of STORES) {
  describe(`childCounts (${kind})`, () => {
    let store: TestStore;
    before(async () => {
      store = await openTestStore(kind);
    });
    after(() => store.close());

    test('counts live direct children per sub-client or per parent, ordered by name', async () => {
      const { account_id: a } = await createAccount(store.db, 'Counts', 'test');
      const { account_id: other } = await createAccount(store.db, 'Other', 'test');
      const beta = await createCustomer(store.db, a, { type: 'business', name: 'beta', is_sub_client: true });
      const alpha = await createCustomer(store.db, a, { type: 'business', name: 'Alpha', is_sub_client: true });
      const owner = await createCustomer(store.db, a, { type: 'business', name: 'Owner' });
      await createCustomer(store.db, a, { type: 'individual', name: 'k1', parent_id: beta.id });
      await createCustomer(store.db, a, { type: 'individual', name: 'k2', parent_id: beta.id });
      const gone = await createCustomer(store.db, a, { type: 'individual', name: 'k3', parent_id: beta.id });
      await deleteCustomer(store.db, a, { by: 'id', value: gone.id });
      const mid = await createCustomer(store.db, a, { type: 'business', name: 'k4', parent_id: owner.id });
      await createCustomer(store.db, a, { type: 'individual', name: 'grandchild', parent_id: mid.id });
      await createCustomer(store.db, other, { type: 'business', name: 'Elsewhere', is_sub_client: true });

      assert.deepEqual(await childCounts(store.db, a, 'sub_clients'), [
        { id: alpha.id, name: 'Alpha', count: 0 },
        { id: beta.id, name: 'beta', count: 2 },
      ]);
      assert.deepEqual(await childCounts(store.db, a, 'parents'), [
        { id: beta.id, name: 'beta', count: 2 },
        { id: mid.id, name: 'k4', count: 1 },
        { id: owner.id, name: 'Owner', count: 1 },
      ]);
    });
  });
}
