import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORES, startTestServer, type TestServer } from './support/stores.ts';
import { DakotaClient } from './support/dakota-contract.ts';
import { storedCustomers } from './support/records.ts';
import { customersBy, type CUSTOMER_SORT } from './support/order.ts';
import { walkBackward, walkForward, type Page } from './support/walk.ts';
import { seed } from '../src/seed/load.ts';
import type { Customer } from '../src/core/model.ts';

// The page walk: 1,000+ customers, limit=7, under every sort_by in both sort directions,
// forward with starting_after and back with ending_before. Each record must appear exactly
// once, in the order the in-memory oracle computes from the records in the tables, with
// has_more_* true exactly when records remain on that side, and total_count exact throughout.

const COUNT = 1050;
const LIMIT = 7;

/** Dakota's sort_by values, as canonical sort keys. */
const SORT_BY: Record<string, keyof typeof CUSTOMER_SORT> = {
  application_status: 'application_status',
  created_at: 'created_at',
  customer_type: 'party_type',
  id: 'id',
  kyb_status: 'kyb_status',
  kyc_status: 'kyc_status',
  name: 'name',
};

for (const kind of STORES) {
  describe(`dakota walk (${kind})`, () => {
    let s: TestServer;
    let api: DakotaClient;
    let live: Customer[];

    before(async () => {
      s = await startTestServer(kind);
      await seed(s.db, { accountId: s.account.account_id, customers: COUNT, users: 0, seed: 7 });
      api = await DakotaClient.connect(s.base, s.account.api_key);
      live = (await storedCustomers(s.db, s.account.account_id)).filter((c) => !c.deleted_at);
      assert.ok(live.length >= 1000, `only ${live.length} live customers`);
    });
    after(() => s.close());

    for (const [sortBy, key] of Object.entries(SORT_BY)) {
      for (const dir of ['asc', 'desc'] as const) {
        test(`sort_by=${sortBy} sort_dir=${dir}`, async () => {
          const expected = customersBy(live, { key, dir }).map((c) => c.id);
          const page = async (cursor: string): Promise<Page> => {
            const res = await api.call('GET', `/customers?limit=${LIMIT}&sort_by=${sortBy}&sort_dir=${dir}${cursor}`);
            assert.equal(res.status, 200);
            assert.equal(res.body.meta.total_count, expected.length);
            return { ids: res.body.data.map((c: { id: string }) => c.id), hasMoreAfter: res.body.meta.has_more_after, hasMoreBefore: res.body.meta.has_more_before };
          };
          const what = `${sortBy} ${dir}`;
          await walkForward(
            what,
            expected,
            () => page(''),
            (p) => page(`&starting_after=${p.ids.at(-1)}`),
            LIMIT,
          );
          await walkBackward(
            what,
            expected,
            () => page(`&ending_before=${expected.at(-1)}`),
            (p) => page(`&ending_before=${p.ids[0]}`),
            LIMIT,
          );
        });
      }
    }
  });
}
